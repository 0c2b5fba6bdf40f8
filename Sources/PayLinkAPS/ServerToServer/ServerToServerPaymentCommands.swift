import PayLinkCore

/// `command=PURCHASE` on paymentApi: a server-to-server payment with a saved card
/// (`token_name`, eci ECOMMERCE, RECURRING or MOTO) or, for a trusted-channel merchant, with
/// the card's data (`ServerToServerPayment`). Success `14000`; failures carry `13`.
enum ServerToServerPurchaseCommand: APSCommand {
    static let name = TransactionCommand.purchase.rawValue
    static let failureStatus = TransactionCommand.purchase.failureStatus
    static let identifiesLinks = false

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try ServerToServerPayment.run(.purchase, parameters, merchant: merchant, context: context)
    }
}

/// `command=AUTHORIZATION` on paymentApi: as PURCHASE, but the money is only held (`02000`;
/// failures carry `03`); CAPTURE and VOID_AUTHORIZATION follow. Not with eci RECURRING (`00113`).
enum ServerToServerAuthorizationCommand: APSCommand {
    static let name = TransactionCommand.authorization.rawValue
    static let failureStatus = TransactionCommand.authorization.failureStatus
    static let identifiesLinks = false

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try ServerToServerPayment.run(.authorization, parameters, merchant: merchant, context: context)
    }
}
