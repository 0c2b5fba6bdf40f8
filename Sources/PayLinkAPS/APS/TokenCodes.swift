import PayLinkCore

/// What token operations answer beyond the codes every saved-card path shares
/// (`ServerToServerCodes`: unknown token 044, inactive token 043, name taken 114), and the field
/// rules of the token tables. docs/aps-tokens.md explains each choice.
enum TokenCodes {
    /// Merchant Page TOKENIZATION succeeded: status 18 "Tokenization success".
    static let tokenized = APSResponseCode(status: "18", message: "000")
    /// UPDATE_TOKEN succeeded: status 58 "Token updated successfully", the doc's example `58000`.
    static let updated = APSResponseCode(status: "58", message: "000")

    /// `new_token_name`: Alphanumeric 100, `_ - @ .` (as `token_name`, `ServerToServerFields`).
    static let newTokenName = APSFieldRule("new_token_name", .alphanumeric, 100, specials: ".@-_")
    /// `card_holder_name`: Alpha 50, `' - .` and the space between names.
    static let cardHolderName = APSFieldRule("card_holder_name", .alpha, 50, specials: "'-. ")
    /// `token_status`: Alpha 8, ACTIVE or INACTIVE.
    static let tokenStatus = APSFieldRule("token_status", .alpha, 8)
}
