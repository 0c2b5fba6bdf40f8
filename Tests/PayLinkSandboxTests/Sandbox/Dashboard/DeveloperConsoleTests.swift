import Foundation
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkSupport

/// The dashboard's developer console over a real socket: the outbox as the customer sees it,
/// deliveries with Resend, the journal and the signature debugger; hostile text escaped.
struct DeveloperConsoleTests {
    static let hostile = "<script>alert('x')</script>"

    /// A link whose customer is notified by e-mail and SMS, then a hostile description and
    /// customer name put in the state (the API refuses `<` in them; a state snapshot may hold
    /// any character), so the link, its messages and its feedback all carry them.
    static func hostileLink(_ aps: APSTestClient, _ reference: String = "console-1", pay: Bool = false) throws -> String {
        let id = try aps.createLink(reference, ["notification_type": "EMAIL,SMS", "customer_phone": "00966500000001",
                                                "order_description": "Invoice HOSTILE", "customer_name": "Sara HOSTILENAME"])
        if pay {
            _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
            try aps.http.settle()
        }
        let state = try aps.http.get("/__sandbox/state").text
        let hostileState = state.replacingOccurrences(of: "Invoice HOSTILE", with: hostile)
            .replacingOccurrences(of: "HOSTILENAME", with: "<b>Ahmed</b>")
        let put = try aps.http.request("PUT", "/__sandbox/state", body: Array(hostileState.utf8), headers: [("Content-Type", "application/json")])
        guard put.status == 200 else { throw HTTPTestClient.ClientError(description: "state import failed: \(put.text)") }
        return id
    }

