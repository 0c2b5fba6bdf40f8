import PayLinkCore

/// `query_command=CHECK_PAYMENT_LINK_STATUS`: the link's state and how often it was opened,
/// answered with `12000` as in the documentation's sample, with the link's amount, currency,
/// expiry and customer details.
enum CheckPaymentLinkStatusCommand: APSCommand {
    static let name = "CHECK_PAYMENT_LINK_STATUS"
    static let failureStatus = "11"     // Check status Failed
    static let identifiesLinks = true

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try parameters.requireScalar(["merchant_reference", "language"])
        // `language` is absent from the official request sample, so it is optional here.
        if let language = parameters.text("language") { _ = try APSValues.language(language) }
        if let reference = parameters.text("merchant_reference") { try APSFields.merchantReference.check(reference) }
        let view = try resolveLink(parameters, merchant: merchant, context: context)
        // Read in place (`view.link.terms.…`): a local copy of the link or of its terms retained
        // and released every string in them, on every status check.
        var fields: [(String, String)] = []
        // Room for the optional fields too, so appending them does not reallocate.
        fields.reserveCapacity(14)
        fields.append(("payment_link_id", view.link.id))
        fields.append(("payment_link_status", view.state.rawValue))
        fields.append(("user_attempts_count", String(view.link.userAttemptsCount)))
        fields.append(("amount", String(view.link.terms.amount)))
        fields.append(("currency", view.link.terms.currency))
        fields.append(("request_expiry_date", ISO8601.formatUTC(view.link.terms.expiry)))
        // The sample response carries these even when the request left them out.
        if !parameters.isPresent("language") { fields.append(("language", view.link.terms.language)) }
        if !parameters.isPresent("merchant_reference") { fields.append(("merchant_reference", view.link.terms.merchantReference)) }
        if !parameters.isPresent("merchant_identifier") { fields.append(("merchant_identifier", merchant.identifier)) }
        // The customer details an UPDATE may change (the sample response is cut off before
        // any; the sandbox shows them so a client can see its update took). One by one rather
        // than through an array of pairs: that array was an allocation per request.
        func detail(_ name: String, _ value: String?) {
            if let value, !parameters.isPresent(name) { fields.append((name, value)) }
        }
        detail("customer_email", view.link.terms.customerEmail)
        detail("customer_phone", view.link.terms.customerPhone)
        detail("customer_name", view.link.terms.customerName)
        detail("notification_type", view.link.terms.notificationType)
        detail("order_description", view.link.terms.orderDescription)
        return APSCommandResult(code: APSResponseCode(status: "12", message: "000"), fields: fields)
    }
}
