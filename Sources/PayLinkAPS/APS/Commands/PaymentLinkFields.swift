/// The values `PAYMENT_LINK` reads, by name: nil where a parameter is absent or empty (as
/// `APSParameters.text` answers). A request's come from its parameters; a batch file's records
/// fill them straight from their CSV fields (`APSPaymentLinkRecordReader`), so a record's
/// checks need no `JSONObject` and no lookups by name. Either way `PaymentLinkCommand.terms`
/// checks them in the same order, with the same failures.
package struct PaymentLinkFields: Sendable {
    package var merchantReference, amount, currency, language, customerEmail, requestExpiryDate, notificationType: String?
    package var linkCommand, paymentOption, orderDescription, customerName, customerPhone, returnURL, paymentLinkID: String?
    /// The `merchant_extra` fields present, in the order of `APSFields.merchantExtras` (the
    /// order they are checked in), and `settlement_reference`: a batch file has no such columns.
    package var merchantExtras: [(rule: APSFieldRule, value: String)] = []
    package var settlementReference: String?

    package init() {}

    /// A request's values.
    package init(_ parameters: APSParameters) {
        merchantReference = parameters.text("merchant_reference")
        amount = parameters.text("amount")
        currency = parameters.text("currency")
        language = parameters.text("language")
        customerEmail = parameters.text("customer_email")
        requestExpiryDate = parameters.text("request_expiry_date")
        notificationType = parameters.text("notification_type")
        linkCommand = parameters.text("link_command")
        paymentOption = parameters.text("payment_option")
        orderDescription = parameters.text("order_description")
        customerName = parameters.text("customer_name")
        customerPhone = parameters.text("customer_phone")
        returnURL = parameters.text("return_url")
        paymentLinkID = parameters.text("payment_link_id")
        for rule in APSFields.merchantExtras {
            if let value = parameters.text(rule.name) { merchantExtras.append((rule, value)) }
        }
        settlementReference = parameters.text("settlement_reference")
    }
}
