import PayLinkCore

/// Which of a merchant's two credential sets a request is checked and answered with.
///
/// An Apple Pay payment is signed and answered with the Apple Pay phrases: a merchant without
/// them is refused `00010`, a request signed with the ordinary phrase `00008`. Its access code
/// may be the Apple Pay one (the .NET SDK, the WooCommerce plugin) or the ordinary one: the
/// official PHP SDK sends its `access_code` setting with every request and signs an Apple Pay
/// one with its Apple Pay phrase, and an emulator must let the official SDK's payment through. Every other request uses the ordinary set, so the Apple Pay access code
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
                // The PHP SDK's combination: the ordinary access code, the Apple Pay phrases.
                var phpSDK = account
                phpSDK.accessCode = merchant.accessCode
                return phpSDK
            }
            return account
        }
        guard merchant.hasApplePay, let applePay = merchant.applePay, applePay.accessCode != merchant.accessCode,
              followingCommands.contains(command.name), parameters.text("access_code") == applePay.accessCode,
              let account = merchant.applePayAccount
        else { return merchant }
        return account
    }
}
