import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// The Merchant Page form exactly as the official PHP SDK (payfort/payfort-php-sdk 2.0.0) builds
/// it: `FrontEndAdapter/Payments/CCCustom.php` renders `Templates/custom.html` with the hidden
/// inputs of `Model/Payment/CCCustomTokenization.php` (access_code, merchant_identifier, then the
/// required service_command, merchant_reference, language, then the optional ones set:
/// remember_me, return_url with the SDK's `?discriminator=` addon; `signature` last, lowercase
/// SHA-256 over them, `ksort`ed). The model forces card_number, expiry_date and
/// card_security_code to null, so they are never signed; the template's visible inputs
/// card_number, expiry_date, card_security_code and card_holder_name are what the customer types.
struct PHPSDKTokenizationMirrorTests {
    typealias Style = SDKRequestStyle

    func hiddenInputs(_ merchant: Merchant, reference: String) -> [(String, String)] {
        let signed = [
            ("access_code", merchant.accessCode), ("merchant_identifier", merchant.identifier),
            ("service_command", "TOKENIZATION"), ("merchant_reference", reference), ("language", "en"),
            ("remember_me", "YES"),
            ("return_url", "https://shop.example/aps/return?discriminator=9f2c61d0a7b3e4c58d16f0e2b7a9c3d4e5f60718293a4b5c6d7e8f9012345678"),
        ]
        return signed + [("signature", Style.sha256(signed, phrase: merchant.requestPhrase))]
    }

    let typedByTheCustomer = [("card_number", "4005550000000001"), ("expiry_date", "3005"), ("card_security_code", "123"),
                              ("card_holder_name", "Test Customer")]

    @Test func customTokenization_asThePHPSDKBuildsIt_answers18000_andPassesItsResponseCheck() async throws {
        try await withSandbox { sandbox, aps in
            let answer = try MerchantPageForm.post(aps, hiddenInputs(aps.merchant, reference: "php-tok-1") + typedByTheCustomer)
            #expect(answer.code == "18000" && answer["status"] == "18", "\(answer.fields) \(answer.detail ?? "")")
            #expect(answer.action?.hasSuffix("?discriminator=9f2c61d0a7b3e4c58d16f0e2b7a9c3d4e5f60718293a4b5c6d7e8f9012345678") == true)
            // `ResponseHandler` checks the posted fields with `APSValidator::isResponseValid`.
            #expect(Style.phpResponseSignatureValid(answer.object, phrase: aps.merchant.responsePhrase))
            #expect(!Style.phpResponseSignatureValid(answer.object, phrase: "another-phrase"))
            let name = try #require(answer["token_name"])
            #expect(answer["card_holder_name"] == "Test Customer" && answer["remember_me"] == "YES")
            #expect(sandbox.service.state.tokens.token(named: name, merchant: aps.merchant.identifier)?.cardHolderName == "Test Customer")
        }
    }

    /// A refusal comes back the same way, and the SDK's check accepts its signature too.
    @Test func customTokenization_withAnExpiredCard_comesBackSigned00012() async throws {
        try await withSandbox { _, aps in
            var typed = typedByTheCustomer
            typed[1] = ("expiry_date", "2501")
            let answer = try MerchantPageForm.post(aps, hiddenInputs(aps.merchant, reference: "php-tok-2") + typed)
            #expect(answer.code == "00012", "\(answer.fields)")
            #expect(Style.phpResponseSignatureValid(answer.object, phrase: aps.merchant.responsePhrase))
        }
    }
}
