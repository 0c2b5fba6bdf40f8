import PayLinkCore

/// The codes a server-to-server payment answers that no public source pins down, in one place.
/// Each is the nearest message of APS's catalog; docs/aps-server-to-server.md explains the choice.
enum ServerToServerCodes {
    /// No token of this merchant has the name (another merchant's counts as none): 044 "Token
    /// name does not exist". Nothing is charged.
    static let unknownToken = APSResponseCode(status: APSStatus.invalidRequest, message: "044")
    /// The token is INACTIVE: 043 "Inactive Operation" (the catalog has no "token inactive").
    static let inactiveToken = APSResponseCode(status: APSStatus.invalidRequest, message: "043")
    /// eci RECURRING on an AUTHORIZATION: 113 "Service not applicable for e-commerce indicator".
    static let eciNotApplicable = APSResponseCode(status: APSStatus.invalidRequest, message: "113")
    /// Card data from a merchant without `trusted_channel: true`: 040 "Invalid transaction source".
    static let notTrustedChannel = APSResponseCode(status: APSStatus.invalidRequest, message: "040")
    /// The merchant reference was used already, by a link or an order: 066 "Merchant reference
    /// already exists".
    static let duplicateReference = APSResponseCode(status: APSStatus.invalidRequest, message: "066")
    /// `token_name` chosen for a card saved with `remember_me=YES` is another token's: 114
    /// "Token already exist".
    static let tokenNameTaken = APSResponseCode(status: APSStatus.invalidRequest, message: "114")
    /// The card needs 3-D Secure: status 20 "On hold", 064 "3-D Secure check requested".
    static let threeDSecureRequested = APSResponseCode(status: "20", message: "064")
    /// The customer failed the challenge: status 45 "3ds failed", 030 "Authentication failed"
    /// (as on the hosted page).
    static let threeDSecureFailed = APSResponseCode(status: "45", message: "030")

    static func failure(_ code: APSResponseCode, _ detail: String) -> APSFailure {
        APSFailure(status: code.status, message: code.message, detail: detail)
    }

    /// A card field's problem as APS words it: missing 001, a bad number 016, a bad or past
    /// expiry 100 / 012, a security code of the wrong form or length 002.
    static func failure(_ problem: CardEntry.Problem) -> APSFailure { failure(field: problem.field, problem.kind) }

    static func failure(field: String, _ kind: CardEntry.Problem.Kind) -> APSFailure {
        switch kind {
        case .missing: .missing(field)
        case .invalidNumber, .unknownScheme:
            APSFailure(message: "016", detail: "card_number is not a card number the sandbox accepts (Luhn, length, scheme)")
        case .schemeMismatch: .format("card_number", "the card is not of the payment_option sent")
        case .invalidExpiry: APSFailure(message: "100", detail: "expiry_date must be YYMM with a month 01-12")
        case .expired: APSFailure(message: "012", detail: "the card expired before the sandbox's current month")
        case .invalidSecurityCode:
            .format("card_security_code", "must be 4 digits for AMEX, 3 for other cards")
        }
    }
}
