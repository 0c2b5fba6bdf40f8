import Foundation
import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// `X-Sandbox-Detail`: every refusal carries one, on every surface, and it is always ASCII
/// (percent-encoded UTF-8 where the text is not), decoding to the text the sandbox wrote.
struct RefusalDetailTests {
    static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }

    /// The detail of a response, checked to be ASCII, decoded.
    func detail(_ response: HTTPTestClient.Response, _ what: String) -> String? {
        guard let raw = response.header("X-Sandbox-Detail") else {
            Issue.record("\(what): \(response.status) without X-Sandbox-Detail: \(response.text.prefix(200))")
            return nil
        }
        #expect(Self.isASCII(raw), "\(what): not ASCII: \(raw)")
        #expect(!raw.isEmpty, "\(what)")
        return SandboxDetail.decode(raw)
    }

    @Test func encoding_keepsEnglishReadable_andEscapesEverythingElse() {
        #expect(SandboxDetail.encode("missing parameter customer_email") == "missing parameter customer_email")
        #expect(SandboxDetail.encode("got 'سارة'") == "got '%D8%B3%D8%A7%D8%B1%D8%A9'")
        #expect(SandboxDetail.encode("100% sure\r\nX-Injected: 1") == "100%25 sure%0D%0AX-Injected: 1")
        #expect(SandboxDetail.encode("tab\tdel\u{7F}emoji 😀") == "tab%09del%7Femoji %F0%9F%98%80")
        for text in ["سارة أحمد: هذا الحقل مطلوب.", "100% 😀 %41 \\u0041", "plain", ""] {
            #expect(Self.isASCII(SandboxDetail.encode(text)))
            #expect(SandboxDetail.decode(SandboxDetail.encode(text)) == text)
        }
        // The same decoding as any URL decoder's.
        #expect("got '%D8%B3%D8%A7%D8%B1%D8%A9' 100%25".removingPercentEncoding == "got 'سارة' 100%")
    }

    @Test func longDetails_areCutAtACharacter_neverInsideAnEscape() {
        let arabic = String(repeating: "ب", count: 1_000)  // 6 bytes each once encoded
        let encoded = SandboxDetail.encode("x" + arabic)
        #expect(encoded.utf8.count <= SandboxDetail.maxLength)
        #expect(encoded.utf8.count == 1 + (SandboxDetail.maxLength - 1) / 6 * 6)
        #expect(SandboxDetail.decode(encoded) == "x" + String(repeating: "ب", count: (SandboxDetail.maxLength - 1) / 6))
        #expect(SandboxDetail.encode(String(repeating: "a", count: 5_000)).utf8.count == SandboxDetail.maxLength)
    }

    /// An APS refusal quoting a client's Arabic value: ASCII on the wire, the Arabic text in
    /// the journal's `detail`.
    @Test func anAPSRefusalQuotingArabic_isASCII_andTheJournalShowsTheText() async throws {
        try await withSandbox { _, aps in
            let refused = try aps.send(APSTestClient.paymentLink("rd-1", ["amount": "١٢٥"]))
            #expect(refused.code != "48000")
            let text = try #require(detail(refused.http, "APS 002"))
            #expect(text.contains("١٢٥"), "\(text)")
            let journal = try JSONParser.parse(try aps.http.get("/__sandbox/journal?merchant_reference=rd-1").body)
            let entry = try #require(journal.objectValue?["entries"]?.arrayValue?.first?.objectValue)
            #expect(entry["detail"]?.stringValue == text)
        }
    }

    @Test func everyAPSAnswerThatIsNotASuccess_explainsItself() async throws {
        try await withSandbox { _, aps in
            #expect(detail(try aps.sendRaw("[1]").http, "APS 073") != nil)
            #expect(detail(try aps.send(["service_command": "PAYMENT_LINK"], sign: false).http, "APS 001") != nil)
            #expect(try aps.send(APSTestClient.paymentLink("rd-ok")).http.header("X-Sandbox-Detail") == nil, "a success has nothing to explain")
            _ = try aps.http.post("/__sandbox/faults", json: #"{"type":"response_code","response_code":"00006"}"#)
            let forced = try aps.send(APSTestClient.paymentLink("rd-forced"))
            #expect(forced.code == "00006")
            #expect(detail(forced.http, "forced 00006")?.contains("forced by a fault") == true)
            // A batch answer too.
            let batch = try aps.http.post("/FortAPI/batchApi/", json: #"{"service_command":"BATCH_RESULT"}"#)
            #expect(detail(batch, "batchApi") != nil)
        }
    }

    @Test func controlAPIPayByLinkAndHTTPErrors_explainThemselves() async throws {
        try await withSandbox { _, aps in
            let http = aps.http
            #expect(detail(try http.get("/__sandbox/nowhere"), "control 404")?.contains("/__sandbox/nowhere") == true)
            #expect(detail(try http.post("/__sandbox/clock", json: "[1]"), "control 400")?.contains("JSON object") == true)
            #expect(detail(try http.request("PATCH", "/__sandbox/health"), "control 405") != nil)
            let id = try aps.createLink("rd-paid")
            _ = try http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
            let conflict = try http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
            #expect(conflict.status == 409 && detail(conflict, "control 409") != nil)
            #expect(detail(try http.get("/elsewhere"), "other 404") != nil)

            var payByLink = PayByLinkTestClient(http: http)
            #expect(detail(try payByLink.post("/requests", PayByLinkTestClient.body("rd-p", ["Amount": ""])).http, "PayByLink 400")?.contains("Amount") == true)
            #expect(detail(try payByLink.get("/requests/nope").http, "PayByLink 404") != nil)
            #expect(detail(try payByLink.get("/no-such-operation").http, "PayByLink unknown operation") != nil)
            payByLink.key = nil
            #expect(detail(try payByLink.get("/requests").http, "PayByLink 401")?.contains("subscription key") == true)

            #expect(detail(try http.get("/dashboard/links/999999999999999999"), "dashboard 404") != nil)
            _ = try http.post("/__sandbox/faults", json: #"{"type":"http_status","status":503,"body":"down"}"#)
            #expect(detail(try http.get("/pay/anything"), "http_status fault")?.contains("http_status fault") == true)
        }
    }

    /// Refused by the HTTP layer itself, before any surface sees the request.
    @Test func brokenHTTP_isExplainedToo() async throws {
        try await withSandbox { _, aps in
            let huge = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 70_000) + "\r\n\r\n"
            let tooLarge = try HTTPTestClient.parse(try aps.http.exchange(Array(huge.utf8)))
            #expect(tooLarge.status == 431)
            #expect(detail(tooLarge, "431") != nil)
            let bad = try HTTPTestClient.parse(try aps.http.exchange(Array("NOT HTTP\r\n\r\n".utf8)))
            #expect(bad.status == 400 && detail(bad, "400") != nil)
        }
    }

    /// The hosted page's refusals say why in English, whatever the page's language.
    @Test func hostedPageRefusals_areExplainedInEnglish_evenOnArabicPages() async throws {
        try await withSandbox { sandbox, aps in
            let pages = HostedPageTests()
            let id = try aps.createLink("rd-page", ["language": "ar"])
            let page = try pages.path(sandbox, id)
            let refused = try pages.postForm(aps, page, [("payment_option", "VISA"), ("card_holder_name", "سارة")])
            #expect(refused.status == 422)
            let text = try #require(detail(refused, "hosted page 422"))
            #expect(text.contains("card_number: Enter a valid card number.") || text.contains("card_number: This field is required."), "\(text)")
            #expect(text.contains("Accept the terms and conditions to pay."), "\(text)")
            #expect(detail(try aps.http.get("/pay/0000000000000000"), "hosted page 404") != nil)
            _ = try aps.send(["service_command": "UPDATE_PAYMENT_LINK", "payment_link_id": .string(id), "language": "en", "payment_link_status": "Closed"])
            let closed = try pages.postForm(aps, page, pages.goodCard)
            #expect(closed.status == 409)
            #expect(detail(closed, "hosted page 409").map(Self.isASCII) == true)
            #expect(detail(try pages.postForm(aps, page + "/3ds", [("verification_id", "3ds-1"), ("code", "1")]), "hosted page 400") != nil)
        }
    }
}
