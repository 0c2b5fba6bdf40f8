import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
import Synchronization
import Testing
@testable import PayLinkPayByLink
@testable import PayLinkSandbox

/// Side effects follow the engine's events, whoever made the change; reads change nothing;
/// one reset reaches every component.
struct EventEffectsTests {
    static func manual() -> SandboxConfiguration {
        var merchant = Merchant.demo
        merchant.notificationURL = "http://127.0.0.1:1/nobody"
        var config = SandboxConfiguration.testing(merchants: [merchant])
        config.backgroundWork = .manual
        return config
    }

    /// A payment made on the engine itself (not through a request) still notifies the merchant:
    /// the APS feedback hangs off the event, not off the code path.
    @Test func aPaymentMadeOnTheEngine_notifiesTheMerchant() async throws {
        try await withSandbox(Self.manual()) { sandbox, aps in
            let id = try aps.createLink("ev-1")
            #expect(sandbox.service.deliveries.deliveries().isEmpty)
            _ = try sandbox.engine.pay(id: id)
            let delivery = try #require(sandbox.service.deliveries.deliveries().first)
            #expect(delivery.paymentLinkID == id && delivery.event == "PURCHASE" && delivery.payload["response_code"] == "14000")
        }
    }

    /// Reading a PayByLink request whose expiry the clock has passed shows it Expired, but
    /// records nothing and posts nothing; the expiry sweep does both, once.
    @Test func readingAnExpiredRequest_writesNothing_theSweepRecordsIt() async throws {
        try await withSandbox(Self.manual()) { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let created = try client.create("ev-pbl", ["CallbackUrl": "\"http://127.0.0.1:1/cb\"", "ExpiryDate": "\"2026-01-01T00:10:00Z\""])
            let id = try #require(created.string("RequestId"))
            let callbacksBefore = sandbox.service.deliveries.deliveries().count
            try sandbox.clock.advance(milliseconds: 600_000)
            let stored = sandbox.service.payByLink.snapshot()
            let read = try client.get("/requests/\(id)")
            #expect(read.string("Status") == "Expired")
            #expect(try client.get("/requests/\(id)").http.text == read.http.text, "two reads, one answer")
            #expect(sandbox.service.payByLink.snapshot().requests == stored.requests, "a read records nothing")
            #expect(sandbox.service.deliveries.deliveries().count == callbacksBefore, "a read posts nothing")
            sandbox.settle()
            #expect(sandbox.service.deliveries.deliveries().count == callbacksBefore + 1)
            #expect(try client.get("/requests/\(id)").http.text == read.http.text, "the sweep records what the read showed")
            sandbox.settle()
            #expect(sandbox.service.deliveries.deliveries().count == callbacksBefore + 1, "an expiry is recorded once")
        }
    }

    /// A PayByLink request's statuses go out on the same stream as the links' changes, in order.
    @Test func payByLinkStatuses_arePublished_inOrder() async throws {
        try await withSandbox(Self.manual()) { sandbox, aps in
            let seen = Mutex<[String]>([])
            sandbox.engine.events.subscribe { event in
                if case .requestStatusChanged(let change) = event { seen.withLock { $0.append("\(change.previous ?? "-")>\(change.status)") } }
            }
            let client = PayByLinkTestClient(http: aps.http)
            let id = try #require(try client.create("ev-status").string("RequestId"))
            _ = try client.put("/requests/\(id)", #"{"Status": "Cancelled"}"#)
            #expect(seen.withLock { $0 } == ["->Pending", "Pending>Sent", "Sent>Cancelled"])
        }
    }

    /// Setting the clock back before an expired request's expiry makes it Sent again, with a
    /// callback; moving it past again expires it again, with another.
    @Test func theClockSetBack_makesAnExpiredRequestSentAgain_withItsCallbacks() async throws {
        try await withSandbox(Self.manual()) { sandbox, aps in
            let client = PayByLinkTestClient(http: aps.http)
            let id = try #require(try client.create("ev-back", ["CallbackUrl": "\"http://127.0.0.1:1/cb\"", "ExpiryDate": "\"2026-01-01T01:00:00Z\""])
                .string("RequestId"))
            func statuses() -> [String] {
                sandbox.deliveries().compactMap { $0.payload["Status"]?.stringValue }
            }
            _ = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 7200}"#)
            #expect(try client.get("/requests/\(id)").string("Status") == "Expired")
            _ = try aps.http.post("/__sandbox/clock", json: #"{"set": "2026-01-01T00:30:00Z"}"#)
            #expect(try client.get("/requests/\(id)").string("Status") == "Sent")
            #expect(statuses() == ["Sent", "Expired", "Sent"])
            _ = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 3600}"#)
            #expect(statuses() == ["Sent", "Expired", "Sent", "Expired"])
            let history = try client.get("/requests/\(id)")["History"]?.arrayValue?.compactMap { $0.objectValue?["Status"]?.stringValue }
            #expect(history == ["Pending", "Sent", "Expired", "Sent", "Expired"])
        }
    }

    /// One reset forgets links, messages, deliveries, the journal, faults, PayByLink requests
    /// and batch files alike.
    @Test func oneReset_reachesEveryComponent() async throws {
        try await withSandbox(Self.manual()) { sandbox, aps in
            _ = try sandbox.engine.pay(id: try aps.createLink("ev-reset", ["notification_type": "EMAIL"]))
            let client = PayByLinkTestClient(port: sandbox.port)
            #expect(try client.create("ev-reset-pbl").status == 201)
            #expect(try client.post("/batches", #"{"FileName":"a.csv"}"#).status == 201)
            _ = try aps.http.post("/__sandbox/faults", json: #"{"type":"delay","milliseconds":1}"#)
            let service = sandbox.service
            #expect(!service.engine.links().isEmpty && !service.outbox.messages().isEmpty && !service.deliveries.deliveries().isEmpty)
            #expect(!service.payByLink.snapshot().requests.isEmpty && !service.batches.snapshot().batches.isEmpty && !service.faults.list().isEmpty)
            #expect(service.reset() == 2)
            #expect(service.engine.links().isEmpty && service.outbox.messages().isEmpty && service.deliveries.deliveries().isEmpty)
            #expect(service.payByLink.snapshot().requests.isEmpty && service.batches.snapshot().batches.isEmpty && service.faults.list().isEmpty)
            #expect(service.journal.entries().isEmpty)
        }
    }
}
