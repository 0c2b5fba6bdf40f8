import PayLinkCore
import PayLinkJSON

/// `query_command=GET_INSTALLMENTS_PLANS`: the issuers and plans the merchant's installments
/// service offers, answered `62000` with `installment_detail.issuer_detail[]` (each with its
/// `plan_details[]` and `bins[]`), as in the old PayFort docs' sample response
/// (`installments.md`, `Installmentsparameters.md`).
///
/// Request: `access_code`, `merchant_identifier`, `signature` mandatory; `amount` and
/// `currency` optional but only together ("you can't send these parameters separately"),
/// and with them each plan carries `amountPerMonth`; `language`; `issuer_code` narrows the
/// answer to one issuer. Sandbox choices where the docs are silent: `currency` keeps the
/// plans in that currency and `amount` those whose `minimum_amount`…`maximum_amount` take
/// it; an issuer left with no plan is left out; when nothing is left (or the merchant has
/// no installments service) the answer is `63086`.
enum GetInstallmentsPlansCommand: APSCommand {
    static let name = "GET_INSTALLMENTS_PLANS"
    static let failureStatus = "63"     // Get Installment plans Failed
    static let identifiesLinks = false
    static let code = APSResponseCode(status: "62", message: "000")

    static let issuerCode = APSFieldRule("issuer_code", .alphanumeric, 8)

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        // Only the endpoint's way: the answer has a nested member.
        throw APSFailure(message: "004", detail: "GET_INSTALLMENTS_PLANS answers through the endpoint only")
    }

    static func respond(_ parameters: APSParameters, merchant: Merchant, context: APSContext,
                        into response: inout APSResponseWriter) throws(APSFailure) -> APSResponseCode {
        let detail = try installmentDetail(parameters, merchant: merchant, catalog: context.installments)
        response.setUnsigned("installment_detail", nested: detail)
        return code
    }

    /// The `installment_detail` object, or the refusal.
    static func installmentDetail(_ parameters: APSParameters, merchant: Merchant,
                                  catalog: InstallmentCatalog) throws(APSFailure) -> JSONValue {
        try parameters.requireScalar(["amount", "currency", "language", "issuer_code"])
        if let language = parameters.text("language") { _ = try APSValues.language(language) }
        let amountText = parameters.text("amount"), currencyText = parameters.text("currency")
        if amountText != nil, currencyText == nil { throw .missing("currency") }
        if currencyText != nil, amountText == nil { throw .missing("amount") }
        let amount = try amountText.map { (text) throws(APSFailure) in try APSValues.amount(text) }
        let currency = try currencyText.map { (text) throws(APSFailure) in try APSValues.currency(text, merchant: merchant) }
        let wantedIssuer = parameters.text("issuer_code")
        if let wantedIssuer { try issuerCode.check(wantedIssuer) }

        let configured = catalog.issuers(for: merchant.identifier)
        guard !configured.isEmpty else {
            throw APSFailure(status: failureStatus, message: "086", detail: "merchant \(merchant.identifier) has no installments service (installments.merchants)")
        }
        var issuers: [JSONValue] = []
        for issuer in configured where wantedIssuer == nil || issuer.code == wantedIssuer {
            let plans = issuer.plans(currency: currency).filter { amount == nil || $0.covers(amount: amount!) }
            if plans.isEmpty { continue }
            issuers.append(.object(issuerObject(issuer, plans: plans, amount: amount)))
        }
        guard !issuers.isEmpty else {
            let asked = [wantedIssuer.map { "issuer \($0)" }, currency.map { "currency \($0.code)" }, amount.map { "amount \($0)" }]
            throw APSFailure(status: failureStatus, message: "086",
                             detail: "no installment plan of merchant \(merchant.identifier) matches \(asked.compactMap { $0 }.joined(separator: ", "))")
        }
        return .object(["issuer_detail": .array(issuers)])
    }

    /// One `issuer_detail` entry, members in the docs' order; the messages the sandbox has no
    /// text for are `null`, as in the sample.
    private static func issuerObject(_ issuer: InstallmentIssuer, plans: [InstallmentPlan], amount: Int64?) -> JSONObject {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        let formula = issuer.bankingSystem == "Islamic"
            ? "(((period * (effective rate/100)) + 1) * amount) / period"
            : "((amount + ((amount * (effective rate/100)) * period))) / period"
        let bins: [JSONValue] = issuer.bins.map { bin in
            .object([
                "bin": .string(bin),
                "country_code": .string(issuer.countryCode),
                "currency_code": .string(issuer.cardCurrency),
                "card_brand_code": .string(brandName(bin)),
            ])
        }
        return [
            "issuer_code": .string(issuer.code),
            "issuer_name_ar": .string(issuer.nameArabic),
            "issuer_name_en": .string(issuer.nameEnglish),
            "terms_and_condition_ar": text(issuer.termsArabic),
            "terms_and_condition_en": text(issuer.termsEnglish),
            "country_code": .string(issuer.countryCode),
            "issuer_logo_ar": text(issuer.logoArabic),
            "issuer_logo_en": text(issuer.logoEnglish),
            "banking_system": .string(issuer.bankingSystem),
            "formula": .string(formula),
            "plan_details": .array(plans.map { .object(planObject($0, amount: amount)) }),
            "bins": .array(bins),
            "confirmation_message_ar": .null,
            "disclaimer_message_ar": .null,
            "processing_fees_message_ar": .null,
            "confirmation_message_en": .null,
            "disclaimer_message_en": .null,
            "processing_fees_message_en": .null,
        ]
    }

    /// One `plan_details` entry; `amountPerMonth` only when the request gave an amount.
    private static func planObject(_ plan: InstallmentPlan, amount: Int64?) -> JSONObject {
        var object: JSONObject = [
            "plan_code": .string(plan.code),
            "currency_code": .string(plan.currency.code),
            "number_of_installment": .number(String(plan.numberOfInstallments)),
            "fees_type": .string(plan.feesType),
            "fees_amount": .number(plan.feesAmountLiteral),
            "processing_fees_type": .null,
            "processing_fees_amount": .null,
            "rate_type": .string(plan.rateType.rawValue),
            "plan_merchant_type": .string(plan.merchantType),
            "plan_type": .string(plan.planType),
            "fee_display_value": .number(plan.feesAmountLiteral),
            "minimum_amount": .number(String(plan.minimumAmount)),
            "maximum_amount": .number(String(plan.maximumAmount)),
        ]
        if let amount { object["amountPerMonth"] = .string(plan.amountPerMonthText(for: amount)) }
        return object
    }

    /// `card_brand_code` as the docs spell it: `VISA`, `Master Card`, `American Express`.
    private static func brandName(_ bin: String) -> String {
        switch CardBrand.of(bin) {
        case .mastercard: return "Master Card"
        case .amex: return "American Express"
        case .visa, .mada, .meeza, nil: return "VISA"
        }
    }
}
