import PayLinkCore

/// `query_command=CHECK_PAYMENT_LINK_STATUS`: the link's state and how often it was opened,
/// answered with `12000` as in the documentation's sample, with the link's amount, currency,
/// expiry and customer details.
enum CheckPaymentLinkStatusCommand: APSCommand {
    static let name = "CHECK_PAYMENT_LINK_STATUS"
    static let failureStatus = "11"     // Check status Failed
    static let identifiesLinks = true
    static let code = APSResponseCode(status: "12", message: "000")

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        let view = try resolve(parameters, merchant: merchant, context: context)
        var fields = FieldList()
        addFields(of: view, parameters: parameters, merchant: merchant, to: &fields)
        return APSCommandResult(code: code, fields: fields.pairs)
    }

    /// The endpoint's way: the fields go straight into the response (this is the request the
    /// sandbox answers most), without an array of `String` pairs between.
    static func respond(_ parameters: APSParameters, merchant: Merchant, context: APSContext,
                        into response: inout APSResponseWriter) throws(APSFailure) -> APSResponseCode {
        let view = try resolve(parameters, merchant: merchant, context: context)
        addFields(of: view, parameters: parameters, merchant: merchant, to: &response)
        return code
    }

    private static func resolve(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> LinkView {
        try parameters.requireScalar(["merchant_reference", "language"])
        // `language` is absent from the official request sample, so it is optional here.
        if let language = parameters.text("language") { _ = try APSValues.language(language) }
        let reference = parameters.text("merchant_reference")
        if let reference { try APSFields.merchantReference.check(reference) }
        return try resolveLink(parameters, merchant: merchant, context: context, checkedReference: reference)
    }

    /// The answer's fields, in order (an empty one is left out by the sink).
    private static func addFields<Sink: APSFieldSink & ~Copyable>(of view: LinkView, parameters: APSParameters, merchant: Merchant,
                                                                   to sink: inout Sink) {
        // Read in place (`view.link.terms.…`): a local copy of the link or of its terms retained
        // and released every string in them, on every status check.
        sink.set("payment_link_id", view.link.id)
        sink.set("payment_link_status", view.state.rawValue)
        sink.set("user_attempts_count", decimal: Int64(view.link.userAttemptsCount))
        sink.set("amount", decimal: view.link.terms.amount)
        sink.set("currency", view.link.terms.currency)
        sink.set("request_expiry_date", utc: view.link.terms.expiry)
        // The sample response carries these even when the request left them out.
        if !parameters.has("language") { sink.set("language", view.link.terms.language) }
        if !parameters.has("merchant_reference") { sink.set("merchant_reference", view.link.terms.merchantReference) }
        if !parameters.has("merchant_identifier") { sink.set("merchant_identifier", merchant.identifier) }
        // The customer details an UPDATE may change (the sample response is cut off before
        // any; the sandbox shows them so a client can see its update took).
        func detail(_ name: StaticString, _ value: String?) {
            if let value, !parameters.has(name) { sink.set(name, value) }
        }
        detail("customer_email", view.link.terms.customerEmail)
        detail("customer_phone", view.link.terms.customerPhone)
        detail("customer_name", view.link.terms.customerName)
        detail("notification_type", view.link.terms.notificationType)
        detail("order_description", view.link.terms.orderDescription)
    }
}
