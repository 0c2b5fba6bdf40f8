import PayLinkCore

/// valU step 1, `service_command=CUSTOMER_VERIFY` on paymentApi: is this mobile number a valU
/// customer? `90000` yes (the journey of this `merchant_reference` starts), `00160` no.
/// Fields as the official WooCommerce plugin sends them (`valu_verify_customer`):
/// `merchant_reference`, `language`, `payment_option=VALU`, `phone_number`.
enum ValuCustomerVerifyCommand: APSCommand {
    static let name = "CUSTOMER_VERIFY"
    static let failureStatus = "91"     // Customer Verify Failed
    static let identifiesLinks = false

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try parameters.requireScalar(ValuRequest.commonFields)
        let (reference, phone) = try ValuRequest.common(parameters, merchant: merchant)
        guard !context.engine.hasReference(merchant: merchant.identifier, reference: reference) else {
            throw APSFailure(message: "066", detail: "merchant_reference \(reference) is already used by a link or an order of \(merchant.identifier)")
        }
        guard ValuTestCustomers.outcome(for: phone) != .notACustomer else {
            throw APSFailure(message: ValuCodes.notACustomer, detail: "\(phone) is the sandbox's valU number of a person who is not a valU customer")
        }
        context.valu.start(.init(merchantIdentifier: merchant.identifier, reference: reference, phoneNumber: phone))
        return APSCommandResult(code: ValuCodes.customerVerified, fields: [])
    }
}
