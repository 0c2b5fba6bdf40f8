import Dispatch
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Synchronization
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// Server-to-server notifications: signed, retried on the sandbox clock until acknowledged.
struct NotificationTests {
    /// A merchant endpoint that answers 500 to the first `failures` posts, then 200: the
    /// scenario runner's receiver.
    typealias Receiver = ScenarioReceiver

    func withMerchantEndpoint(failures: Int, format: String? = nil, retries: Int = 10,
                              _ body: (Sandbox, APSTestClient, Receiver) async throws -> Void) async throws {
        let receiver = Receiver(failures: failures)
        var serverConfig = HTTPServerConfiguration()
        serverConfig.port = 0
        let server = HTTPServer(configuration: serverConfig, handler: receiver)
        let port = try server.start()
        defer { server.stop() }
        var merchant = Merchant.demo
        merchant.notificationURL = "http://127.0.0.1:\(port)/aps/notify"
        merchant.notificationsFormEncoded = format == "form"
        var config = SandboxConfiguration.testing(merchants: [merchant])
        config.notificationRetries = retries
        config.backgroundWork = .manual
        try await withSandbox(config) { sandbox, aps in try await body(sandbox, aps, receiver) }
    }

    /// Runs the background work due now, through the control API (`POST /__sandbox/settle`):
    /// the sandbox runs it only then, so nothing is delivered behind a test's back.
    func settle(_ aps: APSTestClient) throws {
        let reply = try aps.http.post("/__sandbox/settle", json: "")
        #expect(reply.status == 200)
    }

    func pay(_ aps: APSTestClient, _ reference: String, command: String = "PURCHASE") throws -> String {
        let id = try aps.createLink(reference, ["link_command": .string(command)])
        _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
        return id
    }

    @Test func payment_isNotifiedAsSignedJSON_withTheFeedbackParameters() async throws {
        try await withMerchantEndpoint(failures: 0) { sandbox, aps, receiver in
            let linkID = try pay(aps, "n-1")
            try settle(aps)
            #expect(sandbox.service.deliveries.deliveries().first?.state == .delivered)
            let request = try #require(receiver.requests.first)
            #expect(request.path == "/aps/notify")
            #expect(request.headers["Content-Type"] == "application/json")
            let payload = try #require(try JSONParser.parse(request.body).objectValue)
            #expect(payload["command"] == "PURCHASE")
            #expect(payload["response_code"] == "14000" && payload["status"] == "14")
            #expect(payload["payment_link_id"] == .string(linkID))
            #expect(payload["merchant_reference"] == "n-1" && payload["amount"] == "125000" && payload["currency"] == "SAR")
            #expect(payload["card_number"] == "400555******0001")
            #expect(payload["eci"] == "ECOMMERCE")
            #expect(payload["fort_id"]?.stringValue?.count == 18)
            #expect(payload["signature"] == .string(Merchant.demo.signer.sign(payload, phrase: Merchant.demo.responsePhrase)))
        }
    }

    @Test func failedDeliveries_areRetriedTenSecondsApartOnTheSandboxClock() async throws {
        try await withMerchantEndpoint(failures: 3) { sandbox, aps, receiver in
            _ = try pay(aps, "n-retry")
            let queue = sandbox.service.deliveries
            try settle(aps)
            #expect(queue.deliveries().first?.attempts.count == 1)
            var delivery = try #require(queue.deliveries().first)
            #expect(delivery.state == .pending)
            #expect(delivery.attempts[0].status == 500)
            #expect(delivery.nextAttemptAt == delivery.attempts[0].at.adding(seconds: 10))
            // Nothing happens until the clock moves, however long we wait.
            try settle(aps)
            #expect(receiver.requests.count == 1)
            for expected in 2...4 {
                try sandbox.clock.advance(milliseconds: 10_000)
                try settle(aps)
                #expect(queue.deliveries().first?.attempts.count == expected)
                #expect(queue.deliveries().first?.attempts.count == expected)
            }
            delivery = try #require(queue.deliveries().first)
            #expect(delivery.state == .delivered)
            #expect(delivery.attempts.map(\.status) == [500, 500, 500, 200])
            #expect(receiver.requests.count == 4)
        }
    }

