import PayLinkCore
import PayLinkJSON

/// valU step 2, `service_command=OTP_GENERATE`: valU "sends" the customer a one-time password
/// (the sandbox's is always `ValuTestCustomers.passingOTP`) and offers its tenures:
/// `88000` with `installment_detail.plan_details[]` (unsigned, as GET_INSTALLMENTS_PLANS'
/// `installment_detail`). Fields as the plugin's `valu_generate_otp`: the common ones,
/// `merchant_order_id`, `amount`, `currency` (EGP), `products[]`, `total_downpayment`,
/// `wallet_amount`, `cashback_wallet_amount`, `include_installments`.
///
/// Refused: no customer verified under this `merchant_reference` (`89160`), another phone
/// number than the verified one (`89748`), the test number over its limit (`89746`).
enum ValuOTPGenerateCommand: APSCommand {
    static let name = "OTP_GENERATE"
    static let failureStatus = ValuCodes.otpGenerationFailed
    static let identifiesLinks = false

    static let scalarFields = ValuRequest.commonFields + [
        "merchant_order_id", "amount", "currency", "total_downpayment", "wallet_amount", "cashback_wallet_amount", "include_installments",
    ]

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        throw APSFailure(message: "004", detail: "OTP_GENERATE answers through the endpoint only")
    }

    static func respond(_ parameters: APSParameters, merchant: Merchant, context: APSContext,
                        into response: inout APSResponseWriter) throws(APSFailure) -> APSResponseCode {
        try parameters.requireScalar(scalarFields)
        let (reference, phone) = try ValuRequest.common(parameters, merchant: merchant)
        let (amount, currency) = try ValuRequest.money(parameters, merchant: merchant, context: context, command: "PURCHASE")
        let orderID = parameters.text("merchant_order_id")
        if let orderID { try ValuRequest.merchantOrderID.check(orderID) }
        try ValuRequest.checkProducts(parameters)
        let paidOtherwise = try ValuRequest.optionalAmount(parameters, "total_downpayment")
            + ValuRequest.optionalAmount(parameters, "wallet_amount") + ValuRequest.optionalAmount(parameters, "cashback_wallet_amount")
        if let include = parameters.text("include_installments"), include != "YES" && include != "NO" {
            throw .format("include_installments", "must be YES or NO")
        }
        guard paidOtherwise <= amount else {
            throw APSFailure(message: "005", detail: "total_downpayment, wallet_amount and cashback_wallet_amount add up to more than amount")
        }
        guard let journey = context.valu.journey(merchant: merchant.identifier, reference: reference) else {
            throw APSFailure(status: failureStatus, message: ValuCodes.notACustomer,
                             detail: "no valU customer is verified under merchant_reference \(reference): send CUSTOMER_VERIFY first")
        }
        guard journey.phoneNumber == phone else {
            throw APSFailure(status: failureStatus, message: ValuCodes.parameterMismatch,
                             detail: "phone_number \(phone) is not the number CUSTOMER_VERIFY verified (\(journey.phoneNumber))")
        }
        if ValuTestCustomers.outcome(for: phone) == .otpGenerationFails {
            throw APSFailure(status: failureStatus, message: ValuCodes.overLimit, detail: "\(phone) is the sandbox's valU number whose limit is too low for any purchase")
        }
        let plans = ValuPlan.plans(financing: amount - paidOtherwise)
        let otp = ValuJourneys.GeneratedOTP(amount: amount, currency: currency, merchantOrderID: orderID, plans: plans)
        context.valu.update(merchant: merchant.identifier, reference: reference) { journey in
            journey.otp = otp
            journey.otpVerified = false
        }
        if parameters.text("include_installments") != "NO" {
            response.setUnsigned("installment_detail", nested: ValuPlan.installmentDetail(plans, currency: currency))
        }
        return ValuCodes.otpGenerated
    }
}
