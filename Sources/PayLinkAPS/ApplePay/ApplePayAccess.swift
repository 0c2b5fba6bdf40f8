import PayLinkCore

/// Which of a merchant's two credential sets a request is checked and answered with.
///
/// An Apple Pay payment uses the Apple Pay set only: a merchant without one, or a request with
/// the ordinary access code, is refused `00010` (the Apple Pay access code with the ordinary
/// phrase is `00008`). Every other request uses the ordinary set, so the Apple Pay access code
/// on a card payment is `00010` too, except the commands that follow a payment (CHECK_STATUS,
/// CAPTURE, REFUND, VOID_AUTHORIZATION): the official WooCommerce plugin sends those for an
/// Apple Pay order with the Apple Pay access code and phrases, the official PHP SDK with the
/// ordinary ones, so both are accepted, and the answer is signed with the set the request used.
enum ApplePayAccess {
    static let followingCommands: Set<String> = [
        CheckStatusCommand.name, CaptureCommand.name, RefundCommand.name, VoidAuthorizationCommand.name,
    ]

    /// A refusal before the access code and signature are checked, and whose phrase signs it.
    struct Refusal: Error {
        var failure: APSFailure
        var signer: Merchant
    }

    /// The merchant as `command` is checked and answered.
    /// On every paymentApi request: `merchant` is consumed, so the usual answer (the merchant as
    /// it is) moves it back rather than copying it (a copy retains each of its strings), and the
    /// Apple Pay commands are told by identity rather than a dynamic cast.
    static func account(for command: any APSCommand.Type, merchant: consuming Merchant, parameters: APSParameters) throws(Refusal) -> Merchant {
        let id = ObjectIdentifier(command)
        if id == ObjectIdentifier(ApplePayPurchaseCommand.self) || id == ObjectIdentifier(ApplePayAuthorizationCommand.self) {
            guard let account = merchant.applePayAccount else {
                // Signed with the ordinary response phrase, the only one the merchant has.
                throw Refusal(failure: APSFailure(message: "010", detail: "merchant \(merchant.identifier) has no Apple Pay credentials (merchants[].apple_pay)"),
                              signer: merchant)
            }
            if account.accessCode != merchant.accessCode, parameters.text("access_code") == merchant.accessCode {
                // Signed with the Apple Pay phrase, which an SDK checks an Apple Pay answer with.
                throw Refusal(failure: APSFailure(message: "010", detail: "an Apple Pay payment is sent with the merchant's Apple Pay access code (merchants[].apple_pay.access_code), not its ordinary one; the official PHP SDK sends its access_code setting: set it to the Apple Pay one for Apple Pay calls"),
                              signer: account)
            }
            return account
        }
        guard let applePay = merchant.applePay, applePay.accessCode != merchant.accessCode,
              followingCommands.contains(command.name), parameters.text("access_code") == applePay.accessCode,
              let account = merchant.applePayAccount
        else { return merchant }
        return account
    }
}
