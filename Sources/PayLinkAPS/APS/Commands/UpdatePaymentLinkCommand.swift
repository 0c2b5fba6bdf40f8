import PayLinkCore

/// `service_command=UPDATE_PAYMENT_LINK`: changes status (Open/Closed), expiry (a new future
/// expiry reopens an expired link), amount, customer name and order description; `78000`.
/// The response carries the link's real resulting `payment_link_status`.
package enum UpdatePaymentLinkCommand: APSCommand {
    package static let name = "UPDATE_PAYMENT_LINK"
    package static let failureStatus = APSStatus.invalidRequest
    package static let identifiesLinks = true

    package static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try parameters.requireScalar([
            "merchant_reference", "language", "payment_link_status", "request_expiry_date", "amount", "currency",
            "customer_name", "order_description",
        ])
        _ = try APSValues.language(parameters.required("language"))
        if let reference = parameters.text("merchant_reference") { try APSFields.merchantReference.check(reference) }

        var update = LinkStateMachine.Update()
        if let status = parameters.text("payment_link_status") {
            try APSFields.paymentLinkStatus.check(status)
            guard let requested = LinkStateMachine.Update.RequestedStatus(rawValue: status) else {
                throw .format("payment_link_status", "must be Open or Closed")
            }
            update.status = requested
        }
        if let expiry = parameters.text("request_expiry_date") {
            update.expiry = try APSValues.expiry(expiry, now: context.engine.clock.now())
        }
        if let amount = parameters.text("amount") { update.amount = try APSValues.amount(amount) }
        if let currency = parameters.text("currency") { update.currency = try APSValues.currency(currency, merchant: merchant).code }
        if let name = parameters.text("customer_name") {
            try APSFields.customerName.check(name)
            update.customerName = name
        }
        if let description = parameters.text("order_description") {
            try APSFields.orderDescription.check(description)
            update.orderDescription = description
        }

        let target = try resolveLink(parameters, merchant: merchant, context: context)
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
}
