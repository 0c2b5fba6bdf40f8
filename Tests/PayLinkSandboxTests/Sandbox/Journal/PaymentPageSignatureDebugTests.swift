import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// A paymentPage form with a wrong signature (hosted checkout or Merchant Page) is journaled
/// with `signature_debug`, as a paymentApi `008` is.
struct PaymentPageSignatureDebugTests {
    func lastEntry(_ aps: APSTestClient) throws -> JSONObject {
        let response = try aps.http.get("/__sandbox/journal")
        let object = try #require(try JSONParser.parse(response.body).objectValue)
        return try #require(object["entries"]?.arrayValue?.compactMap(\.objectValue).last)
    }

    @Test func aHostedCheckoutWithAWrongSignature_isJournaledWithTheExpectedCanonicalString() async throws {
        try await withSandbox { _, aps in
            let browser = HostedCheckoutBrowser(aps: aps)
            let fields = HostedCheckoutBrowser.redirectForm("sig-hc")
            let page = try browser.start(fields + [("signature", "0000")], sign: false)
            #expect(HostedCheckoutBrowser.returned(page.text)["response_code"] == "00008", "\(page.text)")
            let debug = try #require(try lastEntry(aps)["signature_debug"]?.objectValue)
            let expected = HostedCheckoutBrowser.signed(fields).last?.1
            #expect(debug["expected_signature"]?.stringValue == expected && debug["provided_signature"] == "0000")
            let canonical = try #require(debug["expected_canonical_string"]?.stringValue)
            #expect(canonical.hasPrefix("[phrase]access_code=") && canonical.contains("merchant_reference=sig-hc"))
        }
    }

    @Test func aMerchantPageWithAWrongSignature_isJournaledWithTheCardFieldsLeftOut() async throws {
        try await withSandbox { _, aps in
            let form = MerchantPageForm(reference: "sig-mp")
            var fields = form.signed()
            let right = fields.removeLast().1
            let answer = try MerchantPageForm.post(aps, fields + [("signature", "0000")])
            #expect(answer.code == "00008")
            let debug = try #require(try lastEntry(aps)["signature_debug"]?.objectValue)
            let canonical = try #require(debug["expected_canonical_string"]?.stringValue)
            #expect(canonical.contains("card_number") == false && canonical.contains("merchant_reference=sig-mp"))
            #expect(debug["expected_signature"]?.stringValue == right && debug["merchant_identifier"]?.stringValue == Merchant.demo.identifier)
        }
    }

    @Test func aGoodPaymentPageForm_hasNoSignatureDebug() async throws {
        try await withSandbox { _, aps in
            let answer = try MerchantPageForm.post(aps, MerchantPageForm(reference: "sig-ok").signed())
            #expect(answer.code == "18000")
            #expect(try lastEntry(aps)["signature_debug"] == nil)
        }
    }
}
