import Foundation
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkSupport

/// `notifications.rewrite`: an `https://` feedback URL, which the sandbox cannot reach, is
/// posted to the plain `http://` address a rule maps it to; with no rule it fails naming the key.
struct NotificationRewriteTests {
    @Test func aRule_replacesTheStart_andKeepsTheRest() {
        let rewrite = NotificationRewrite(["https://shop.example": "http://127.0.0.1:9000",
                                           "https://shop.example/aps/direct": "http://127.0.0.1:9001/direct"])
        #expect(rewrite.rewrite("https://shop.example/aps/notify?x=1") == "http://127.0.0.1:9000/aps/notify?x=1")
        // The longer prefix wins, whatever the order in the file.
        #expect(rewrite.rewrite("https://shop.example/aps/direct") == "http://127.0.0.1:9001/direct")
        #expect(rewrite.rewrite("https://other.example/aps/notify") == nil)
        #expect(rewrite.rewrite("http://shop.example/aps/notify") == nil)
        #expect(NotificationRewrite.none.rewrite("https://shop.example/") == nil)
    }

    @Test func trailingSlashes_areMadeToAgree() {
        #expect(NotificationRewrite(["https://shop.example/": "http://127.0.0.1:9000"]).rewrite("https://shop.example/n") == "http://127.0.0.1:9000/n")
        #expect(NotificationRewrite(["https://shop.example": "http://127.0.0.1:9000/"]).rewrite("https://shop.example/n") == "http://127.0.0.1:9000/n")
    }

