import PayLinkCore
import PayLinkJSON

/// A hosted checkout request (`command` PURCHASE or AUTHORIZATION posted to paymentPage) that
/// passed every check: what the payment page shows and what the order records.
struct HostedCheckoutRequest: Sendable {
    var merchant: Merchant
    var terms: CheckoutTerms
    var language: String
    var returnURL: String?
    var paymentOption: String?
    var orderDescription: String?
    var customerName: String?
    /// `remember_me`: nil when not sent (no "save this card" box), else whether it said YES.
    var rememberMe: Bool?
    /// `token_name`: the merchant's active saved card to pay with.
    var token: CardToken?
    var customerIP: String
    /// `installments`: whether the page offers plans, and whether one must be chosen.
    var installments: InstallmentMode? = nil

    var summary: PageSummary {
        PageSummary(merchantIdentifier: merchant.identifier, merchantReference: terms.merchantReference, amount: terms.amount,
                    currency: terms.currency, orderDescription: orderDescription, customerName: customerName, expiry: nil)
    }
}

/// The request's checks, in the order the paymentApi endpoint makes them (credentials, then
/// the signature, then the command, then the fields), with the codes of the APS catalog.
/// Field table: payfortdoc `redirectionsparameters.md` (docs/aps-checkout-fields.md §2.1).
enum HostedCheckoutValidation {
    /// Mandatory, in the table's order (`command` is checked on its own, for 004).
    static let mandatory = ["access_code", "merchant_identifier", "merchant_reference", "amount", "currency", "language",
                            "customer_email"]

    /// The optional fields' rules (type, length, special characters) where the field table's
    /// differ from the links' (`APSFields`).
    static let rules: [APSFieldRule] = [
        APSFields.paymentOption, APSFields.orderDescription, APSFields.customerName,
        APSFieldRule("customer_ip", .alphanumeric, 45, specials: ".:"),
        APSFieldRule("phone_number", .numeric, 19, specials: "+-() "),
        APSFieldRule("merchant_extra", .alphanumeric, 999, specials: ".;/_-,'@ "),
        APSFieldRule("token_name", .alphanumeric, 100, specials: ".@-_"),
        APSFieldRule("settlement_reference", .alphanumeric, 34, specials: "-_."),
        APSFieldRule("sadad_olp", .alphanumeric, 12, specials: "@._"),
        APSFieldRule("installments", .alpha, 10),
        APSFieldRule("eci", .alpha, 16),
        // The table says Alpha 2, but its own value is YES.
        APSFieldRule("remember_me", .alpha, 3),
    ] + (1...5).map { APSFieldRule("merchant_extra\($0)", .alphanumeric, 250, specials: ".;/_-,'@ ") }

