import PayLinkCore
import PayLinkJSON

/// What every valU step sends and checks alike: `merchant_reference` (the same in each step:
/// it names the journey), `payment_option=VALU`, `phone_number`, `language`; and the money
/// fields of the later steps.
enum ValuRequest {
    static let paymentOption = "VALU"
    static let merchantOrderID = APSFieldRule("merchant_order_id", .alphanumeric, 40, specials: "-_.")
    static let otp = APSFieldRule("otp", .numeric, 10)
    static let transactionID = APSFieldRule("transaction_id", .alphanumeric, 40, specials: "-_.")
    static let purchaseDescription = APSFieldRule("purchase_description", .alphanumeric, 150, specials: "'/._-#:$ ")
    static let customerCode = APSFieldRule("customer_code", .alphanumeric, 40, specials: "+-_.")

    /// The fields every step may send as plain values.
    static let commonFields = ["merchant_reference", "language", "payment_option", "phone_number"]

    /// Reference and normalized phone number, after checking the common fields and that the
    /// merchant takes valU (`003` when its `payment_options` leave VALU out).
    static func common(_ parameters: APSParameters, merchant: Merchant) throws(APSFailure) -> (reference: String, phone: String) {
        let reference = try parameters.required("merchant_reference")
        try APSFields.merchantReference.check(reference)
        if let language = parameters.text("language") { _ = try APSValues.language(language) }
        let option = try parameters.required("payment_option")
        guard option == paymentOption else {
            throw APSFailure(message: "049", detail: "the valU steps take payment_option VALU, not \(option)")
        }
        guard merchant.accepts(paymentOption: paymentOption) else {
            throw APSFailure(message: "003", detail: "merchant \(merchant.identifier)'s payment_options leave VALU out")
        }
        let sent = try parameters.required("phone_number")
        guard let phone = ValuTestCustomers.normalized(sent) else {
            throw .format("phone_number", "must be an Egyptian mobile number, 01 and nine digits (+20 or 0020 in front allowed)")
        }
        return (reference, phone)
    }

    /// Amount and currency (`024` when it is not EGP, as the option rules say).
    static func money(_ parameters: APSParameters, merchant: Merchant, context: APSContext,
                      command: String) throws(APSFailure) -> (amount: Int64, currency: String) {
        let amount = try APSValues.amount(parameters.required("amount"))
        let currency = try APSValues.currency(parameters.required("currency"), merchant: merchant).code
        if let refusal = context.paymentOptionRules.refusal(option: paymentOption, currency: currency, command: command,
                                                            eci: "ECOMMERCE", merchant: merchant) {
            throw APSFailure(message: refusal.apsMessageCode, detail: "valU: \(refusal)")
        }
        return (amount, currency)
    }

    /// An optional amount in minor units (down payment, wallet amounts): 0 when absent.
    static func optionalAmount(_ parameters: APSParameters, _ name: String) throws(APSFailure) -> Int64 {
        guard let text = parameters.text(name) else { return 0 }
        guard !text.isEmpty, text.utf8.count <= 10, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int64(text) else {
            throw .format(name, "must be an amount in minor units (digits)")
        }
        return value
    }

    /// `products`, when sent: a list of objects (the plugin's `product_name`,
    /// `product_price`, `product_category`), echoed and signed as sent.
    static func checkProducts(_ parameters: APSParameters) throws(APSFailure) {
        guard let value = parameters.object["products"] else { return }
        guard case .array(let items) = value, items.allSatisfy({ if case .object = $0 { true } else { false } }) else {
            throw .format("products", "must be a list of objects (product_name, product_price, product_category)")
        }
    }

    /// The request's plain fields, for the order (never the OTP nor the signature).
    static func orderFields(_ parameters: APSParameters) -> [String: String] {
        var fields: [String: String] = [:]
        for member in parameters.object.members where member.key != "otp" && member.key != "signature" {
            if let value = parameters.text(member.key) { fields[member.key] = value }
        }
        return fields
    }
}
