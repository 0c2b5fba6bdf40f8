import PayLinkCore

/// A PURCHASE or AUTHORIZATION with `digital_wallet=APPLE_PAY`: checked and answered with the
/// merchant's Apple Pay credentials (`ApplePayAccess`).
protocol ApplePayCommand: APSCommand {}

/// `command=PURCHASE`, `digital_wallet=APPLE_PAY` on paymentApi: success `14000`, failures `13`.
enum ApplePayPurchaseCommand: ApplePayCommand {
    static let name = TransactionCommand.purchase.rawValue
    static let failureStatus = TransactionCommand.purchase.failureStatus
    static let identifiesLinks = false

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try ApplePayPayment.run(.purchase, parameters, merchant: merchant, context: context)
    }
}

/// `command=AUTHORIZATION`, `digital_wallet=APPLE_PAY` on paymentApi: the money is held
/// (`02000`, failures `03`); CAPTURE and VOID_AUTHORIZATION follow.
enum ApplePayAuthorizationCommand: ApplePayCommand {
    static let name = TransactionCommand.authorization.rawValue
    static let failureStatus = TransactionCommand.authorization.failureStatus
    static let identifiesLinks = false

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try ApplePayPayment.run(.authorization, parameters, merchant: merchant, context: context)
    }
}

extension ApplePayPurchaseCommand {
    /// The Apple Pay command a `command` names when the request says `digital_wallet=APPLE_PAY`;
    /// nil for any other request (a card payment, or a command Apple Pay has no form of).
    static func command(named command: String, _ parameters: APSParameters) -> (any APSCommand.Type)? {
        guard parameters.text("digital_wallet") == Merchant.applePayWallet else { return nil }
        switch command {
        case ApplePayPurchaseCommand.name: return ApplePayPurchaseCommand.self
        case ApplePayAuthorizationCommand.name: return ApplePayAuthorizationCommand.self
        default: return nil
        }
    }
}
