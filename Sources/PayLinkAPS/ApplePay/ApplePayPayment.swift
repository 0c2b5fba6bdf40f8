import PayLinkCore
import PayLinkJSON

/// An Apple Pay PURCHASE or AUTHORIZATION sent server to server (docs/aps-apple-pay.md): the
/// merchant passes on the token Apple's payment sheet gave its page (`apple_data`,
/// `apple_signature`, `apple_header`, `apple_paymentMethod`), signed with its Apple Pay
/// credentials. The token is not decrypted; the display name's last digits choose the outcome
/// (`ApplePayOutcomes`), and every outcome is an order at once, `digital_wallet` APPLE_PAY,
/// `payment_option` the card's network, whose Direct Transaction Feedback follows.
enum ApplePayPayment {
    /// The fields read as text; a nested value in one is refused (002).
    static let scalarFields = [
        "merchant_reference", "amount", "currency", "language", "customer_email", "customer_ip", "apple_data",
        "apple_signature", "apple_applicationData", "eci", "order_description", "customer_name", "phone_number",
        "settlement_reference", "payment_option", "return_url",
    ] + APSFields.merchantExtraNames

    /// Request fields the order (and so its feedback) leaves out: the encrypted token, as a
    /// card payment's feedback never repeats the card. The two objects are not text and are
    /// left out with them.
    static let tokenFields: Set<String> = ["apple_data", "apple_signature", "signature"]

    static func run(_ command: TransactionCommand, _ parameters: APSParameters, merchant: Merchant,
                    context: APSContext) throws(APSFailure) -> APSCommandResult {
        try parameters.requireScalar(scalarFields)
        let reference = try parameters.required("merchant_reference")
        try APSFields.merchantReference.check(reference)
        let amount = try APSValues.amount(parameters.required("amount"))
        let currency = try APSValues.currency(parameters.required("currency"), merchant: merchant).code
        _ = try APSValues.language(parameters.required("language"))
        try APSValues.email(parameters.required("customer_email"))
        _ = try parameters.required("apple_data")
        _ = try parameters.required("apple_signature")
        let object = parameters.object
        _ = try ApplePayStructures.read(ApplePayStructures.header, members: ApplePayStructures.headerMembers, in: object)
        let method = try ApplePayStructures.read(ApplePayStructures.paymentMethod, members: ApplePayStructures.paymentMethodMembers, in: object)
        let option = try ApplePayStructures.paymentOption(network: method["apple_network"]!)
        let customerIP = try parameters.required("customer_ip")
        guard CustomerIP.isValid(customerIP) else { throw .format("customer_ip", "must be an IPv4 or IPv6 address") }
        if let eci = parameters.text("eci"), eci != ServerToServerPayment.Eci.ecommerce.rawValue {
            throw ServerToServerCodes.failure(ServerToServerCodes.eciNotApplicable, "an Apple Pay payment is made by the customer: eci ECOMMERCE")
        }
        try checkOptionalFields(parameters)
        // `merchants[].payment_options` and `aps.payment_option_rules` apply to APPLE_PAY as to any option.
        if let refusal = context.paymentOptionRules.refusal(option: Merchant.applePayWallet, currency: currency, command: command.rawValue,
                                                            eci: ServerToServerPayment.Eci.ecommerce.rawValue, merchant: merchant) {
            throw APSFailure(message: refusal.apsMessageCode, detail: refusal.explanation)
        }
        guard !context.engine.hasReference(merchant: merchant.identifier, reference: reference) else {
            throw ServerToServerCodes.failure(ServerToServerCodes.duplicateReference, "merchant_reference \(reference) is already used by a link or an order of \(merchant.identifier)")
        }
        let now = context.engine.now(for: merchant.identifier)

        var requestFields: [String: String] = [:]
        for member in object.members where !tokenFields.contains(member.key) {
            if let value = parameters.text(member.key) { requestFields[member.key] = value }
        }
        requestFields["eci"] = ServerToServerPayment.Eci.ecommerce.rawValue
        let terms = CheckoutTerms(merchantIdentifier: merchant.identifier, merchantReference: reference, command: command,
                                  currency: currency, amount: amount, requestFields: requestFields)
        let details = PaymentDetails(paymentOption: option, digitalWallet: Merchant.applePayWallet, customerIP: customerIP)
        let status: OrderStatus
        switch ApplePayOutcomes.outcome(displayName: method["apple_displayName"]!) {
        case .approved, .challenge: status = .approved
        case .declined(let message): status = .declined(APSResponseCode(status: command.failureStatus, message: message))
        case .uncertain(let approves):
            status = .uncertain(resolvesAt: now.adding(seconds: TestCards.uncertainResolutionSeconds), approves: approves)
        }
        let order = try ServerToServerPayment.record(terms, details: details, status: status, context: context)
        let fields = [("fort_id", order.fortID), ("authorization_code", order.authorizationCode),
                      ("payment_option", option), ("eci", ServerToServerPayment.Eci.ecommerce.rawValue)]
        return APSCommandResult(code: order.status.code(for: command), fields: fields)
    }

    private static func checkOptionalFields(_ parameters: APSParameters) throws(APSFailure) {
        if let option = parameters.text("payment_option") { try APSFields.paymentOption.check(option) }
        if let description = parameters.text("order_description") { try APSFields.orderDescription.check(description) }
        if let name = parameters.text("customer_name") { try APSFields.customerName.check(name) }
        if let url = parameters.text("return_url") { try APSValues.returnURL(url) }
        if let reference = parameters.text("settlement_reference") { try APSFields.settlementReference.check(reference) }
        if let phone = parameters.text("phone_number") { try ServerToServerFields.phoneNumber.check(phone) }
        for rule in APSFields.merchantExtras {
            if let extra = parameters.text(rule.name) { try rule.check(extra) }
        }
    }
}