    @Test func theConfigKey_isRead() throws {
        let config = try ConfigurationFile.parse(Array(#"{"notifications": {"rewrite": {"https://shop.example": "http://127.0.0.1:9000"}}}"#.utf8))
        #expect(config.notificationRewrite == NotificationRewrite(["https://shop.example": "http://127.0.0.1:9000"]))
        #expect(try ConfigurationFile.parse(Array("{}".utf8)).notificationRewrite == .none)
    }

    @Test(arguments: [
        (#"{"https://shop.example": "https://127.0.0.1:9000"}"#, #"notifications.rewrite["https://shop.example"]"#, "give an http:// URL"),
        (#"{"https://shop.example": 9000}"#, #"notifications.rewrite["https://shop.example"]"#, "expected an http:// URL"),
        (#"{"shop.example": "http://127.0.0.1:9000"}"#, #"notifications.rewrite["shop.example"]"#, "scheme and host"),
        (#"{"https://": "http://127.0.0.1:9000"}"#, #"notifications.rewrite["https://"]"#, "scheme and host"),
        (#"["https://shop.example"]"#, "notifications.rewrite", "expected an object"),
    ])
    func aBadRule_isRefused_namingIt(_ rules: String, _ key: String, _ message: String) {
        do {
            _ = try ConfigurationFile.parse(Array(#"{"notifications": {"rewrite": \#(rules)}}"#.utf8))
            Issue.record("accepted \(rules)")
        } catch {
            #expect(error.path == key, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    /// A merchant whose feedback goes to its production https address, and a rule that maps that
    /// address to a receiver on this machine.
    func withHTTPSMerchant(rewrite: Bool, _ body: (Sandbox, APSTestClient, ScenarioReceiver, Int) async throws -> Void) async throws {
        let feedback = try FeedbackReceiverServer()
        defer { feedback.stop() }
        let (receiver, port) = (feedback.receiver, feedback.port)
        var merchant = Merchant.demo
        merchant.notificationURL = "https://shop.example/aps/notify"
        var config = SandboxConfiguration.testing(merchants: [merchant])
        config.backgroundWork = .manual
        if rewrite { config.notificationRewrite = NotificationRewrite(["https://shop.example": "http://127.0.0.1:\(port)"]) }
        try await withSandbox(config) { sandbox, aps in try await body(sandbox, aps, receiver, port) }
    }

    func payAndSettle(_ aps: APSTestClient, _ reference: String) throws -> JSONObject {
        let id = try aps.createLink(reference)
        _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
        try aps.http.settle()
        let listed = try JSONParser.parse(try aps.http.get("/__sandbox/deliveries").body).objectValue
        return try #require(listed?["deliveries"]?.arrayValue?.first?.objectValue)
    }

    @Test func anHTTPSFeedbackURL_withARule_isDeliveredToTheRewrittenAddress() async throws {
        try await withHTTPSMerchant(rewrite: true) { sandbox, aps, receiver, port in
            let delivery = try payAndSettle(aps, "rw-1")
            let request = try #require(receiver.requests.first)
            #expect(request.target == "/aps/notify")
            let payload = ScenarioReceiver.payload(request.body)
            #expect(payload["command"] == "PURCHASE" && payload["response_code"] == "14000")
            // The record keeps the merchant's URL and says where the attempt went.
            #expect(delivery["url"] == "https://shop.example/aps/notify")
            #expect(delivery["state"] == "delivered")
            let attempt = try #require(delivery["attempts"]?.arrayValue?.first?.objectValue)
            #expect(attempt["delivered_to"] == .string("http://127.0.0.1:\(port)/aps/notify"))
            #expect(attempt["status"] == .number("200"))
            // The console's deliveries page says so too.
            let page = try aps.http.get("/dashboard/deliveries")
            #expect(String(decoding: page.body, as: UTF8.self).contains("sent to http://127.0.0.1:\(port)/aps/notify"))

            // Where it went survives a state export and import.
            let exported = try aps.http.get("/__sandbox/state")
            #expect(try aps.http.request("PUT", "/__sandbox/state", body: exported.body, headers: [("Content-Type", "application/json")]).status == 200)
            #expect(sandbox.service.deliveries.deliveries().first?.attempts.first?.deliveredTo == "http://127.0.0.1:\(port)/aps/notify")
        }
    }

    @Test func anHTTPSFeedbackURL_withNoRule_failsNamingTheKey() async throws {
        try await withHTTPSMerchant(rewrite: false) { _, aps, receiver, _ in
            let delivery = try payAndSettle(aps, "rw-2")
            #expect(receiver.requests.isEmpty)
            #expect(delivery["state"] == "pending")
            let attempt = try #require(delivery["attempts"]?.arrayValue?.first?.objectValue)
            #expect(attempt["delivered_to"] == nil)
            #expect(attempt["error"] == .string(#"cannot post to https://shop.example/aps/notify: the sandbox has no TLS client; map it to an http:// receiver with notifications.rewrite, e.g. {"https://shop.example": "http://127.0.0.1:9000"}"#))
        }
    }

    /// docs/https.md's example rule is a valid config, and the error it quotes is the one given.
    @Test func theDocsExample_isAValidConfig_andQuotesTheRealError() throws {
        let page = try DocsExampleTests.page("docs/https.md")
        let example = try #require(DocsExampleTests.blocks(page, language: "json").first)
        let config = try ConfigurationFile.parse(Array(example.utf8))
        #expect(config.notificationRewrite.rewrite("https://shop.example/aps/notify") == "http://127.0.0.1:9000/aps/notify")
        #expect(page.replacingOccurrences(of: "\n", with: " ").contains(
            #"cannot post to https://shop.example/aps/notify: the sandbox has no TLS client; map it to an http:// receiver with notifications.rewrite, e.g. {"https://shop.example": "http://127.0.0.1:9000"}"#))
    }

    @Test func notificationFaults_matchThePathTheMerchantGave() {
        #expect(DeliveryService.path(of: "https://shop.example/aps/notify?a=1") == "/aps/notify?a=1")
        #expect(DeliveryService.path(of: "https://shop.example") == "/")
        #expect(DeliveryService.path(of: "https://shop.example?a=1") == "/?a=1")
        #expect(DeliveryService.origin("https://shop.example:8443/aps/notify") == "https://shop.example:8443")
    }
}
