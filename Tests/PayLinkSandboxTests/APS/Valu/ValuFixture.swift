import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// The valU steps' requests, as the official WooCommerce plugin fills them
/// (`lib/class-aps-payment.php`), for one `merchant_reference` and phone number.
struct ValuSteps {
    let aps: APSTestClient
    let reference: String
    var phone = "01012345678"
    var amount = "150000"

    func verify(_ fields: JSONObject = [:]) throws -> APSTestClient.Reply {
        try aps.send(merge(["service_command": "CUSTOMER_VERIFY", "merchant_reference": .string(reference), "language": "en",
                            "payment_option": "VALU", "phone_number": .string(phone)], fields))
    }

    func generateOTP(_ fields: JSONObject = [:]) throws -> APSTestClient.Reply {
        try aps.send(merge([
            "service_command": "OTP_GENERATE", "merchant_reference": .string(reference), "language": "en", "payment_option": "VALU",
            "merchant_order_id": "wc-77", "phone_number": .string(phone), "amount": .string(amount), "currency": "EGP",
            "products": .array([.object(["product_name": "Kettle", "product_price": .string(amount), "product_category": "Kitchen"])]),
            "total_downpayment": .number("0"), "wallet_amount": .number("0"), "cashback_wallet_amount": .number("0"),
            "include_installments": "YES",
        ], fields))
    }

    func verifyOTP(_ otp: String = ValuTestCustomers.passingOTP, _ fields: JSONObject = [:]) throws -> APSTestClient.Reply {
        try aps.send(merge([
            "service_command": "OTP_VERIFY", "merchant_reference": .string(reference), "language": "en", "payment_option": "VALU",
            "phone_number": .string(phone), "amount": .string(amount), "merchant_order_id": "wc-77", "currency": "EGP",
            "otp": .string(otp), "total_downpayment": .number("0"),
        ], fields))
    }

    func purchase(otp: String = ValuTestCustomers.passingOTP, tenure: String = "6", _ fields: JSONObject = [:]) throws -> APSTestClient.Reply {
        try aps.send(merge([
            "command": "PURCHASE", "merchant_reference": .string(reference), "language": "en", "payment_option": "VALU",
            "phone_number": .string(phone), "amount": .string(amount), "merchant_order_id": "wc-77", "currency": "EGP",
            "otp": .string(otp), "tenure": .string(tenure), "total_down_payment": .number("0"), "wallet_amount": .number("0"),
            "cashback_wallet_amount": .number("0"), "customer_code": .string(phone), "customer_email": "jane@example.com",
            "purchase_description": "Order77", "transaction_id": "wc-77",
        ], fields))
    }

    /// Verify and generate the OTP; returns OTP_GENERATE's answer.
    func upToOTP() throws -> APSTestClient.Reply {
        _ = try verify()
        return try generateOTP()
    }

    private func merge(_ base: JSONObject, _ fields: JSONObject) -> JSONObject {
        var object = base
        for (key, value) in fields { object[key] = value }
        return object
    }
}
