import PayLinkCore

/// Which of a merchant's two credential sets a request is checked and answered with.
///
/// An Apple Pay payment uses the Apple Pay set only: a merchant without one, or a request with
/// the ordinary access code, is refused `00010` (a right access code with the ordinary phrase,
/// `00008`). Every other request uses the ordinary set, so the Apple Pay access code on a card
/// payment is `00010` too, except the commands that follow a payment (CHECK_STATUS, CAPTURE,
/// REFUND, VOID_AUTHORIZATION): the official WooCommerce plugin sends those for an Apple Pay
/// order with the Apple Pay access code and phrases, the official PHP SDK with the ordinary
/// ones, so both are accepted, and the answer is signed with the set the request used.
enum ApplePayAccess {
    static let followingCommands: Set<String> = [
        CheckStatusCommand.name, CaptureCommand.name, RefundCommand.name, VoidAuthorizationCommand.name,
    ]

    /// The merchant as `command` is checked and answered; nil when it is an Apple Pay payment
    /// and the merchant has no Apple Pay credentials (`refusal`).
    static func account(for command: any APSCommand.Type, merchant: Merchant, parameters: APSParameters) -> Merchant? {
        if command is any ApplePayCommand.Type { return merchant.applePayAccount }
        guard let applePay = merchant.applePay, applePay.accessCode != merchant.accessCode,
              followingCommands.contains(command.name), parameters.text("access_code") == applePay.accessCode
        else { return merchant }
        return merchant.applePayAccount
    }

    /// Why an Apple Pay payment of a merchant without Apple Pay credentials is refused. The
    /// answer is signed with the ordinary response phrase, the only one the merchant has.
    static func refusal(_ merchant: Merchant) -> APSFailure {
        APSFailure(message: "010", detail: "merchant \(merchant.identifier) has no Apple Pay credentials (merchants[].apple_pay)")
    }
}
