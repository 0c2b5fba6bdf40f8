import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing

/// `POST /__sandbox/deliveries/{id}/resend`: the same signed payload to the same URL and
/// channel, as a new delivery that is attempted, retried and snapshotted like any other.
struct DeliveryResendTests {
    func withReceiver(_ body: (Sandbox, APSTestClient, ScenarioReceiver) async throws -> Void) async throws {
        let feedback = try FeedbackReceiverServer()
        defer { feedback.stop() }
        let (receiver, port) = (feedback.receiver, feedback.port)
        var merchant = Merchant.demo
        merchant.directFeedbackURL = "http://127.0.0.1:\(port)/aps/direct"
        merchant.notificationURL = "http://127.0.0.1:\(port)/aps/notify"
        var config = SandboxConfiguration.testing(merchants: [merchant])
        config.backgroundWork = .manual
        try await withSandbox(config) { sandbox, aps in try await body(sandbox, aps, receiver) }
    }

    static func object(_ response: HTTPTestClient.Response) throws -> JSONObject {
        try #require(try JSONParser.parse(response.body).objectValue, "\(response.text)")
    }

    @Test func resend_queuesTheSamePayloadAsANewDelivery_postsIt_andKeepsItInTheState() async throws {
        try await withReceiver { sandbox, aps, receiver in
            let id = try aps.createLink("resend-1")
            _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
            try aps.http.settle()
            let first = try #require(sandbox.service.deliveries.deliveries().first)
            #expect(first.state == .delivered && first.channel == .direct)
            let before = receiver.requests.count
            let deliveriesBefore = sandbox.service.deliveries.deliveries().count

            let response = try aps.http.request("POST", "/__sandbox/deliveries/\(first.id)/resend")
            #expect(response.status == 202)
            let copy = try Self.object(response)
            #expect(copy["id"] != .number(String(first.id)))
            #expect(copy["url"] == .string(first.url) && copy["channel"] == "direct" && copy["event"] == .string(first.event))
            #expect(copy["payload"] == .object(first.payload), "the same payload, signature included")
            #expect(copy["state"] == "pending" && copy["attempts"] == .array([]))
            #expect(copy["payment_link_id"] == .string(id))

            try aps.http.settle()
            #expect(receiver.requests.count == before + 1)
            let posted = ScenarioReceiver.payload(try #require(receiver.requests.last).body)
            #expect(posted["signature"] == first.payload["signature"] && posted == first.payload)
            // Listed like any delivery, and in the state snapshot.
            let listed = try Self.object(try aps.http.get("/__sandbox/deliveries"))["deliveries"]?.arrayValue ?? []
            let resent = try #require(listed.last?.objectValue)
            #expect(resent["id"] == copy["id"] && resent["state"] == "delivered")
            let state = try Self.object(try aps.http.get("/__sandbox/state"))
            let saved = state["notifications"]?.objectValue?["deliveries"]?.arrayValue ?? []
            #expect(saved.count == deliveriesBefore + 1 && saved.last?.objectValue?["id"] == copy["id"], "\(state)")
        }
    }

    @Test func resend_ofAnUnknownDelivery_is404() async throws {
        try await withSandbox { _, aps in
            for id in ["1", "999", "abc"] {
                let response = try aps.http.request("POST", "/__sandbox/deliveries/\(id)/resend")
                #expect(response.status == 404)
                #expect(try Self.object(response)["error"] == "delivery_not_found")
            }
        }
    }
}
