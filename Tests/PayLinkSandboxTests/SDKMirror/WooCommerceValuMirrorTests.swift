import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// The valU requests exactly as the official WooCommerce plugin sends them
/// (payfort/woocommerce-payfort `lib/class-aps-payment.php`: `valu_verify_customer`,
/// `valu_generate_otp`, `valu_execute_purchase`; signed by `lib/class-aps-helper.php`
/// `generate_signature`): the fields in the plugin's order, `wp_json_encode`d (PHP integers
/// bare), sorted by `ksort`, `products` signed as
/// `[{product_name=…, product_price=…, product_category=…}]`, SHA-256 in lowercase hex. The
/// signature is computed here, not with the sandbox's signer. The plugin reads `status` and
/// `response_code` (90000, 88000, 14000), `merchant_order_id`, `installment_detail.plan_details[]`
/// (`number_of_installments`, `amount_per_month`, `fees_amount`), `valu_transaction_id` and
/// `loan_number`.
struct WooCommerceValuMirrorTests {
    typealias Style = SDKRequestStyle

    /// A field as the plugin's array holds it: a string, a PHP integer, or the products list.
    enum Field {
        case text(String), integer(Int), products(name: String, price: Int, category: String)

        var json: String {
            switch self {
            case .text(let value): Style.Value.string(value).json
            case .integer(let value): String(value)
            case .products(let name, let price, let category):
                #"[{"product_name":\#(Style.Value.string(name).json),"product_price":\#(price),"product_category":\#(Style.Value.string(category).json)}]"#
            }
        }

        /// As `generate_signature` writes it.
        var signed: String {
            switch self {
            case .text(let value): value
            case .integer(let value): String(value)
            case .products(let name, let price, let category): "[{product_name=\(name), product_price=\(price), product_category=\(category)}]"
            }
        }
    }

    func send(_ aps: APSTestClient, _ fields: [(String, Field)]) throws -> APSTestClient.Reply {
        let signature = Style.sha256(fields.map { ($0.0, $0.1.signed) }, phrase: aps.merchant.requestPhrase)
        let all = fields + [("signature", Field.text(signature))]
        let body = "{" + all.map { "\(Style.Value.string($0.0).json):\($0.1.json)" }.joined(separator: ",") + "}"
        return try aps.sendRaw(body)
    }

    @Test func theThreeCallsThePluginMakes_verifyGenerateAndPurchase_succeedAsItChecks() async throws {
        try await ServerToServerFixture.withSandbox { sandbox, aps in
            let reference = "a1b2c3d4e5", mobile = "01012345678", orderID = "431"
            // valu_verify_customer
            let verify = try send(aps, [
                ("service_command", .text("CUSTOMER_VERIFY")), ("merchant_identifier", .text(aps.merchant.identifier)),
                ("access_code", .text(aps.merchant.accessCode)), ("merchant_reference", .text(reference)), ("language", .text("en")),
                ("payment_option", .text("VALU")), ("phone_number", .text(mobile)),
            ])
            #expect(verify["status"] != nil && verify.code == "90000", "\(verify.object) \(verify.detail ?? "")")

            // valu_generate_otp: down payment off (0), ToU and cashback 0 (intval * 100)
            let otp = try send(aps, [
                ("service_command", .text("OTP_GENERATE")), ("access_code", .text(aps.merchant.accessCode)),
                ("merchant_identifier", .text(aps.merchant.identifier)), ("merchant_reference", .text(reference)),
                ("language", .text("en")), ("payment_option", .text("VALU")), ("merchant_order_id", .text(orderID)),
                ("phone_number", .text(mobile)), ("amount", .integer(250000)), ("currency", .text("EGP")),
                ("products", .products(name: "Blender", price: 250000, category: "Kitchen")), ("total_downpayment", .integer(0)),
                ("wallet_amount", .integer(0)), ("cashback_wallet_amount", .integer(0)), ("include_installments", .text("YES")),
            ])
            #expect(otp.code == "88000" && otp["merchant_order_id"] == orderID, "\(otp.object) \(otp.detail ?? "")")
            let plans = try #require(otp.object["installment_detail"]?.objectValue?["plan_details"]?.arrayValue)
            for plan in plans {
                let object = try #require(plan.objectValue)
                #expect(object["number_of_installments"] != nil && object["amount_per_month"] != nil && object["fees_amount"] != nil)
            }
            let tenure = try #require(plans.first?.objectValue?["number_of_installments"]).serializedText

            // valu_execute_purchase (transaction_id is OTP_GENERATE's merchant_order_id)
            let purchase = try send(aps, [
                ("command", .text("PURCHASE")), ("merchant_identifier", .text(aps.merchant.identifier)),
                ("access_code", .text(aps.merchant.accessCode)), ("merchant_reference", .text(reference)), ("language", .text("en")),
                ("payment_option", .text("VALU")), ("phone_number", .text(mobile)), ("amount", .integer(250000)),
                ("merchant_order_id", .text(orderID)), ("currency", .text("EGP")), ("otp", .text(ValuTestCustomers.passingOTP)),
                ("tenure", .text(tenure)), ("total_down_payment", .integer(0)), ("wallet_amount", .integer(0)),
                ("cashback_wallet_amount", .integer(0)), ("customer_code", .text(mobile)), ("customer_email", .text("jane@example.com")),
                ("purchase_description", .text("Order" + orderID)), ("transaction_id", .text(orderID)),
            ])
            #expect(purchase.code == "14000", "\(purchase.object) \(purchase.detail ?? "")")
            #expect(purchase["valu_transaction_id"] != nil && purchase["loan_number"] != nil)
            #expect(Style.phpResponseSignatureValid(purchase.object, phrase: aps.merchant.responsePhrase))
            #expect(sandbox.engine.order(merchant: aps.merchant.identifier, reference: reference)?.paymentOption == "VALU")
        }
    }
}

private extension JSONValue {
    /// A plan's number as the plugin puts it back into the purchase (`data-tenure`).
    var serializedText: String { String(decoding: serialized(), as: UTF8.self) }
}
