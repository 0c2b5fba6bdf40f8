import PayLinkCore

/// valU step 3, `service_command=OTP_VERIFY`: checks the customer's one-time password against
/// the OTP generated for this `merchant_reference`: `92182` when it is right, `93787` when it
/// is not, `93748` when no OTP was generated for it (or amount, currency or phone number
/// differ from OTP_GENERATE's). Fields as the plugin's `valu_verfiy_otp`: the common ones,
/// `otp`, `amount`, `currency`, `merchant_order_id`, `total_downpayment`.
///
/// The plugin (as published) builds this request but never sends it, and PURCHASE carries the
/// `otp` again: so PURCHASE does not need this step, and checks the OTP itself.
enum ValuOTPVerifyCommand: APSCommand {
    static let name = "OTP_VERIFY"
    static let failureStatus = ValuCodes.otpVerifyFailed
    static let identifiesLinks = false

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try parameters.requireScalar(ValuRequest.commonFields + ["otp", "amount", "currency", "merchant_order_id", "total_downpayment"])
        let (reference, phone) = try ValuRequest.common(parameters, merchant: merchant)
        let otp = try parameters.required("otp")
        try ValuRequest.otp.check(otp)
        let money = try parameters.text("amount") == nil && parameters.text("currency") == nil ? nil
            : ValuRequest.money(parameters, merchant: merchant, context: context, command: "PURCHASE")
        if let orderID = parameters.text("merchant_order_id") { try ValuRequest.merchantOrderID.check(orderID) }
        _ = try ValuRequest.optionalAmount(parameters, "total_downpayment")
        _ = try ValuPurchaseCommand.generatedOTP(merchant: merchant, reference: reference, phone: phone, money: money,
                                                  context: context, status: failureStatus)
        guard otp == ValuTestCustomers.passingOTP else {
            throw APSFailure(status: failureStatus, message: ValuCodes.wrongOTP, detail: "wrong OTP: the sandbox's valU OTP is \(ValuTestCustomers.passingOTP)")
        }
        context.valu.update(merchant: merchant.identifier, reference: reference) { $0.otpVerified = true }
        return APSCommandResult(code: ValuCodes.otpVerified, fields: [])
    }
}