    @Test func aDeliveryNeverAcknowledged_givesUpAfterTheConfiguredRetries() async throws {
        try await withMerchantEndpoint(failures: 100, retries: 2) { sandbox, aps, _ in
            _ = try pay(aps, "n-fail")
            let queue = sandbox.service.deliveries
            for expected in 1...3 {
                try settle(aps)
                #expect(queue.deliveries().first?.attempts.count == expected)
                try sandbox.clock.advance(milliseconds: 10_000)
            }
            try settle(aps)
            #expect(queue.deliveries().first?.state == .failed)
            let delivery = try #require(queue.deliveries().first)
            #expect(delivery.state == .failed && delivery.attempts.count == 3 && delivery.nextAttemptAt == nil)
        }
    }

    @Test func formEncodedMerchants_getAFormPost() async throws {
        try await withMerchantEndpoint(failures: 0, format: "form") { sandbox, aps, receiver in
            _ = try pay(aps, "n-form")
            try settle(aps)
            #expect(sandbox.service.deliveries.deliveries().first?.state == .delivered)
            let request = try #require(receiver.requests.first)
            #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
            let body = String(decoding: request.body, as: UTF8.self)
            #expect(body.contains("command=PURCHASE") && body.contains("card_number=400555%2A%2A%2A%2A%2A%2A0001") == false)
            #expect(body.contains("card_number=400555******0001"))
            #expect(body.contains("signature="))
        }
    }

    @Test func capturesAndRefunds_areNotifiedToo() async throws {
        try await withMerchantEndpoint(failures: 0) { sandbox, aps, receiver in
            _ = try pay(aps, "n-ops", command: "AUTHORIZATION")
            let capture = try aps.send(["command": "CAPTURE", "merchant_reference": "n-ops", "amount": "1000", "currency": "SAR", "language": "en"])
            #expect(capture.code == "04000")
            let refund = try aps.send(["command": "REFUND", "merchant_reference": "n-ops", "amount": "400", "currency": "SAR", "language": "en"])
            #expect(refund.code == "06000")
            try settle(aps)
            #expect(sandbox.service.deliveries.deliveries().filter { $0.state == .delivered }.count == 3)
            let events = sandbox.service.deliveries.deliveries().map(\.event)
            #expect(events == ["AUTHORIZATION", "CAPTURE", "REFUND"])
            let lastRequest = try #require(receiver.requests.last)
            let last = try #require(try JSONParser.parse(lastRequest.body).objectValue)
            #expect(last["command"] == "REFUND" && last["amount"] == "400" && last["response_code"] == "06000")
        }
    }

    @Test func deliveries_areListedByTheControlAPI() async throws {
        try await withMerchantEndpoint(failures: 1) { sandbox, aps, _ in
            _ = try pay(aps, "n-list")
            try settle(aps)
            #expect(sandbox.service.deliveries.deliveries().first?.attempts.count == 1)
            let response = try aps.http.get("/__sandbox/deliveries")
            let body = try #require(try JSONParser.parse(response.body).objectValue)
            let first = try #require(body["deliveries"]?.arrayValue?.first?.objectValue)
            #expect(first["state"] == "pending")
            #expect(first["event"] == "PURCHASE")
            #expect(first["attempts"]?.arrayValue?.first?.objectValue?["status"] == .number("500"))
            #expect(first["next_attempt_at"] == "2026-01-01T00:00:10Z")
        }
    }

    @Test func anUnreachableEndpoint_isRecordedAsAnErrorAndRetried() async throws {
        var merchant = Merchant.demo
        merchant.notificationURL = "http://127.0.0.1:1/nobody-listens"
        try await withSandbox(.testing(merchants: [merchant])) { sandbox, aps in
            _ = try pay(aps, "n-down")
            try settle(aps)
            #expect(sandbox.service.deliveries.deliveries().first?.attempts.count == 1)
            let delivery = try #require(sandbox.service.deliveries.deliveries().first)
            #expect(delivery.state == .pending)
            #expect(delivery.attempts.first?.error?.contains("connection failed") == true)
        }
    }

