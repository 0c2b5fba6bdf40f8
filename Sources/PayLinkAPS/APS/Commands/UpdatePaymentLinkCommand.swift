import PayLinkCore

/// `service_command=UPDATE_PAYMENT_LINK`: changes status (Open/Closed), expiry (a new future
/// expiry reopens an expired link), amount, currency and the customer details (e-mail, phone,
/// name, notification type, order description); `78000`. APS's page: UPDATE may "modify
/// existing payment link properties including amount, status, expiry date, and customer
/// details". Every field is checked as `PAYMENT_LINK` checks it, and the link's fixed
/// `payment_option` must still allow the result. A new notification type or recipient sends
/// the link's message again (from the engine's event, `APSEffects`).
///
/// `payment_option`, `link_command`, `return_url`, `merchant_extra` to `merchant_extra5` and
/// `settlement_reference` are fixed at creation (they are the merchant's own data for the
/// feedback, not customer details): sent with the link's own value they pass, with another
/// they are `00033` (Parameter value not allowed), never echoed as if applied. The response carries the link's real resulting `payment_link_status`.
package enum UpdatePaymentLinkCommand: APSCommand {
    package static let name = "UPDATE_PAYMENT_LINK"
    package static let failureStatus = APSStatus.invalidRequest
    package static let identifiesLinks = true
    /// `PAYMENT_LINK` fields an update does not change.
    static let fixedFields = ["link_command", "payment_option", "return_url", "settlement_reference"]
        + APSFields.merchantExtras.map(\.name)

    package static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try parameters.requireScalar([
            "merchant_reference", "language", "payment_link_status", "request_expiry_date", "amount", "currency",
            "customer_name", "order_description", "customer_email", "customer_phone", "notification_type",
        ] + fixedFields)
        _ = try APSValues.language(parameters.required("language"))
        if let reference = parameters.text("merchant_reference") { try APSFields.merchantReference.check(reference) }
        let update = try requestedChanges(parameters, merchant: merchant, now: context.engine.now(for: merchant.identifier))

        let target = try resolveLink(parameters, merchant: merchant, context: context)
        try checkFixedFields(parameters, link: target.link)
        try checkResultingTerms(update, link: target.link, merchant: merchant, context: context)
        let view: LinkView
        do { view = try context.engine.update(id: target.link.id, update) } catch { throw failure(error) }
        var fields: [(String, String)] = [
            ("payment_link_id", view.link.id),
            ("payment_link", context.links.paymentLink(token: view.link.token)),
            ("payment_link_status", view.state.rawValue),
        ]
        if !parameters.isPresent("merchant_identifier") { fields.append(("merchant_identifier", merchant.identifier)) }
        return APSCommandResult(code: APSResponseCode(status: "78", message: "000"), fields: fields)
    }

    /// The changes the request asks for, each value checked as `PAYMENT_LINK` checks it.
    private static func requestedChanges(_ parameters: APSParameters, merchant: Merchant,
                                         now: SandboxInstant) throws(APSFailure) -> LinkStateMachine.Update {
        var update = LinkStateMachine.Update()
        if let status = parameters.text("payment_link_status") {
            try APSFields.paymentLinkStatus.check(status)
            guard let requested = LinkStateMachine.Update.RequestedStatus(rawValue: status) else {
                throw .format("payment_link_status", "must be Open or Closed")
            }
            update.status = requested
        }
        if let expiry = parameters.text("request_expiry_date") { update.expiry = try APSValues.expiry(expiry, now: now) }
        if let amount = parameters.text("amount") { update.amount = try APSValues.amount(amount) }
        if let currency = parameters.text("currency") { update.currency = try APSValues.currency(currency, merchant: merchant).code }
        if let email = parameters.text("customer_email") {
            try APSValues.email(email)
            update.customerEmail = email
        }
        if let notificationType = parameters.text("notification_type") {
            update.notificationType = try APSValues.notificationType(notificationType)
        }
        if let name = parameters.text("customer_name") {
            try APSFields.customerName.check(name)
            update.customerName = name
        }
        if let phone = parameters.text("customer_phone") {
            try APSFields.customerPhone.check(phone)
            update.customerPhone = phone
        }
        if let description = parameters.text("order_description") {
            try APSFields.orderDescription.check(description)
            update.orderDescription = description
        }
        return update
    }

    /// The fixed fields may be sent only with the link's own value.
    private static func checkFixedFields(_ parameters: APSParameters, link: PaymentLink) throws(APSFailure) {
        var current: [String: String?] = ["link_command": link.linkCommand, "payment_option": link.paymentOption,
                                          "return_url": link.returnURL, "settlement_reference": link.settlementReference]
        for (name, value) in link.merchantExtras { current[name] = value }
        for field in fixedFields {
            guard let sent = parameters.text(field), sent != current[field] ?? nil else { continue }
            throw APSFailure(message: "033", detail: "\(field) is fixed when the link is created; UPDATE_PAYMENT_LINK does not change it")
        }
    }

    /// The link as the update would leave it must still hold together: SMS needs a phone, and
    /// the link's `payment_option` must allow the (new) currency and keep what it needs.
    private static func checkResultingTerms(_ update: LinkStateMachine.Update, link: PaymentLink, merchant: Merchant,
                                            context: APSContext) throws(APSFailure) {
        var terms = link.terms
        if let currency = update.currency { terms.currency = currency }
        if let phone = update.customerPhone { terms.customerPhone = phone }
        if let description = update.orderDescription { terms.orderDescription = description }
        if let notificationType = update.notificationType { terms.notificationType = notificationType }
        if terms.notificationType.contains("SMS") && terms.customerPhone == nil {
            throw APSFailure(message: "001", detail: "missing parameter customer_phone (required when notification_type includes SMS)")
        }
        if let option = terms.paymentOption {
            try LinkPaymentOptions.check(option, terms: terms, merchant: merchant, rules: context.paymentOptionRules)
        }
    }
}
