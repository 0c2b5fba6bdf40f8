import PayLinkCore

/// The checks of a Merchant Page TOKENIZATION form, each refusal with its APS code (status `00`).
enum TokenizationRequestCheck {
    /// The signed fields: mandatory ones present (`001`), each as its table allows (`002`,
    /// `032`), `currency` one the merchant takes (`013`).
    static func fields(_ form: PaymentPageRequest, merchant: Merchant) throws(APSFailure) {
        for name in ["service_command", "merchant_reference", "language"] where form[name] == nil { throw .missing(name) }
        try APSFields.merchantReference.check(form["merchant_reference"] ?? "")
        _ = try APSValues.language(form["language"] ?? "")
        if let name = form["token_name"] { try ServerToServerFields.tokenName.check(name) }
        if let url = form["return_url"] { try APSValues.returnURL(url) }
        if let currency = form["currency"] { _ = try APSValues.currency(currency, merchant: merchant) }
        if let remember = form["remember_me"], remember != "YES", remember != "NO" {
            throw .format("remember_me", "must be YES or NO")
        }
        if let holder = form["card_holder_name"] { try TokenCodes.cardHolderName.check(holder) }
    }

    /// The card as the hosted page checks it (Luhn, length, scheme; expiry against the
    /// merchant's clock; security code length by scheme). The holder name is optional here.
    /// The first problem in form order decides the code, as on every card path
    /// (`ServerToServerCodes.failure`): missing `001`, a bad number `016`, a malformed expiry
    /// `100`, an expired card `012`, a bad security code `002`.
    static func card(_ form: PaymentPageRequest, at now: SandboxInstant) throws(APSFailure) -> CardEntry.Checked {
        let holder = form["card_holder_name"]
        let entry = CardEntry(number: form["card_number"] ?? "", expiryDate: form["expiry_date"] ?? "",
                              securityCode: form["card_security_code"] ?? "", holderName: holder ?? "-")
        do {
            var checked = try entry.check(option: nil, at: now)
            checked.details.cardHolderName = holder
            return checked
        } catch {
            guard let problem = error.problems.first else { throw .format("card_number", "not accepted") }
            throw ServerToServerCodes.failure(problem)
        }
    }
}
