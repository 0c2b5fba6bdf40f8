import PayLinkCore

/// Installments on the Merchant Page (old PayFort docs `Installmentsparameters.md`,
/// "Installments Merchant page Service"; .NET SDK `TokenizationRequestCommand`):
/// `installments=STANDALONE` with `amount`, `currency` and optionally `customer_country_code`.
///
/// The Merchant Page is the merchant's own form, so the plan is chosen there too, as the PHP
/// SDK's `installmentsCustom.html` does with a picker fed by GET_INSTALLMENTS_PLANS: the form
/// may post the customer's `issuer_code` and `plan_code` (signed or not, like the card fields).
/// The card must be eligible for installments (as STANDALONE on the hosted checkout: 086, 087,
/// 104, 084, nothing saved); a chosen plan is checked against the card (092, 094, 087, 104, 084)
/// and the answer adds `number_of_installments`, `plan_code` and `issuer_code`. Without a plan
/// the answer echoes the request and the merchant names the plan on the PURCHASE that follows.
extension MerchantPageTokenization {
    static let customerCountryCode = APSFieldRule("customer_country_code", .alpha, 3)

    /// The installments part of the form, checked; nil without `installments`.
    struct InstallmentRequest {
        var amount: Int64
        var currency: String
        var issuerCode: String?
        var planCode: String?
    }

    static func installmentRequest(_ form: PaymentPageRequest, merchant: Merchant) throws(APSFailure) -> InstallmentRequest? {
        guard let mode = form["installments"] else {
            if form["plan_code"] != nil || form["issuer_code"] != nil { throw .missing("installments") }
            return nil
        }
        guard mode == InstallmentMode.standalone.rawValue else {
            throw .format("installments", "must be STANDALONE on the Merchant Page")
        }
        guard let amountText = form["amount"] else { throw .missing("amount") }
        let amount = try APSValues.amount(amountText)
        guard let currencyText = form["currency"] else { throw .missing("currency") }
        let currency = try APSValues.currency(currencyText, merchant: merchant).code
        if let country = form["customer_country_code"] { try customerCountryCode.check(country) }
        let issuer = form["issuer_code"], plan = form["plan_code"]
        if let issuer { try ServerToServerInstallments.issuerCode.check(issuer) }
        if let plan { try ServerToServerInstallments.planCode.check(plan) }
        if issuer != nil && plan == nil { throw .missing("plan_code") }
        if plan != nil && issuer == nil { throw .missing("issuer_code") }
        return InstallmentRequest(amount: amount, currency: currency, issuerCode: issuer, planCode: plan)
    }

    /// The chosen plan (nil when none was posted), once the card is known to be eligible.
    func installmentPlan(_ request: InstallmentRequest, card: CardEntry.Checked, merchant: Merchant) throws(APSFailure) -> InstallmentOption? {
        guard let issuerCode = request.issuerCode, let planCode = request.planCode else {
            let eligibility = InstallmentEligibility.check(context.installments, merchant: merchant.identifier, cardNumber: card.number,
                                                           amount: request.amount, currency: request.currency)
            if let code = eligibility.messageCode {
                throw APSFailure(message: code, detail: "installments=STANDALONE: the card has no installment plan for this amount and currency (\(code): \(APSResponseCode(status: APSStatus.invalidRequest, message: code).responseMessage))")
            }
            return nil
        }
        do {
            return try InstallmentSelection.choose(context.installments, merchant: merchant.identifier, issuerCode: issuerCode,
                                                   planCode: planCode, cardNumber: card.number, amount: request.amount,
                                                   currency: request.currency)
        } catch {
            throw APSFailure(message: error.messageCode, detail: "issuer_code \(issuerCode) plan_code \(planCode): \(APSResponseCode(status: APSStatus.invalidRequest, message: error.messageCode).responseMessage)")
        }
    }
}
