import PayLinkCore

/// `service_command=PAYMENT_LINK`: creates an Open link and answers `48000` with
/// `payment_link_id` and `payment_link`.
package enum PaymentLinkCommand: APSCommand {
    package static let name = "PAYMENT_LINK"
    package static let failureStatus = "49"     // Generating invoice payment link failed
    package static let identifiesLinks = false

    package static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        let (draft, requestedID) = try terms(parameters, merchant: merchant, context: context)
        return try create(draft, requestedID: requestedID, context: context)
    }

    /// The first half of `run`: every check of the request, touching no state, and the link's
    /// terms.
    package static func terms(_ parameters: APSParameters, merchant: Merchant,
                              context: APSContext) throws(APSFailure) -> (terms: LinkTerms, requestedID: String?) {
        try parameters.requireScalar([
            "merchant_reference", "amount", "currency", "language", "customer_email", "request_expiry_date",
            "notification_type", "link_command", "payment_option", "order_description", "customer_name",
            "customer_phone", "return_url", "settlement_reference",
        ] + APSFields.merchantExtraNames)
        return try terms(PaymentLinkFields(parameters), merchant: merchant, context: context)
    }

    /// The checks of `terms` over values already read by name. A batch file checks its next
    /// records this way (read straight from their CSV fields) while the current ones are created.
    package static func terms(_ fields: PaymentLinkFields, merchant: Merchant,
                              context: APSContext) throws(APSFailure) -> (terms: LinkTerms, requestedID: String?) {
        // Mandatory fields first, in the order of the documented table, so the first one
        // missing is the one reported.
        guard let reference = fields.merchantReference else { throw .missing("merchant_reference") }
        guard let amountText = fields.amount else { throw .missing("amount") }
        guard let currencyText = fields.currency else { throw .missing("currency") }
        guard let languageText = fields.language else { throw .missing("language") }
        guard let email = fields.customerEmail else { throw .missing("customer_email") }
        guard let expiryText = fields.requestExpiryDate else { throw .missing("request_expiry_date") }
        guard let notificationText = fields.notificationType else { throw .missing("notification_type") }

        try APSFields.merchantReference.check(reference)
        let amount = try APSValues.amount(amountText)
        let currency = try APSValues.currency(currencyText, merchant: merchant)
        let language = try APSValues.language(languageText)
        try APSValues.email(email)
        let expiry = try APSValues.expiry(expiryText, now: context.engine.now(for: merchant.identifier))
        let notificationType = try APSValues.notificationType(notificationText)

        let linkCommand = try fields.linkCommand.map(APSValues.linkCommand) ?? "PURCHASE"
        let paymentOption = try fields.paymentOption.map(APSValues.paymentOption)
        let description = fields.orderDescription
        if let description { try APSFields.orderDescription.check(description) }
        let name = fields.customerName
        if let name { try APSFields.customerName.check(name) }
        let phone = fields.customerPhone
        if let phone { try APSFields.customerPhone.check(phone) }
        // `notificationType` is one of NONE, EMAIL, SMS and EMAIL,SMS: compared rather than
        // searched (`contains` on strings is a substring search: a batch file's reading thread
        // spent a twenty-fifth of its time in it).
        if (notificationType == "SMS" || notificationType == "EMAIL,SMS") && phone == nil {
            throw APSFailure(message: "001", detail: "missing parameter customer_phone (required when notification_type includes SMS)")
        }
        let returnURL = fields.returnURL
        if let returnURL { try APSValues.returnURL(returnURL) }
        let requestedID = fields.paymentLinkID
        if let requestedID { try APSFields.paymentLinkID.check(requestedID) }
        let (extras, settlementReference) = try feedbackExtras(fields)

        let draft = LinkTerms(
            merchantIdentifier: merchant.identifier, merchantReference: reference, amount: amount,
            currency: currency.code, language: language, customerEmail: email, customerName: name,
            customerPhone: phone, orderDescription: description, notificationType: notificationType,
            linkCommand: linkCommand, paymentOption: paymentOption, returnURL: returnURL, expiry: expiry,
            merchantExtras: extras, settlementReference: settlementReference)
        if let paymentOption {
            try LinkPaymentOptions.check(paymentOption, terms: draft, merchant: merchant, rules: context.paymentOptionRules)
        }
        return (draft, requestedID)
    }

    /// The second half of `run`: creates the link of terms that passed `terms`.
    package static func create(_ draft: LinkTerms, requestedID: String?, context: APSContext) throws(APSFailure) -> APSCommandResult {
        let view: LinkView
        do { view = try context.engine.createLink(draft, requestedID: requestedID) } catch { throw failure(error) }
        // The e-mail and SMS `notification_type` asks for go out from the link's creation event (`APSEffects`).
        let url = context.links.paymentLink(token: view.link.token)
        return APSCommandResult(
            code: APSResponseCode(status: "48", message: "000"),
            fields: [
                ("payment_link_id", view.link.id),
                ("payment_link", url),
            ])
    }

    /// `merchant_extra` … `merchant_extra5` and `settlement_reference`: the invoicing request
    /// table does not list them, but the payment's feedback does ("sent back as received"), so
    /// the link keeps them for it.
    static func feedbackExtras(_ fields: PaymentLinkFields) throws(APSFailure) -> ([String: String], String?) {
        var extras: [String: String] = [:]
        for (rule, value) in fields.merchantExtras {
            try rule.check(value)
            extras[rule.name] = value
        }
        let settlementReference = fields.settlementReference
        if let settlementReference { try APSFields.settlementReference.check(settlementReference) }
        return (extras, settlementReference)
    }
}
