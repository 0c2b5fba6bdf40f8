import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing

/// Two tests sharing one server, each with its own merchant and clock, running at the same
/// time: each moves its own clock through expiry, notification retries, the settlement of an
/// uncertain payment and the void window, and checks at every step that only its own clock
/// counted. A leak of one clock into the other merchant's records fails whichever task sees it,
/// whatever the interleaving.
struct MerchantClockParallelTests {
    /// One test's run against the shared server: its merchant, its receiver (which refuses
    /// every notification, so each stays pending and is retried on the merchant's clock).
    struct Run {
        let http: HTTPTestClient
        let service: SandboxService
        let merchant: Merchant

        var aps: APSTestClient { APSTestClient(http: http, merchant: merchant) }
        var identifier: String { merchant.identifier }

        func moveClock(_ body: String) throws {
            let answer = try http.post("/__sandbox/merchants/\(identifier)/clock", json: body)
            guard answer.status == 200 else { throw HTTPTestClient.ClientError(description: "clock: \(answer.status) \(answer.text)") }
        }

        func linkStatus(_ id: String) throws -> String? {
            try MerchantControl.object(try http.get("/__sandbox/links/\(id)"))["payment_link_status"]?.stringValue
        }

        /// Attempts of this merchant's notifications so far, oldest first.
        func attempts() -> [Int] {
            service.deliveries.deliveries().filter { $0.merchantIdentifier == identifier }.map(\.attempts.count)
        }

        func pay(_ id: String, card: String) throws -> JSONObject {
            try MerchantControl.object(try http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"\#(card)"}"#))
        }

        func run() throws {
            try moveClock(#"{"mode": "frozen"}"#)
            let expiring = try aps.createLink("expiring", ["request_expiry_date": "2026-01-01T01:00:00Z"])
            let authorized = try aps.createLink("authorized", ["link_command": "AUTHORIZATION"])
            let fortID = try #require(try pay(authorized, card: "4005550000000001")["fort_id"]?.stringValue)
            let uncertain = try aps.createLink("uncertain")
            #expect(try pay(uncertain, card: "4000000000000770")["outcome"] != nil)
            try http.settle()
            let first = attempts()
            #expect(!first.isEmpty && first.allSatisfy { $0 == 1 }, "\(identifier): \(first)")

            // 5 s: nothing of this merchant is due.
            try moveClock(#"{"advance_seconds": 5}"#)
            try http.settle()
            #expect(attempts() == first, "\(identifier) retried early")
            #expect(try linkStatus(uncertain) == "Open")
            #expect(try linkStatus(expiring) == "Open")

            // 15 s: each notification's second attempt, 10 s after its first.
            try moveClock(#"{"advance_seconds": 10}"#)
            try http.settle()
            #expect(attempts() == first.map { $0 + 1 }, "\(identifier)")
            #expect(try linkStatus(uncertain) == "Open", "\(identifier)'s payment settled early")

            // 75 s: the uncertain payment settles (approved), its link Paid.
            try moveClock(#"{"advance_seconds": 60}"#)
            try http.settle()
            #expect(try linkStatus(uncertain) == "Paid")
            #expect(try linkStatus(expiring) == "Open", "\(identifier)'s link expired early")
            #expect(try aps.check(id: expiring)["payment_link_status"] == "Open")

            // Past the expiry, then past the seven-day void window.
            try moveClock(#"{"set": "2026-01-01T01:00:01Z"}"#)
            try http.settle()
            #expect(try linkStatus(expiring) == "Expired")
            try moveClock(#"{"advance_seconds": 604800}"#)
            let void = try aps.send(["command": "VOID_AUTHORIZATION", "language": "en", "fort_id": .string(fortID)])
            #expect(void.code == "09034", "\(identifier): \(void.object)")
        }
    }

    @Test func twoMerchants_moveTheirClocksInParallel_andNeitherExpiresRetriesOrSettlesTheOthers() async throws {
        let feedback = try FeedbackReceiverServer(failures: 1_000)
        defer { feedback.stop() }
        let port = feedback.port
        var config = SandboxConfiguration.testing()
        config.backgroundWork = .manual
        try await withSandbox(config) { sandbox, aps throws in
            // A third party on the sandbox clock: an authorization and a link that expires in an hour.
            let bystander = try aps.createLink("bystander", ["request_expiry_date": "2026-01-01T01:00:00Z", "link_command": "AUTHORIZATION"])
            let url = "http://127.0.0.1:\(port)/notify"
            let runs = ["TestA1", "TestB1"].map { Run(http: aps.http, service: sandbox.service, merchant: MerchantControl.merchant($0, notificationURL: url)) }
            for run in runs {
                #expect(try aps.http.post("/__sandbox/merchants", json: MerchantControl.entry(run.identifier, notificationURL: url)).status == 201)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for run in runs { group.addTask { try run.run() } }
                try await group.waitForAll()
            }
            #expect(try MerchantControl.object(try aps.http.get("/__sandbox/clock"))["now"] == "2026-01-01T00:00:00Z")
            #expect(try runs[0].linkStatus(bystander) == "Open")
            let paid = try runs[0].pay(bystander, card: "4005550000000001")
            let fortID = try #require(paid["fort_id"]?.stringValue)
            #expect(try aps.send(["command": "VOID_AUTHORIZATION", "language": "en", "fort_id": .string(fortID)]).code == "08000")
        }
    }
}
