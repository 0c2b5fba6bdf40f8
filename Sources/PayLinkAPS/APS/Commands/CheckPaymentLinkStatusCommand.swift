import PayLinkCore

/// `query_command=CHECK_PAYMENT_LINK_STATUS`: the link's state and how often it was opened,
/// answered with `12000` as in the documentation's sample, with the link's amount, currency,
/// expiry and customer details.
enum CheckPaymentLinkStatusCommand: APSCommand {
    static let name = "CHECK_PAYMENT_LINK_STATUS"
    static let failureStatus = "11"     // Check status Failed
    static let identifiesLinks = true
    static let code = APSResponseCode(status: "12", message: "000")

    /// The usual answer's signed keys, in the order they are written: the request's keys in
    /// the order the sandbox's own benchmark and quick start send them (`query_command`,
    /// `access_code`, `merchant_identifier`, `merchant_reference`), then `addFields`' for a
    /// link with a language, an e-mail, a notification type and a description, then the
    /// code's. Any other answer is signed through the sort, to the same bytes.
    static let answerKeys = APSAnswerKeys([
        "query_command", "access_code", "merchant_identifier", "merchant_reference",
        "payment_link_id", "payment_link_status", "user_attempts_count", "amount", "currency", "request_expiry_date",
        "language", "customer_email", "notification_type", "order_description",
        "response_code", "response_message", "status",
    ])

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        let view = try resolve(parameters, merchant: merchant, context: context)
        var fields = FieldList()
        addFields(of: view.link, state: view.state, textIsPlain: false, parameters: parameters, merchant: merchant, to: &fields)
        return APSCommandResult(code: code, fields: fields.pairs)
    }

    /// The endpoint's way: the fields go straight into the response (this is the request the
    /// sandbox answers most), without an array of `String` pairs between.
    static func respond(_ parameters: APSParameters, merchant: Merchant, context: APSContext,
                        into response: inout APSResponseWriter) throws(APSFailure) -> APSResponseCode {
        response.expectedKeys = answerKeys
        let reference = try checkedReference(parameters)
        if let reference, !parameters.has("payment_link_id") {
            // The usual check, by reference: the fields are written from the engine's own value
            // of the link, lent for the call (a copy retained and released each of its strings),
            // with whether its text is known to need no escaping (then not checked value by value).
            let found = context.engine.withLink(merchant: merchant.identifier, reference: reference) { link, state, _, textIsPlain in
                addFields(of: link, state: state, textIsPlain: textIsPlain, parameters: parameters, merchant: merchant, to: &response)
            }
            guard found else { throw failure(.notFound) }
            return code
        }
        let view = try resolveLink(parameters, merchant: merchant, context: context, checkedReference: reference)
        addFields(of: view.link, state: view.state, textIsPlain: false, parameters: parameters, merchant: merchant, to: &response)
        return code
    }

    private static func resolve(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> LinkView {
        let reference = try checkedReference(parameters)
        return try resolveLink(parameters, merchant: merchant, context: context, checkedReference: reference)
    }

    /// The request's checks before the link is looked up; its `merchant_reference`, checked, if any.
    private static func checkedReference(_ parameters: APSParameters) throws(APSFailure) -> String? {
        try parameters.requireScalar(["merchant_reference", "language"])
        // `language` is absent from the official request sample, so it is optional here.
        if let language = parameters.text("language") { _ = try APSValues.language(language) }
        let reference = parameters.text("merchant_reference")
        if let reference { try APSFields.merchantReference.check(reference) }
        return reference
    }

    /// The answer's fields, in order (an empty one is left out by the sink). `textIsPlain`: the
    /// link's shown text is known to need no escaping (`PaymentLink.shownTextIsPlain`).
    private static func addFields<Sink: APSFieldSink & ~Copyable>(of link: borrowing PaymentLink, state: LinkState, textIsPlain: Bool,
                                                                   parameters: APSParameters, merchant: Merchant, to sink: inout Sink) {
        // Read in place (`link.terms.…`): a local copy of the link or of its terms retained
        // and released every string in them, on every status check.
        sink.set("payment_link_id", link.id, plain: textIsPlain)
        // The states' names are literals of plain letters.
        sink.set("payment_link_status", state.rawValue, plain: true)
        sink.set("user_attempts_count", decimal: Int64(link.userAttemptsCount))
        sink.set("amount", decimal: link.terms.amount)
        sink.set("currency", link.terms.currency, plain: textIsPlain)
        sink.set("request_expiry_date", utc: link.terms.expiry)
        // The sample response carries these even when the request left them out.
        if !parameters.has("language") { sink.set("language", link.terms.language, plain: textIsPlain) }
        if !parameters.has("merchant_reference") { sink.set("merchant_reference", link.terms.merchantReference, plain: textIsPlain) }
        if !parameters.has("merchant_identifier") { sink.set("merchant_identifier", merchant.identifier) }
        // The customer details an UPDATE may change (the sample response is cut off before
        // any; the sandbox shows them so a client can see its update took).
        func detail(_ name: StaticString, _ value: String?) {
            if let value, !parameters.has(name) { sink.set(name, value, plain: textIsPlain) }
        }
        detail("customer_email", link.terms.customerEmail)
        detail("customer_phone", link.terms.customerPhone)
        detail("customer_name", link.terms.customerName)
        detail("notification_type", link.terms.notificationType)
        detail("order_description", link.terms.orderDescription)
    }
}