    /// The checked request, or the refusal to return signed to the merchant.
    static func check(_ form: PaymentPageRequest, merchant: Merchant, context: APSContext) throws(APSFailure) -> HostedCheckoutRequest {
        guard let accessCode = form["access_code"] else { throw .missing("access_code") }
        guard accessCode == merchant.accessCode else {
            throw APSFailure(message: "010", detail: "access_code does not match merchant \(merchant.identifier)'s")
        }
        guard form["signature"] != nil else { throw .missing("signature") }
        if let failed = form.signatureFailure(merchant: merchant, context: context) {
            throw APSFailure(message: "008", detail: "signature mismatch: the sandbox expected \(failed.verification.expectedSignature) over \(failed.verification.redactedCanonicalString)")
        }
        guard let commandText = form["command"] else { throw .missing("command") }
        guard commandText == "PURCHASE" || commandText == "AUTHORIZATION", let command = TransactionCommand(rawValue: commandText) else {
            throw APSFailure(message: "004", detail: "command must be PURCHASE or AUTHORIZATION on paymentPage, got '\(commandText)'")
        }
        for name in mandatory where form[name] == nil { throw .missing(name) }
        let reference = form["merchant_reference"] ?? ""
        try APSFields.merchantReference.check(reference)
        let amount = try APSValues.amount(form["amount"] ?? "")
        let currency = try APSValues.currency(form["currency"] ?? "", merchant: merchant)
        let language = try APSValues.language(form["language"] ?? "")
        try APSValues.email(form["customer_email"] ?? "")
        for rule in rules { if let value = form[rule.name] { try rule.check(value) } }
        if let returnURL = form["return_url"] { try APSValues.returnURL(returnURL) }
        if let eci = form["eci"], eci != "ECOMMERCE", eci != "MOTO" { throw .format("eci", "must be ECOMMERCE or MOTO") }
        if let remember = form["remember_me"], remember != "YES", remember != "NO" { throw .format("remember_me", "must be YES or NO") }
        let installments = try installmentMode(form["installments"], merchant: merchant, context: context)
        let option = form["payment_option"]
        if let option {
            if let refusal = context.paymentOptionRules.refusal(option: option, currency: currency.code, command: commandText,
                                                                eci: form["eci"] ?? "ECOMMERCE", merchant: merchant) {
                throw APSFailure(message: refusal.apsMessageCode, detail: refusal.explanation)
            }
            // Tamara and Tabby go to their simulated checkouts, which need the customer's phone and the order's description.
            if BNPLProvider(paymentOption: option) != nil {
                // Both capture at once: "support direct capture payments exclusively" (APS's Tamara and Tabby pages).
                guard command == .purchase else {
                    throw APSFailure(message: "049", detail: "\(option) runs PURCHASE only (direct capture), not \(commandText)")
                }
                for name in BNPLProvider.requiredFields where form[name] == nil {
                    throw APSFailure(message: "001", detail: "missing parameter \(name) (\(option) needs it)")
                }
            } else if CardBrand(rawValue: option) == nil, !HostedCheckout.walletOptions.contains(option) {
                throw APSFailure(message: "003", detail: "the sandbox's hosted checkout takes cards (VISA, MASTERCARD, AMEX, MADA, MEEZA), STCPAY, VISA_CHECKOUT, TAMARA and TABBY, not \(option)")
            }
        }
        if context.engine.hasReference(merchant: merchant.identifier, reference: reference) {
            throw APSFailure(message: "066", detail: "merchant \(merchant.identifier) has used merchant_reference \(reference) already")
        }
        let token = try form["token_name"].map { name throws(APSFailure) in try savedCard(name, merchant: merchant, context: context) }
        var fields: [String: String] = [:]
        for member in form.parameters.members where member.key != "signature" {
            if let value = member.value.stringValue, !value.isEmpty { fields[member.key] = value }
        }
        return HostedCheckoutRequest(
            merchant: merchant,
            terms: CheckoutTerms(merchantIdentifier: merchant.identifier, merchantReference: reference, command: command,
                                 currency: currency.code, amount: amount, requestFields: fields),
            language: language, returnURL: form["return_url"], paymentOption: option, orderDescription: form["order_description"],
            customerName: form["customer_name"], rememberMe: form["remember_me"].map { $0 == "YES" }, token: token,
            customerIP: form["customer_ip"] ?? form.customerIP, installments: installments)
    }

    /// `installments`: STANDALONE, HOSTED or YES (002 otherwise). STANDALONE insists on a plan,
    /// so a merchant without the installments service is refused at once (086); with HOSTED or
    /// YES the customer simply pays in full.
    static func installmentMode(_ value: String?, merchant: Merchant, context: APSContext) throws(APSFailure) -> InstallmentMode? {
        guard let value else { return nil }
        guard let mode = InstallmentMode(rawValue: value) else { throw .format("installments", "must be STANDALONE, HOSTED or YES") }
        if mode.requiresPlan, context.installments.issuers(for: merchant.identifier).isEmpty {
            throw APSFailure(message: "086", detail: "merchant \(merchant.identifier) has no installments service (installments.merchants)")
        }
        return mode
    }

    /// The merchant's active token: another merchant's or none is `00044`, an inactive one `00043`.
    static func savedCard(_ name: String, merchant: Merchant, context: APSContext) throws(APSFailure) -> CardToken {
        guard let token = context.tokens.token(named: name, merchant: merchant.identifier) else {
            throw APSFailure(message: "044", detail: "merchant \(merchant.identifier) has no token named \(name)")
        }
        guard token.status == .active else { throw APSFailure(message: "043", detail: "token \(name) is INACTIVE") }
        return token
    }
}
