import PayLinkCore

/// valU step 4, `command=PURCHASE` with `payment_option=VALU` on paymentApi: the purchase on
/// the chosen `tenure`, with the customer's `otp`. Fields as the plugin's
/// `valu_execute_purchase`: the common ones, `amount`, `currency`, `merchant_order_id`,
/// `otp`, `tenure`, `total_down_payment`, `wallet_amount`, `cashback_wallet_amount`,
/// `customer_code`, `customer_email`, `purchase_description`, `transaction_id`.
///
/// It makes an order (`engine.checkoutPayment`, `payment_option` VALU) whose feedback,
/// CHECK_STATUS and REFUND work as any other's: `14000` with `valu_transaction_id` and
/// `loan_number` (which the plugin reads), or `13666` for the declining test number. Refused
/// without an order: no OTP generated for this reference, or amount, currency or phone number
/// not those of OTP_GENERATE (`00748`); a wrong OTP (`13787`, the customer may try again); a
/// tenure OTP_GENERATE did not offer (`00033`); a used reference (`00066`).
enum ValuPurchaseCommand: APSCommand {
    static let name = TransactionCommand.purchase.rawValue
    static let failureStatus = ValuCodes.purchaseFailed
    static let identifiesLinks = false

    static let scalarFields = ValuRequest.commonFields + [
        "amount", "currency", "merchant_order_id", "otp", "tenure", "total_down_payment", "wallet_amount", "cashback_wallet_amount",
        "customer_code", "customer_email", "purchase_description", "transaction_id", "customer_ip", "order_description",
    ] + APSFields.merchantExtraNames

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try parameters.requireScalar(scalarFields)
        let (reference, phone) = try ValuRequest.common(parameters, merchant: merchant)
        let (amount, currency) = try ValuRequest.money(parameters, merchant: merchant, context: context, command: name)
        // Mandatory on every server-to-server PURCHASE (the plugin sends it in each step).
        _ = try APSValues.language(parameters.required("language"))
        try checkOptionalFields(parameters)
        let otp = try parameters.required("otp")
        try ValuRequest.otp.check(otp)
        let tenureText = try parameters.required("tenure")
        guard let tenure = Int(tenureText), tenureText.utf8.count <= 3 else { throw .format("tenure", "must be a number of months") }
        guard !context.engine.hasReference(merchant: merchant.identifier, reference: reference) else {
            throw APSFailure(message: "066", detail: "merchant_reference \(reference) is already used by a link or an order of \(merchant.identifier)")
        }
        let generated = try generatedOTP(merchant: merchant, reference: reference, phone: phone, money: (amount, currency),
                                         context: context, status: APSStatus.invalidRequest)
        for (field, expected) in [("merchant_order_id", generated.merchantOrderID), ("transaction_id", generated.merchantOrderID)] {
            if let expected, let sent = parameters.text(field), sent != expected {
                throw APSFailure(message: ValuCodes.parameterMismatch, detail: "\(field) \(sent) is not OTP_GENERATE's merchant_order_id \(expected)")
            }
        }
        guard otp == ValuTestCustomers.passingOTP else {
            throw APSFailure(status: failureStatus, message: ValuCodes.wrongOTP,
                             detail: "wrong OTP: the sandbox's valU OTP is \(ValuTestCustomers.passingOTP); nothing was charged")
        }
        guard generated.plans.contains(where: { $0.numberOfInstallments == tenure }) else {
            let offered = generated.plans.map { String($0.numberOfInstallments) }.joined(separator: ", ")
            throw APSFailure(message: ValuCodes.tenureNotOffered, detail: "tenure \(tenure) was not offered by OTP_GENERATE (\(offered))")
        }

        let fortID = context.engine.reserveFortID()
        let approved = ValuTestCustomers.outcome(for: phone) != .purchaseDeclined
        var requestFields = ValuRequest.orderFields(parameters)
        var fields: [(String, String)] = [("fort_id", fortID)]
        if approved {
            // Kept with the order's fields, so its feedback and CHECK_STATUS carry them too.
            let loan = loanFields(fortID: fortID)
            for (key, value) in loan { requestFields[key] = value }
            fields += loan
        }
        let terms = CheckoutTerms(merchantIdentifier: merchant.identifier, merchantReference: reference, command: .purchase,
                                  currency: currency, amount: amount, requestFields: requestFields)
        let details = PaymentDetails(paymentOption: ValuRequest.paymentOption, phoneNumber: phone, customerIP: parameters.text("customer_ip"))
        let status: OrderStatus = approved ? .approved
            : .declined(APSResponseCode(status: failureStatus, message: ValuCodes.declined))
        let order = try ServerToServerPayment.record(terms, details: details, status: status, fortID: fortID, context: context)
        context.valu.finish(merchant: merchant.identifier, reference: reference)
        if approved { fields.append(("authorization_code", order.authorizationCode)) }
        return APSCommandResult(code: order.status.code(for: .purchase), fields: fields)
    }

    /// The OTP generated for this journey, when the step's phone number (and money, when
    /// given) are those it was generated for; else `<status>748`.
    static func generatedOTP(merchant: Merchant, reference: String, phone: String, money: (amount: Int64, currency: String)?,
                             context: APSContext, status: String) throws(APSFailure) -> ValuJourneys.GeneratedOTP {
        guard let journey = context.valu.journey(merchant: merchant.identifier, reference: reference), let generated = journey.otp else {
            throw APSFailure(status: status, message: ValuCodes.parameterMismatch,
                             detail: "no valU OTP was generated under merchant_reference \(reference) (CUSTOMER_VERIFY, then OTP_GENERATE)")
        }
        guard journey.phoneNumber == phone else {
            throw APSFailure(status: status, message: ValuCodes.parameterMismatch, detail: "phone_number \(phone) is not OTP_GENERATE's \(journey.phoneNumber)")
        }
        if let money, money.amount != generated.amount || money.currency != generated.currency {
            throw APSFailure(status: status, message: ValuCodes.parameterMismatch,
                             detail: "amount \(money.amount) \(money.currency) is not OTP_GENERATE's \(generated.amount) \(generated.currency)")
        }
        return generated
    }

    /// valU's own references for the loan, derived from the fort_id (so runs repeat).
    static func loanFields(fortID: String) -> [(String, String)] {
        [("valu_transaction_id", "VALU" + fortID), ("loan_number", "LN" + String(fortID.suffix(10)))]
    }

    private static func checkOptionalFields(_ parameters: APSParameters) throws(APSFailure) {
        if let email = parameters.text("customer_email") { try APSValues.email(email) }
        if let id = parameters.text("merchant_order_id") { try ValuRequest.merchantOrderID.check(id) }
        if let id = parameters.text("transaction_id") { try ValuRequest.transactionID.check(id) }
        if let text = parameters.text("purchase_description") { try ValuRequest.purchaseDescription.check(text) }
        if let code = parameters.text("customer_code") { try ValuRequest.customerCode.check(code) }
        if let text = parameters.text("order_description") { try APSFields.orderDescription.check(text) }
        if let ip = parameters.text("customer_ip"), !CustomerIP.isValid(ip) { throw .format("customer_ip", "must be an IPv4 or IPv6 address") }
        for name in ["total_down_payment", "wallet_amount", "cashback_wallet_amount"] { _ = try ValuRequest.optionalAmount(parameters, name) }
        for rule in APSFields.merchantExtras {
            if let extra = parameters.text(rule.name) { try rule.check(extra) }
        }
    }
}
