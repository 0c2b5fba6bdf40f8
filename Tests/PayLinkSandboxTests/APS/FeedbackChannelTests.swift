import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS

/// APS's two feedback channels: Direct Transaction Feedback (each payment attempt's immediate
/// result) to `direct_feedback_url`, Notification Feedback (later changes) to `notification_url`.
struct FeedbackChannelTests {
    typealias Receiver = ScenarioReceiver

    /// A sandbox whose demo merchant posts to one receiver: direct feedback at `/aps/direct`
    /// (when `direct` is set) and notifications at `/aps/notify` (when `notify` is set).
    func withChannels(direct: Bool = true, notify: Bool = true, failures: Int = 0, format: NotificationFormat = .json,
                      _ body: (Sandbox, APSTestClient, Receiver) async throws -> Void) async throws {
        let receiver = Receiver(failures: failures)
        var serverConfig = HTTPServerConfiguration()
        serverConfig.port = 0
        let server = HTTPServer(configuration: serverConfig, handler: receiver)
        let port = try server.start()
        defer { server.stop() }
        var merchant = Merchant.demo
        if direct { merchant.directFeedbackURL = "http://127.0.0.1:\(port)/aps/direct" }
        if notify { merchant.notificationURL = "http://127.0.0.1:\(port)/aps/notify" }
        merchant.notificationsFormEncoded = format == .form
        var config = SandboxConfiguration.testing(merchants: [merchant])
        config.backgroundWork = .manual
        try await withSandbox(config) { sandbox, aps in try await body(sandbox, aps, receiver) }
    }

    func pay(_ aps: APSTestClient, _ id: String, _ body: String) throws {
        let reply = try aps.http.post("/__sandbox/links/\(id)/pay", json: body)
        #expect(reply.status == 200, "\(reply.text)")
    }