    @Test func deliveryURLs_parse_andHTTPSIsRefusedClearly() throws {
        #expect(try HTTPClient.parse("http://127.0.0.1:9000/aps/notify") == .init(host: "127.0.0.1", port: 9000, path: "/aps/notify"))
        #expect(try HTTPClient.parse("http://localhost") == .init(host: "127.0.0.1", port: 80, path: "/"))
        #expect(try HTTPClient.parse("http://[::1]:8080/x?y=1") == .init(host: "::1", port: 8080, path: "/x?y=1"))
        #expect(throws: HTTPClient.URLError(description: "https is not available offline; use http://")) {
            try HTTPClient.parse("https://merchant.example/notify")
        }
    }

    @Test func declinedAndUncertainAttempts_areNotified_andTheUncertainOneIsResolvedByALaterNotification() async throws {
        try await withMerchantEndpoint(failures: 0) { sandbox, aps, receiver in
            let id = try aps.createLink("n-unc")
            _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4000000000000028"}"#)
            _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4000000000000770"}"#)
            try settle(aps)
            #expect(receiver.requests.count == 2)
            let first = try #require(try JSONParser.parse(receiver.requests[0].body).objectValue)
            let second = try #require(try JSONParser.parse(receiver.requests[1].body).objectValue)
            #expect(first["response_code"] == "13029" && first["status"] == "13" && first["authorization_code"] == nil)
            #expect(second["response_code"] == "15777" && second["status"] == "15")
            #expect(first["fort_id"] != second["fort_id"])

            // 60 sandbox seconds later the acquirer confirms: one more notification, same fort_id.
            _ = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 60}"#)
            try settle(aps)
            #expect(receiver.requests.count == 3)
            let third = try #require(try JSONParser.parse(receiver.requests[2].body).objectValue)
            #expect(third["response_code"] == "14000" && third["fort_id"] == second["fort_id"])
            #expect(third["signature"] == .string(Merchant.demo.signer.sign(third, phrase: Merchant.demo.responsePhrase)))
            #expect(sandbox.engine.link(id: id)?.state == .paid)
        }
    }

    @Test func uncertainPayments_resolveOnARunningClockToo() async throws {
        var config = SandboxConfiguration.testing()
        config.clock.mode = .running
        try await withSandbox(config) { sandbox, aps in
            let id = try aps.createLink("n-running")
            _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4000000000000770"}"#)
            // Background work settles it once the clock passes the due time, not the clock move itself.
            try sandbox.clock.advance(milliseconds: 61_000)
            try settle(aps)
            #expect(sandbox.engine.link(id: id)?.state == .paid)
        }
    }

    func payload(_ request: HTTPRequest) throws -> JSONObject { try #require(try JSONParser.parse(request.body).objectValue) }

    @Test func notificationFail_failsTheFirstNDeliveries_thenTheRetryIsAcknowledged() async throws {
        try await withMerchantEndpoint(failures: 0) { sandbox, aps, receiver in
            _ = try aps.http.post("/__sandbox/faults", json: #"{"type":"notification_fail","times":3}"#)
            _ = try pay(aps, "nf-1")
            let queue = sandbox.service.deliveries
            for expected in 1...3 {
                try settle(aps)
                #expect(queue.deliveries().first?.attempts.count == expected)
                _ = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 10}"#)
            }
            try settle(aps)
            #expect(queue.deliveries().first?.state == .delivered)
            let attempts = try #require(queue.deliveries().first).attempts
            #expect(attempts.map(\.error) == ["injected fault: the delivery failed", "injected fault: the delivery failed",
                                              "injected fault: the delivery failed", nil])
            #expect(receiver.requests.count == 1)
        }
    }

    @Test func notificationDuplicate_deliversTheSamePayloadTwice() async throws {
        try await withMerchantEndpoint(failures: 0) { _, aps, receiver in
            _ = try aps.http.post("/__sandbox/faults", json: #"{"type":"notification_duplicate"}"#)
            _ = try pay(aps, "nd-1")
            try settle(aps)
            #expect(receiver.requests.count == 2)
            #expect(receiver.requests.count == 2 && receiver.requests[0].body == receiver.requests[1].body)
        }
    }

    @Test func notificationReorder_sendsTheNextOneFirst() async throws {
        try await withMerchantEndpoint(failures: 0) { _, aps, receiver in
            _ = try aps.http.post("/__sandbox/faults", json: #"{"type":"notification_reorder","match":{"merchant_reference":"nr-first"}}"#)
            _ = try pay(aps, "nr-first")
            try settle(aps)
            #expect(receiver.requests.isEmpty)
            _ = try pay(aps, "nr-second")
            try settle(aps)
            #expect(receiver.requests.count == 2)
            #expect(try receiver.requests.map { try payload($0)["merchant_reference"] } == ["nr-second", "nr-first"])
        }
    }

    @Test func notificationDelay_waitsOnTheSandboxClock() async throws {
        try await withMerchantEndpoint(failures: 0) { _, aps, receiver in
            _ = try aps.http.post("/__sandbox/faults", json: #"{"type":"notification_delay","seconds":30}"#)
            _ = try pay(aps, "ndl-1")
            try settle(aps)
            #expect(receiver.requests.isEmpty)
            _ = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 30}"#)
            try settle(aps)
            #expect(receiver.requests.count == 1)
            #expect(receiver.requests.count == 1)
        }
    }
}
