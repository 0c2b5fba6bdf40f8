import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// The installment PURCHASE that follows a Merchant Page tokenization, exactly as the official
/// SDKs send it (docs/sdk-requests.md).
struct InstallmentsSDKMirrorTests {
    typealias Style = SDKRequestStyle
    typealias F = ServerToServerFixture

    /// Mirrors payfort-php-sdk src/AmazonPaymentServices/Model/Payment/InstallmentsCCCustomPurchase.php
    /// (built by PaymentTypeAdapter::generateParameters): access_code, merchant_identifier, then
    /// the required fields in order (command, merchant_reference, amount as a JSON number,
    /// currency, language, customer_email, customer_ip, token_name, then `installments` forced to
    /// HOSTED by CCCustomAuthorization::getPaymentParameter, plan_code, issuer_code, which the SDK's
    /// InstallmentsCCCustomResponse takes from the session the plan picker filled), a lowercase
    /// signature; the answer checked with APSValidator::isResponseValid.
    @Test func installmentsCustomPurchase_asThePHPSDKSendsIt_answers14000_withThePlan() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "php-inst", card: F.amex, brand: "AMEX")
            let fields: [(String, Style.Value)] = [
                ("access_code", .string(aps.merchant.accessCode)), ("merchant_identifier", .string(aps.merchant.identifier)),
                ("command", .string("PURCHASE")), ("merchant_reference", .string("php-inst-1")), ("amount", .number(150000)),
                ("currency", .string("SAR")), ("language", .string("en")), ("customer_email", .string("jane@example.com")),
                ("customer_ip", .string("192.0.2.10")), ("token_name", .string("php-inst")), ("installments", .string("HOSTED")),
                ("plan_code", .string("SAFLAT12")), ("issuer_code", .string("SBXSA001")),
            ]
            let signature = Style.sha256(fields.map { ($0.0, $0.1.text) }, phrase: aps.merchant.requestPhrase)
            let reply = try aps.sendRaw(Style.body(fields + [("signature", .string(signature))]))
            #expect(reply.code == "14000" && reply["number_of_installments"] == "12" && reply["plan_code"] == "SAFLAT12",
                    "\(reply.object) \(reply.detail ?? "")")
            #expect(Style.phpResponseSignatureValid(reply.object, phrase: aps.merchant.responsePhrase))
            // A plan of another issuer is refused, signed, so the SDK can report it.
            var wrong = fields
            wrong[3] = ("merchant_reference", .string("php-inst-2"))
            wrong[12] = ("issuer_code", .string("SBXAE001"))
            let wrongSignature = Style.sha256(wrong.map { ($0.0, $0.1.text) }, phrase: aps.merchant.requestPhrase)
            let refused = try aps.sendRaw(Style.body(wrong + [("signature", .string(wrongSignature))]))
            #expect(refused.code == "00094" && Style.phpResponseSignatureValid(refused.object, phrase: aps.merchant.responsePhrase))
        }
    }

    /// Mirrors payfort-java-sdk src/main/java/com/payfort/sdk/FortSDK.java (callApi) for the same
    /// purchase: the merchant's FortParameter plus access_code, merchant_identifier and language,
    /// UPPERCASE SHA-256 (SignatureGenerator), fields sorted and every value a string
    /// (JsonRequestConverter); the answer checked with validateResponseSignature.
    @Test func installmentsPurchase_inTheJavaStyle_answers14000() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "java-inst", card: F.amex, brand: "AMEX")
            var fields: [(String, String)] = [
                ("command", "PURCHASE"), ("merchant_reference", "java-inst-1"), ("amount", "150000"), ("currency", "SAR"),
                ("customer_email", "jane@example.com"), ("customer_ip", "192.0.2.10"), ("token_name", "java-inst"),
                ("installments", "YES"), ("plan_code", "SAFIX003"), ("issuer_code", "SBXSA001"),
                ("access_code", aps.merchant.accessCode), ("merchant_identifier", aps.merchant.identifier), ("language", "en"),
            ]
            fields.append(("signature", Style.sha256(fields, phrase: aps.merchant.requestPhrase).uppercased()))
            let reply = try aps.sendRaw(Style.body(fields.sorted { $0.0 < $1.0 }.map { ($0.0, .string($0.1)) }))
            #expect(reply.code == "14000" && reply["number_of_installments"] == "3", "\(reply.object) \(reply.detail ?? "")")
            #expect(Style.javaResponseSignatureValid(reply.object, phrase: aps.merchant.responsePhrase))
        }
    }
}
