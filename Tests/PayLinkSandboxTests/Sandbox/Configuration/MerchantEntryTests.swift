import PayLinkJSON
import PayLinkCore
@testable import PayLinkSandbox
import Testing

/// A merchant as a config entry, as `/__sandbox/merchants` reads and writes it: the config
/// file's own checks, and a round trip that loses nothing.
struct MerchantEntryTests {
    func decode(_ text: String, path: String = "") throws(FieldProblem) -> Merchant {
        let value: JSONValue
        do { value = try JSONParser.parse(Array(text.utf8)) } catch { throw FieldProblem(path: "", message: "\(error)") }
        return try MerchantEntryJSON.decode(value, path: path)
    }

    @Test func everySetting_survivesARoundTrip() throws {
        var merchant = Merchant(identifier: "Shop1", accessCode: "code1", shaType: .hmacSHA512, requestPhrase: "in", responsePhrase: "out",
                                notificationURL: "http://127.0.0.1:9000/n", redirectURL: "https://shop.example/back", currencies: ["SAR", "AED"])
        merchant.directFeedbackURL = "http://127.0.0.1:9000/d"
        merchant.notificationsFormEncoded = true
        merchant.paymentOptions = ["VISA", "MADA"]
        let text = String(decoding: JSONValue.object(MerchantEntryJSON.encode(merchant)).serialized(), as: UTF8.self)
        #expect(try decode(text) == merchant)
        #expect(try decode(String(decoding: JSONValue.object(MerchantEntryJSON.encode(.demo)).serialized(), as: UTF8.self)) == .demo)
    }

    @Test(arguments: [
        (#"{"access_code": "a", "sha_request_phrase": "p", "sha_response_phrase": "q"}"#, "merchant_identifier"),
        (#"{"merchant_identifier": "M1", "access_code": "", "sha_request_phrase": "p", "sha_response_phrase": "q"}"#, "access_code"),
        (#"{"merchant_identifier": "M1", "access_code": "a", "sha_request_phrase": "p"}"#, "sha_response_phrase"),
        (#"{"merchant_identifier": "M1", "access_code": "a", "sha_request_phrase": "p", "sha_response_phrase": "q", "sha_type": "SHA-1"}"#, "sha_type"),
        (#"{"merchant_identifier": "M1", "access_code": "a", "sha_request_phrase": "p", "sha_response_phrase": "q", "feedback_format": "xml"}"#, "feedback_format"),
        (#"{"merchant_identifier": "M1", "access_code": "a", "sha_request_phrase": "p", "sha_response_phrase": "q", "payment_options": ["CASH"]}"#, "payment_options[0]"),
        (#"{"merchant_identifier": "M1", "access_code": "a", "sha_request_phrase": "p", "sha_response_phrase": "q", "direct_feedback_url": "mailto:x"}"#, "direct_feedback_url"),
        (#"{"merchant_identifier": "ABCDEFGHIJKLMNOPQRSTU", "access_code": "a", "sha_request_phrase": "p", "sha_response_phrase": "q"}"#, "merchant_identifier"),
    ])
    func aBadEntry_namesItsField(_ text: String, _ field: String) {
        #expect(throws: FieldProblem.self) { try decode(text) }
        do { _ = try decode(text) } catch { #expect(error.path == field, "\(error)") }
        // Under a path (a state snapshot's list), the field is named beneath it.
        do { _ = try decode(text, path: "merchants.merchants[2]") } catch { #expect(error.path == "merchants.merchants[2]." + field, "\(error)") }
    }
}
