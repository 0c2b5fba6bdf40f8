import Foundation
import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// `service_command=TOKENIZATION` on `/FortAPI/paymentPage` over a real socket: the merchant's own
/// form posts the card, the sandbox saves it as a token and posts the signed result back.
struct MerchantPageTokenizationTests {
    typealias Form = MerchantPageForm

    @Test func aGoodCard_isSavedUnderADrawnName_andTheSignedResultGoesToReturnURL() async throws {
        try await withSandbox { sandbox, aps in
            let answer = try Form.post(aps, Form(extra: [("merchant_extra", "basket-9")]).signed())
            #expect(answer.http.status == 200 && answer.code == "18000", "\(answer.fields) \(answer.detail ?? "")")
            #expect(answer.http.header("X-Sandbox-Response-Code") == "18000")
            #expect(answer.action == "https://shop.example/return")
            #expect(answer.isSigned())
            #expect(answer.fields.map(\.0) == [
                "service_command", "access_code", "merchant_identifier", "merchant_reference", "language", "token_name",
                "card_number", "card_bin", "expiry_date", "card_holder_name", "remember_me", "return_url",
                "response_code", "response_message", "status", "merchant_extra", "signature",
            ])
            #expect(answer["status"] == "18" && answer["response_message"] == "Success")
            #expect(answer["card_number"] == "400555******0001" && answer["card_bin"] == "400555" && answer["expiry_date"] == "3005")
            #expect(answer["merchant_extra"] == "basket-9" && answer["remember_me"] == "YES")
            let name = try #require(answer["token_name"])
            #expect(name.count == 32)
            let token = try #require(sandbox.service.state.tokens.token(named: name, merchant: Merchant.demo.identifier))
            #expect(token.maskedCardNumber == "400555******0001" && token.brand == "VISA" && token.cardHolderName == "Test Customer")
            #expect(token.status == .active && token.createdAt == sandbox.engine.now(for: Merchant.demo.identifier))
            // Nothing charged, no order made; the clear number and security code are nowhere.
            #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "tok-1") == nil)
            #expect(!answer.http.text.contains("4005550000000001") && !answer.http.text.contains("card_security_code"))
        }
    }

    @Test func theMerchantsOwnTokenName_isKept_andTakenAgainIs00114() async throws {
        try await withSandbox { sandbox, aps in
            let first = try Form.post(aps, Form(tokenName: "shop-card_1").signed())
            #expect(first.code == "18000" && first["token_name"] == "shop-card_1", "\(first.fields)")
            #expect(sandbox.service.state.tokens.token(named: "shop-card_1", merchant: Merchant.demo.identifier) != nil)
            let again = try Form.post(aps, Form(reference: "tok-2", tokenName: "shop-card_1",
                                                card: [("card_number", "5123450000000008"), ("expiry_date", "3001"),
                                                       ("card_security_code", "100")]).signed())
            #expect(again.code == "00114" && again["status"] == "00" && again["response_message"] == "Token already exist", "\(again.fields)")
            #expect(again.isSigned() && again.action == "https://shop.example/return")
            #expect(sandbox.service.state.tokens.all().count == 1)
            #expect(sandbox.service.state.tokens.all().first?.maskedCardNumber == "400555******0001")
        }
    }

    /// The docs leave the five card fields out of the signature; the PHP SDK signs
    /// card_holder_name and remember_me when the merchant sets them. Either way passes.
    @Test(arguments: [
        ["card_number", "expiry_date", "card_security_code", "card_holder_name", "remember_me"],
        ["card_number", "expiry_date", "card_security_code"],
        ["card_number", "expiry_date", "card_security_code", "card_holder_name"],
    ])
    func eitherSignatureConvention_isAccepted(_ unsigned: [String]) async throws {
        try await withSandbox { _, aps in
            let answer = try Form.post(aps, Form().signed { !unsigned.contains($0) })
            #expect(answer.code == "18000", "\(answer.fields) \(answer.detail ?? "")")
        }
    }

    @Test func aSignatureOverTheCardNumber_orWithAnotherPhrase_is00008_signedBackToReturnURL() async throws {
        try await withSandbox { sandbox, aps in
            let overCard = try Form.post(aps, Form().signed { _ in true })
            #expect(overCard.code == "00008" && overCard.isSigned(), "\(overCard.fields)")
            var wrong = Merchant.demo
            wrong.requestPhrase = "not-the-phrase"
            let wrongPhrase = try Form.post(aps, Form().signed(wrong))
            #expect(wrongPhrase.code == "00008" && wrongPhrase.action == "https://shop.example/return")
            #expect(wrongPhrase.detail?.contains("signature mismatch") == true)
            #expect(wrongPhrase["response_message"] == "Signature mismatch" && wrongPhrase["card_number"] == nil)
            #expect(sandbox.service.state.tokens.all().isEmpty)
        }
    }

    @Test(arguments: [
        ("card_number", "4005550000000002", "00016"),   // Luhn fails
        ("card_number", "1234567812345670", "00016"),   // no scheme
        ("expiry_date", "2512", "00012"),               // before January 2026 on the frozen clock
        ("expiry_date", "3013", "00100"),               // no month 13
        ("expiry_date", "30-1", "00100"),
        ("card_security_code", "12", "00002"),
        ("card_number", "", "00001"),
        ("card_security_code", "", "00001"),
    ])
    func aBadCard_isRefusedWithItsCode_andNothingIsSaved(_ field: String, _ value: String, _ code: String) async throws {
        try await withSandbox { sandbox, aps in
            let answer = try Form.post(aps, Form().replacing(field, with: value.isEmpty ? nil : value).signed())
            #expect(answer.code == code && answer["status"] == "00", "\(answer.fields) \(answer.detail ?? "")")
            #expect(answer.isSigned() && answer["token_name"] == nil && answer["card_number"] == nil)
            #expect(sandbox.service.state.tokens.all().isEmpty)
        }
    }

    @Test(arguments: ["merchant_reference", "language", "access_code"])
    func aMissingSignedField_is00001(_ field: String) async throws {
        try await withSandbox { _, aps in
            let answer = try Form.post(aps, Form().replacing(field, with: nil).signed())
            #expect(answer.code == "00001" && answer.isSigned(), "\(answer.fields)")
            #expect(answer.detail?.contains(field) == true)
        }
    }

    @Test func withoutReturnURL_theMerchantsRedirectURLGetsIt_elseThePageShowsIt() async throws {
        var merchant = Merchant.demo
        merchant.redirectURL = "https://shop.example/configured"
        try await withSandbox(.testing(merchants: [merchant])) { _, aps in
            let answer = try Form.post(aps, Form(returnURL: nil).signed())
            #expect(answer.code == "18000" && answer.action == "https://shop.example/configured")
        }
        try await withSandbox { _, aps in
            let answer = try Form.post(aps, Form(returnURL: nil).signed())
            #expect(answer.action == nil && answer.http.text.contains("18000") && answer.http.text.contains("400555******0001"))
        }
    }

    @Test func anUnknownMerchant_isShownUnsigned_andSentNowhere() async throws {
        try await withSandbox { _, aps in
            let answer = try Form.post(aps, Form().replacing("merchant_identifier", with: "Nobody").signed())
            #expect(answer.http.status == 400 && answer.action == nil && answer.http.text.contains("00009"))
        }
    }

    @Test func anArabicForm_getsArabicHeadings() async throws {
        try await withSandbox { _, aps in
            let answer = try Form.post(aps, Form().replacing("language", with: "ar").signed())
            #expect(answer.code == "18000" && answer.http.text.contains(#"dir="rtl""#) && answer.http.text.contains("تم حفظ البطاقة"))
        }
    }

    /// The journal keeps the form with the card masked and the security code dropped.
    @Test func theJournal_neverHoldsTheClearCard() async throws {
        try await withSandbox { _, aps in
            #expect(try Form.post(aps, Form().signed()).code == "18000")
            let journal = try aps.http.get("/__sandbox/journal").text
            #expect(journal.contains("paymentPage") && journal.contains("400555******0001"), "\(journal.prefix(2000))")
            #expect(!journal.contains("4005550000000001") && !journal.contains("card_security_code=123"))
        }
    }

    /// The token is in the state snapshot and comes back after a `--state-dir` restart.
    @Test func theToken_isInTheState_andSurvivesARestart() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = StateDirectoryTests.configuration(directory)
        try await withSandbox(configuration) { _, aps in
            #expect(try Form.post(aps, Form(tokenName: "kept-card").signed()).code == "18000")
            let state = try aps.http.get("/__sandbox/state")
            guard case .object(let object) = try JSONParser.parse(state.body) else { Issue.record("state is not an object"); return }
            let tokens = try #require(object["tokens"]?.arrayValue).compactMap(\.objectValue)
            #expect(tokens.map { $0["token_name"] } == ["kept-card"] && tokens.first?["card_number"] == "400555******0001")
            #expect(!state.text.contains("4005550000000001"))
        }
        try await withSandbox(configuration) { sandbox, _ in
            let token = sandbox.service.state.tokens.token(named: "kept-card", merchant: Merchant.demo.identifier)
            #expect(token?.expiryDate == "3005" && token?.cardHolderName == "Test Customer")
        }
    }
}