    static func expectEscaped(_ page: HTTPTestClient.Response, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!page.text.contains("<script>alert"), "hostile text must not reach the page as markup", sourceLocation: sourceLocation)
        #expect(!page.text.contains("<b>Ahmed"), sourceLocation: sourceLocation)
    }

    // MARK: outbox

    @Test func outbox_showsEachEmailAsAMessage_andEachSMSAsABubble_newestFirst_escaped() async throws {
        try await withSandbox { sandbox, aps in
            let id = try Self.hostileLink(aps)
            let page = try aps.http.get("/dashboard/outbox")
            #expect(page.status == 200)
            #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
            Self.expectEscaped(page)
            #expect(page.text.contains(HTML.escape(Self.hostile)))
            #expect(page.text.contains("<article class=\"email\"") && page.text.contains("<article class=\"sms\""))
            #expect(page.text.contains("<dt>To</dt><dd>customer@example.com</dd>"))
            #expect(page.text.contains("Payment request console-1"), "the subject")
            #expect(page.text.contains("<p class=\"bubble\" dir=\"auto\">"))
            // The payment link in the text is a link.
            let url = try #require(sandbox.engine.link(id: id)).link.token
            #expect(page.text.contains("<a href=\"\(sandbox.publicURL)/pay/\(url)\" rel=\"noreferrer\">"), "\(page.text)")
            // Newest first: the SMS (sent second) comes before the e-mail.
            let sms = try #require(page.text.range(of: "<article class=\"sms\""))
            let email = try #require(page.text.range(of: "<article class=\"email\""))
            #expect(sms.lowerBound < email.lowerBound)

            let onlySMS = try aps.http.get("/dashboard/outbox?channel=SMS&payment_link_id=\(id)")
            #expect(onlySMS.status == 200 && onlySMS.text.contains("<article class=\"sms\"") && !onlySMS.text.contains("<article class=\"email\""))
            #expect(try aps.http.get("/dashboard/outbox?channel=FAX").status == 400)
            let unknown = try aps.http.get("/dashboard/outbox?colour=red")
            #expect(unknown.status == 400 && unknown.text.contains("colour"))
        }
    }

    @Test func outbox_isPaged() async throws {
        try await withSandbox { _, aps in
            for n in 1...26 { _ = try aps.createLink("page-\(n)", ["notification_type": "EMAIL,SMS", "customer_phone": "00966500000001"]) }
            // 52 messages: 50 on the first page, 2 on the second.
            let first = try aps.http.get("/dashboard/outbox")
            #expect(first.text.components(separatedBy: "<article ").count - 1 == 50)
            #expect(first.text.contains("Page 1 of 2") && first.text.contains("href=\"/dashboard/outbox?page=2\""))
            let second = try aps.http.get("/dashboard/outbox?page=2")
            #expect(second.text.components(separatedBy: "<article ").count - 1 == 2)
            #expect(second.text.contains("Payment request page-1<"), "the oldest is on the last page")
        }
    }

    // MARK: deliveries

    @Test func deliveries_listAttempts_andResendQueuesANewDelivery() async throws {
        try await DeliveryResendTests().withReceiver { sandbox, aps, receiver in
            _ = try Self.hostileLink(aps, "deliver-1", pay: true)
            let delivery = try #require(sandbox.service.deliveries.deliveries().first)
            let page = try aps.http.get("/dashboard/deliveries")
            #expect(page.status == 200)
            Self.expectEscaped(page)
            #expect(page.text.contains(HTML.escape(Self.hostile)), "the payload carries the hostile description, escaped")
            #expect(page.text.contains("Direct transaction feedback"))
            #expect(page.text.contains(HTML.escape(delivery.url)))
            #expect(page.text.contains("HTTP 200 (acknowledged)"))
            #expect(page.text.contains("action=\"/dashboard/deliveries/\(delivery.id)/resend\""))
            #expect(page.text.contains(HTML.escape(delivery.payload["signature"]?.stringValue ?? "?")), "the payload is shown")

            let before = receiver.requests.count
            let resend = try aps.http.request("POST", "/dashboard/deliveries/\(delivery.id)/resend")
            #expect(resend.status == 303)
            let location = try #require(resend.header("Location"))
            let newID = try #require(sandbox.service.deliveries.deliveries().last?.id)
            #expect(location == "/dashboard/deliveries?resent=\(newID)" && newID != delivery.id)
            try aps.http.settle()
            #expect(receiver.requests.count == before + 1)
            let after = try aps.http.get(location)
            #expect(after.text.contains("Queued as delivery \(newID)"))
            #expect(after.text.contains("id=\"delivery-\(newID)\""))
            let filtered = try aps.http.get("/dashboard/deliveries?state=pending")
            #expect(filtered.status == 200 && !filtered.text.contains("id=\"delivery-"))
            #expect(try aps.http.get("/dashboard/deliveries?state=lost").status == 400)
            #expect(try aps.http.request("POST", "/dashboard/deliveries/424242/resend").status == 404)
        }
    }

    // MARK: journal and signature debugger

    @Test func journal_showsEntriesWithFilters_andA008LinksToTheDebuggerFilledIn() async throws {
        try await withSandbox { _, aps in
            _ = try aps.createLink("journal-1")
            // Refused (the description's characters), but journaled as sent.
            #expect(try aps.send(APSTestClient.paymentLink("journal-2", ["order_description": .string(Self.hostile)])).code != "48000")
            var bad = APSTestClient.paymentLink("journal-bad")
            bad["access_code"] = .string(Merchant.demo.accessCode)
            bad["merchant_identifier"] = .string(Merchant.demo.identifier)
            bad["signature"] = "00ff"
            let refused = try aps.send(bad, sign: false)
            #expect(refused.code?.hasSuffix("008") == true)

            let page = try aps.http.get("/dashboard/journal")
            #expect(page.status == 200)
            Self.expectEscaped(page)
            #expect(page.text.contains("<details class=\"entry\""))
            #expect(page.text.contains("Signature mismatch (008)"))
            let link = try #require(page.text.firstMatch(of: /href="(\/dashboard\/signature\?journal=(\d+))">Open in the signature debugger/))
            #expect(!page.text.contains(Merchant.demo.requestPhrase), "the phrase is never shown")

            let filtered = try aps.http.get("/dashboard/journal?merchant_reference=journal-1")
            #expect(filtered.text.components(separatedBy: "<details class=\"entry\"").count - 1 == 1)
            #expect(!filtered.text.contains("Signature mismatch"))
            #expect(try aps.http.get("/dashboard/journal?since=yesterday").status == 400)

            let debugger = try aps.http.get(String(link.1))
            #expect(debugger.status == 200)
            #expect(debugger.text.contains("does NOT match"))
            #expect(debugger.text.contains("journal-bad"), "the request is filled in")
            #expect(debugger.text.contains("<option value=\"\(Merchant.demo.identifier)\" selected>"))
            #expect(debugger.text.contains("[phrase]access_code=\(Merchant.demo.accessCode)"))
            #expect(!debugger.text.contains(Merchant.demo.requestPhrase))
            let expected = Merchant.demo.signer.sign(bad, phrase: Merchant.demo.requestPhrase)
            #expect(debugger.text.contains(expected))
            #expect(try aps.http.get("/dashboard/signature?journal=99999").status == 404)
        }
    }

    static func check(_ aps: APSTestClient, _ pairs: [(String, String)]) throws -> HTTPTestClient.Response {
        try DashboardTests.post(aps.http, "/dashboard/signature", pairs)
    }

    @Test func signatureDebugger_checksJSONOrFormParameters_withAMerchantOrAPhrase() async throws {
        try await withSandbox { _, aps in
            var request = APSTestClient.paymentLink("sig-1")
            request["access_code"] = .string(Merchant.demo.accessCode)
            request["merchant_identifier"] = .string(Merchant.demo.identifier)
            let signature = Merchant.demo.signer.sign(request, phrase: Merchant.demo.requestPhrase)
            request["signature"] = .string(signature)
            let json = String(decoding: request.serialized(), as: UTF8.self)

            let good = try Self.check(aps, [("request", json), ("merchant_identifier", Merchant.demo.identifier)])
            #expect(good.status == 200 && good.text.contains("The given signature matches."))
            #expect(!good.text.contains(Merchant.demo.requestPhrase))
            // The same as form parameters, one a line, merchant taken from the request.
            let form = request.members.map { "\($0.key)=\(QueryParameters.encode($0.value.stringValue ?? ""))" }.joined(separator: "\n")
            #expect(try Self.check(aps, [("request", form)]).text.contains("The given signature matches."))
            // Checked against the response phrase instead, it does not match.
            #expect(try Self.check(aps, [("request", json), ("phrase", "response")]).text.contains("does NOT match"))
            // A phrase given: SHA-512 over the same string.
            let sha512 = APSSigner(algorithm: .sha512).sign(request, phrase: "my-phrase")
            let custom = try Self.check(aps, [("request", json), ("merchant_identifier", "custom"), ("custom_phrase", "my-phrase"),
                                              ("sha_type", "SHA-512"), ("signature", sha512)])
            #expect(custom.text.contains("The given signature matches.") && custom.text.contains("SHA-512"))
            // What a person must correct.
            #expect(try Self.check(aps, [("request", "")]).status == 422)
            #expect(try Self.check(aps, [("request", "{\"a\":")]).status == 422)
            #expect(try Self.check(aps, [("request", json), ("merchant_identifier", "custom")]).status == 422)
            let hostile = try Self.check(aps, [("request", "{\"order_description\":\"\(Self.hostile)\"}")])
            #expect(hostile.status == 200)
            Self.expectEscaped(hostile)
        }
    }
}
