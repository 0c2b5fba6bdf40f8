import PayLinkCore

/// The response codes of token operations, in one place. APS's catalog gives statuses and
/// messages separately and its samples show few whole codes, so some of these are choices
/// (docs/aps-tokens.md explains each).
enum TokenCodes {
    /// Merchant Page TOKENIZATION succeeded: status 18 "Tokenization success".
    static let tokenized = APSResponseCode(status: "18", message: "000")
    /// UPDATE_TOKEN succeeded: status 58 "Token updated successfully", the doc's example `58000`.
    static let updated = APSResponseCode(status: "58", message: "000")
    /// 044 "Token name does not exist": no token of that name, or another merchant's.
    static let unknownTokenMessage = "044"
    /// 043 "Inactive Operation": the catalog has no message naming an inactive token.
    static let inactiveTokenMessage = "043"
    /// 114 "Token already exist": a name the merchant chose belongs to another token.
    static let nameTakenMessage = "114"

    /// `token_name` and `new_token_name`: Alphanumeric 100, `. @ - _`.
    static let tokenName = APSFieldRule("token_name", .alphanumeric, 100, specials: ".@-_")
    static let newTokenName = APSFieldRule("new_token_name", .alphanumeric, 100, specials: ".@-_")
    /// `card_holder_name`: Alpha 50, `' - .` and the space between names.
    static let cardHolderName = APSFieldRule("card_holder_name", .alpha, 50, specials: "'-. ")
    /// `token_status`: Alpha 8, ACTIVE or INACTIVE.
    static let tokenStatus = APSFieldRule("token_status", .alpha, 8)
    /// `remember_me`: YES or NO.
    static let rememberMe = APSFieldRule("remember_me", .alpha, 3)
}
