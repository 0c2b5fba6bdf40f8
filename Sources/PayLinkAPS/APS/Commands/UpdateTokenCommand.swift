import PayLinkCore

/// `service_command=UPDATE_TOKEN`: changes a saved card's expiry, holder name or status
/// (ACTIVE/INACTIVE), or renames it (`new_token_name`); answers `58000` with the token as it now
/// is: masked `card_number`, `token_status`, `creation_date`, `card_brand`, `card_bin`
/// (payfortdoc `tokenizationparameters.md`, "Update Token Service"; APS docs "updating a
/// token"). No official SDK has a model for it.
///
/// An unknown token, or another merchant's, is `00044`; a `new_token_name` another token has is
/// `00114`. Values are checked as the other commands check theirs: a malformed one is `00002`,
/// an expiry before the current month on the merchant's clock `00012` (Card expired).
enum UpdateTokenCommand: APSCommand {
    static let name = "UPDATE_TOKEN"
    static let failureStatus = APSStatus.invalidRequest
    static let identifiesLinks = false

    /// What the request asks to change, each value checked.
    private struct Changes {
        var expiryDate: String?
        var cardHolderName: String?
        var status: CardToken.Status?
        var newName: String?
    }

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try parameters.requireScalar(["merchant_reference", "language", "token_name", "expiry_date", "card_holder_name",
                                      "token_status", "new_token_name", "currency"])
        try APSFields.merchantReference.check(try parameters.required("merchant_reference"))
        _ = try APSValues.language(parameters.required("language"))
        let name = try parameters.required("token_name")
        try ServerToServerFields.tokenName.check(name)
        if let currency = parameters.text("currency") { _ = try APSValues.currency(currency, merchant: merchant) }
        let changes = try requestedChanges(parameters, now: context.engine.now(for: merchant.identifier))

        let token: CardToken
        do {
            token = try context.tokens.update(named: name, merchant: merchant.identifier) { (token: inout CardToken) in
                if let expiry = changes.expiryDate { token.expiryDate = expiry }
                if let holder = changes.cardHolderName { token.cardHolderName = holder }
                if let status = changes.status { token.status = status }
                if let newName = changes.newName { token.name = newName }
            }
        } catch {
            switch error {
            case .vault(.notFound):
                throw ServerToServerCodes.failure(ServerToServerCodes.unknownToken, "merchant \(merchant.identifier) has no token \(name)")
            case .vault(.nameTaken):
                throw ServerToServerCodes.failure(ServerToServerCodes.tokenNameTaken, "new_token_name \(changes.newName ?? "") is already a token's name")
            case .body(let never): switch never {}
            }
        }
        return APSCommandResult(code: TokenCodes.updated, fields: [
            ("card_number", token.maskedCardNumber), ("token_status", token.status.rawValue),
            ("creation_date", TokenDates.creationDate(token.createdAt)), ("card_brand", token.brand), ("card_bin", token.cardBin),
        ])
    }

    private static func requestedChanges(_ parameters: APSParameters, now: SandboxInstant) throws(APSFailure) -> Changes {
        var changes = Changes()
        if let expiry = parameters.text("expiry_date") {
            switch CardEntry.expiryProblem(expiry, at: now) {
            case .expired?: throw APSFailure(message: "012", detail: "expiry_date \(expiry) is before the current month on the sandbox clock")
            case _?: throw .format("expiry_date", "must be YYMM with a month 01-12")
            case nil: changes.expiryDate = expiry
            }
        }
        if let holder = parameters.text("card_holder_name") {
            try TokenCodes.cardHolderName.check(holder)
            changes.cardHolderName = holder
        }
        if let status = parameters.text("token_status") {
            try TokenCodes.tokenStatus.check(status)
            guard let parsed = CardToken.Status(rawValue: status) else { throw .format("token_status", "must be ACTIVE or INACTIVE") }
            changes.status = parsed
        }
        if let newName = parameters.text("new_token_name") {
            try TokenCodes.newTokenName.check(newName)
            changes.newName = newName
        }
        return changes
    }
}

/// How token dates are written in answers.
enum TokenDates {
    /// `creation_date` as the doc's example writes it (`2017-03-13T10:09:19+02:00`): ISO 8601
    /// with an offset; the sandbox keeps UTC, so the offset is `+00:00`.
    static func creationDate(_ instant: SandboxInstant) -> String {
        String(ISO8601.formatUTC(instant).dropLast()) + "+00:00"
    }
}