    func payload(_ request: HTTPRequest) throws -> JSONObject { try #require(try JSONParser.parse(request.body).objectValue) }

    /// (path, response_code) of every post the receiver got, in order.
    func posts(_ receiver: Receiver) throws -> [String] {
        try receiver.requests.map { "\($0.path) \(try payload($0)["response_code"]?.stringValue ?? "-")" }
    }

    @Test func eachAttempt_goesToTheDirectURL_andLaterChangesToTheNotificationURL() async throws {
        try await withChannels { sandbox, aps, receiver in
            let id = try aps.createLink("ch-1", ["link_command": "AUTHORIZATION"])
            try pay(aps, id, #"{"card_number":"4000000000000028"}"#)                           // declined
            try pay(aps, id, #"{"card_number":"4557012345678902","3ds_code":"0000"}"#)        // 3-D Secure failed
            try pay(aps, id, #"{"card_number":"4000000000000770"}"#)                           // uncertain
            try aps.http.settle()
            #expect(try posts(receiver) == ["/aps/direct 03029", "/aps/direct 45030", "/aps/direct 15777"])

            // The uncertain payment settles: a later change, so a notification.
            _ = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 60}"#)
            try aps.http.settle()
            #expect(try posts(receiver).last == "/aps/notify 02000")

            // Maintenance operations are notifications too.
            let capture = try aps.send(["command": "CAPTURE", "merchant_reference": "ch-1", "amount": "125000", "currency": "SAR", "language": "en"])
            #expect(capture.code == "04000")
            try aps.http.settle()
            #expect(try posts(receiver).suffix(2) == ["/aps/notify 02000", "/aps/notify 04000"])

            let channels = sandbox.service.deliveries.deliveries().map { "\($0.channel.rawValue) \($0.event)" }
            #expect(channels == ["direct AUTHORIZATION", "direct AUTHORIZATION", "direct AUTHORIZATION",
                                 "notification AUTHORIZATION", "notification CAPTURE"])
        }
    }

    @Test func anApprovedPayment_isDirectFeedback_andOnlyThat() async throws {
        try await withChannels { _, aps, receiver in
            let id = try aps.createLink("ch-ok")
            try pay(aps, id, #"{"card_number":"4005550000000001"}"#)
            try aps.http.settle()
            #expect(try posts(receiver) == ["/aps/direct 14000"])
            let feedback = try payload(try #require(receiver.requests.first))
            #expect(feedback["signature"] == .string(Merchant.demo.signer.sign(feedback, phrase: Merchant.demo.responsePhrase)))
        }
    }

    @Test func deliveries_sayTheirChannel_inTheControlAPI() async throws {
        try await withChannels { _, aps, _ in
            let id = try aps.createLink("ch-list", ["link_command": "AUTHORIZATION"])
            try pay(aps, id, #"{"card_number":"4005550000000001"}"#)
            _ = try aps.send(["command": "VOID_AUTHORIZATION", "merchant_reference": "ch-list", "language": "en"])
            let response = try aps.http.get("/__sandbox/deliveries")
            let body = try #require(try JSONParser.parse(response.body).objectValue)
            let items = try #require(body["deliveries"]?.arrayValue).compactMap(\.objectValue)
            #expect(items.map { $0["channel"] } == ["direct", "notification"])
            #expect(items.map { $0["url"]?.stringValue?.hasSuffix("/aps/direct") } == [true, false])
            #expect(items.map { $0["event"] } == ["AUTHORIZATION", "VOID_AUTHORIZATION"])
        }
    }

    @Test func aMerchantWithOnlyANotificationURL_getsBothChannelsThere() async throws {
        try await withChannels(direct: false) { sandbox, aps, receiver in
            let id = try aps.createLink("ch-one-url")
            try pay(aps, id, #"{"card_number":"4000000000000770"}"#)
            _ = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 60}"#)
            try aps.http.settle()
            #expect(try posts(receiver) == ["/aps/notify 15777", "/aps/notify 14000"])
            #expect(sandbox.service.deliveries.deliveries().map(\.channel) == [.direct, .notification])
        }
    }

    @Test func aMerchantWithOnlyADirectURL_getsNoNotifications() async throws {
        try await withChannels(notify: false) { sandbox, aps, receiver in
            let id = try aps.createLink("ch-direct-only")
            try pay(aps, id, #"{"card_number":"4000000000000770"}"#)
            _ = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 60}"#)
            let refund = try aps.send(["command": "REFUND", "merchant_reference": "ch-direct-only", "amount": "100", "currency": "SAR", "language": "en"])
            #expect(refund.code == "06000")
            try aps.http.settle()
            #expect(try posts(receiver) == ["/aps/direct 15777"])
            #expect(sandbox.service.deliveries.deliveries().count == 1)
            #expect(sandbox.engine.link(id: id)?.state == .paid)
        }
    }

    @Test func directFeedback_thatFails_isRetriedLikeANotification() async throws {
        try await withChannels(failures: 2) { sandbox, aps, receiver in
            let id = try aps.createLink("ch-retry")
            try pay(aps, id, #"{"card_number":"4005550000000001"}"#)
            let queue = sandbox.service.deliveries
            try aps.http.settle()
            var delivery = try #require(queue.deliveries().first)
            #expect(delivery.channel == .direct && delivery.state == .pending)
            #expect(delivery.nextAttemptAt == delivery.attempts[0].at.adding(seconds: 10))
            for _ in 0..<2 {
                _ = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 10}"#)
                try aps.http.settle()
            }
            delivery = try #require(queue.deliveries().first)
            #expect(delivery.state == .delivered && delivery.attempts.map(\.status) == [500, 500, 200])
            #expect(receiver.requests.map(\.path) == ["/aps/direct", "/aps/direct", "/aps/direct"])
        }
    }

    @Test func feedbackFormat_appliesToBothChannels() async throws {
        try await withChannels(format: .form) { _, aps, receiver in
            let id = try aps.createLink("ch-form", ["link_command": "AUTHORIZATION"])
            try pay(aps, id, #"{"card_number":"4005550000000001"}"#)
            _ = try aps.send(["command": "CAPTURE", "merchant_reference": "ch-form", "amount": "100", "currency": "SAR", "language": "en"])
            try aps.http.settle()
            #expect(receiver.requests.map(\.path) == ["/aps/direct", "/aps/notify"])
            #expect(receiver.requests.allSatisfy { $0.headers["Content-Type"] == "application/x-www-form-urlencoded" })
        }
    }

    @Test func theChannel_isKeptInTheStateSnapshot_andOlderSnapshotsReadAsNotifications() async throws {
        try await withChannels { first, aps, _ in
            let id = try aps.createLink("ch-state", ["link_command": "AUTHORIZATION"])
            try pay(aps, id, #"{"card_number":"4005550000000001"}"#)
            _ = try aps.send(["command": "CAPTURE", "merchant_reference": "ch-state", "amount": "100", "currency": "SAR", "language": "en"])
            var state = first.service.exportState()
            var deliveries = try #require(state["notifications"]?.objectValue?["deliveries"]?.arrayValue).compactMap(\.objectValue)
            #expect(deliveries.map { $0["channel"] } == ["direct", "notification"])
            try await withSandbox { second, _ in
                try second.service.importState(json: state.serialized())
                #expect(second.service.deliveries.deliveries().map(\.channel) == [.direct, .notification])
                // A snapshot from before the two channels has no `channel`: every delivery was a notification.
                deliveries = deliveries.map { var d = $0; d["channel"] = nil; return d }
                var notifications = try #require(state["notifications"]?.objectValue)
                notifications["deliveries"] = .array(deliveries.map(JSONValue.object))
                state["notifications"] = .object(notifications)
                try second.service.importState(json: state.serialized())
                #expect(second.service.deliveries.deliveries().map(\.channel) == [.notification, .notification])
                // An unknown channel is refused with its path.
                deliveries[0]["channel"] = "email"
                notifications["deliveries"] = .array(deliveries.map(JSONValue.object))
                state["notifications"] = .object(notifications)
                #expect(throws: StateImportError.self) { try second.service.importState(json: state.serialized()) }
            }
        }
    }

    @Test func theFeedbackURL_followsTheChannel() {
        var merchant = Merchant.demo
        #expect(merchant.feedbackURL(for: .direct) == nil && merchant.feedbackURL(for: .notification) == nil)
        merchant.notificationURL = "http://n"
        #expect(merchant.feedbackURL(for: .direct) == "http://n" && merchant.feedbackURL(for: .notification) == "http://n")
        merchant.directFeedbackURL = "http://d"
        #expect(merchant.feedbackURL(for: .direct) == "http://d" && merchant.feedbackURL(for: .notification) == "http://n")
        merchant.notificationURL = nil
        #expect(merchant.feedbackURL(for: .direct) == "http://d" && merchant.feedbackURL(for: .notification) == nil)
    }
}
