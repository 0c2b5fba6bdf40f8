import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// The Merchant Page form as a merchant builds it with the official Java SDK
/// (payfort/payfort-java-sdk), which has no page helper: the fields go in a `FortParameter`,
/// `FortSDK.addBasicParameters` adds access_code, merchant_identifier and language,
/// `FortSDK.calculateRequestSignature` (`SignatureGenerator`) signs every field present in
/// UPPERCASE hex SHA-256, and the merchant's page posts them to `FortEnvironment.pageURL()` with
/// the card fields the customer types (never in the `FortParameter`, so never signed).
struct JavaSDKTokenizationMirrorTests {
    typealias Style = SDKRequestStyle

    @Test func tokenization_signedInUppercaseHex_answers18000_andPassesTheJavaResponseCheck() async throws {
        try await withSandbox { sandbox, aps in
            let merchant = aps.merchant
            var fields = [
                ("service_command", "TOKENIZATION"), ("merchant_reference", "java-tok-1"), ("token_name", "java-card-1"),
                ("return_url", "https://shop.example/return"), ("access_code", merchant.accessCode),
                ("merchant_identifier", merchant.identifier), ("language", "en"),
            ]
            fields.append(("signature", Style.sha256(fields, phrase: merchant.requestPhrase).uppercased()))
            fields += [("card_number", "5123450000000008"), ("expiry_date", "3001"), ("card_security_code", "100"),
                       ("card_holder_name", "Ali Hassan")]
            let answer = try MerchantPageForm.post(aps, fields)
            #expect(answer.code == "18000" && answer["token_name"] == "java-card-1", "\(answer.fields) \(answer.detail ?? "")")
            #expect(answer["card_number"] == "512345******0008" && answer["card_bin"] == "512345")
            // `FortSDK.validateResponseSignature`: uppercase hex compared ignoring case.
            #expect(Style.javaResponseSignatureValid(answer.object, phrase: merchant.responsePhrase))
            #expect(sandbox.service.state.tokens.token(named: "java-card-1", merchant: merchant.identifier)?.brand == "MASTERCARD")
        }
    }
}
