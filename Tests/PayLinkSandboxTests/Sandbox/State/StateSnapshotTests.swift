import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// `exportState`/`importState` (`GET|PUT /__sandbox/state`) on real sandboxes:
/// a snapshot moved to a fresh sandbox gives the same bytes back and the same behaviour after.
struct StateSnapshotTests {
    /// A merchant whose notifications fail (nobody listens on port 1), so deliveries carry
    /// attempts, errors and next-attempt times.
    static var configuration: SandboxConfiguration {
        var merchant = Merchant.demo
        merchant.notificationURL = "http://127.0.0.1:1/nobody-listens"
        return .testing(merchants: [merchant])
    }

    func pay(_ aps: APSTestClient, _ id: String, card: String) throws {
        let reply = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"\#(card)"}"#)
        #expect(reply.status == 200, "pay \(card): \(reply.text)")
    }

    func command(_ aps: APSTestClient, _ command: String, _ fields: JSONObject) throws -> String? {
        var params: JSONObject = ["command": .string(command), "language": "en"]
        for (key, value) in fields { params[key] = value }
        return try aps.send(params).code
    }

    /// Links in every state, orders with captures, refunds, a decline and an uncertain payment,
    /// e-mail and SMS in the outbox, and failed notification deliveries waiting for a retry.
    func populate(_ sandbox: Sandbox, _ aps: APSTestClient) async throws {
        _ = try aps.http.post("/__sandbox/links/\(try aps.createLink("s-open", ["notification_type": "EMAIL,SMS", "customer_phone": "00966500000001"]))/open", json: "{}")
        try pay(aps, try aps.createLink("s-paid"), card: "4005550000000001")
        #expect(try command(aps, "REFUND", ["merchant_reference": "s-paid", "amount": "2500", "currency": "SAR", "maintenance_reference": "m-1"]) == "06000")
        try pay(aps, try aps.createLink("s-auth", ["link_command": "AUTHORIZATION"]), card: "4005550000000001")
        #expect(try command(aps, "CAPTURE", ["merchant_reference": "s-auth", "amount": "100000", "currency": "SAR"]) == "04000")
        let retried = try aps.createLink("s-retried")
        try pay(aps, retried, card: "4000000000000028")
        try pay(aps, retried, card: "4005550000000001")
        // A payment made without a link, with the request fields it echoes, and a saved card.
        let terms = CheckoutTerms(merchantIdentifier: Merchant.demo.identifier, merchantReference: "s-checkout", command: .purchase,
                                  currency: "SAR", amount: 4200,
                                  requestFields: ["customer_email": "c@example.com", "language": "ar", "merchant_extra": "x;y"])
        _ = try sandbox.engine.checkoutPayment(terms, details: PaymentDetails(maskedCardNumber: "400555******0001", paymentOption: "VISA"),
                                               status: .approved)
        try sandbox.service.state.tokens.add(CardToken(name: "s-token", merchantIdentifier: Merchant.demo.identifier,
                                                       maskedCardNumber: "400555******0001", brand: "VISA", expiryDate: "3105",
                                                       cardHolderName: "Jane Doe", createdAt: sandbox.clock.now()))
        let uncertain = try aps.createLink("s-uncertain", ["order_description": "Ramadan hamper"])
        try pay(aps, uncertain, card: "4000000000000028")
        try pay(aps, uncertain, card: "4000000000000770")
        let closed = try aps.send(["service_command": "UPDATE_PAYMENT_LINK", "payment_link_id": .string(try aps.createLink("s-closed")),
                                   "language": "en", "payment_link_status": "Closed"])
        #expect(closed.code == "78000", "close: \(closed.object)")
        // Every first delivery attempt at the start instant (settled here, not left to the
        // background ticker, which may or may not have run before the clock moves)…
        sandbox.settle()
        // …then a sub-second instant: the snapshot must keep milliseconds.
        sandbox.clock.set(SandboxInstant(millisecondsSince1970: 1_767_225_600_250))
        let queue = sandbox.service.deliveries
        // Payments, declines, the uncertain one, the checkout, the refund and the capture: nine notifications.
        sandbox.settle()
        #expect(queue.deliveries().count == 9 && queue.deliveries().allSatisfy { $0.attempts.count == 1 })
    }

    func exported(_ sandbox: Sandbox) -> [UInt8] { sandbox.service.exportState().serialized() }

    /// What `PUT /__sandbox/state` will do with a body: parse it and import the object.
    func importing(_ bytes: [UInt8], into sandbox: Sandbox) throws {
        try sandbox.service.importState(json: bytes)
    }

    @Test func exportImportExport_givesTheSameBytes_andTheSameNextIDs() async throws {
        try await withSandbox(Self.configuration) { first, aps in
            try await populate(first, aps)
            let snapshot = exported(first)
            try await withSandbox(Self.configuration) { second, aps2 in
                try importing(snapshot, into: second)
                #expect(String(decoding: exported(second), as: UTF8.self) == String(decoding: snapshot, as: UTF8.self))
                #expect(try aps2.createLink("s-next") == (try aps.createLink("s-next")))
                #expect(exported(second) == exported(first))
            }
        }
    }

    /// An export holding large batches passes the 1 MiB body limit; importing it is an upload.
    @Test func anImportLargerThanTheBodyLimit_isAccepted_asAnUpload() async throws {
        try await withSandbox { sandbox, aps in
            _ = try aps.createLink("big-1")
            let padded = exported(sandbox) + [UInt8](repeating: UInt8(ascii: " "), count: 2 * 1024 * 1024)
            let put = try aps.http.request("PUT", "/__sandbox/state", body: padded)
            #expect(put.status == 200, "\(put.text)")
            let tooLarge = try aps.http.request("POST", "/__sandbox/links", body: [UInt8](repeating: UInt8(ascii: " "), count: 1024 * 1024 + 1))
            #expect(tooLarge.status == 413)
            #expect(tooLarge.text.contains("more than 1048576 bytes"))
        }
    }

    @Test func theSnapshot_holdsEveryPart_inCreationOrder_withMaskedCards() async throws {
        try await withSandbox(Self.configuration) { sandbox, aps in
            try await populate(sandbox, aps)
            let state = sandbox.service.exportState()
            #expect(state.keys == ["state_version", "clock", "ids", "links", "orders", "tokens", "outbox", "notifications", "paybylink", "batches", "merchants"])
            #expect(state["state_version"] == 1)
            #expect(state["clock"] == ["now": "2026-01-01T00:00:00.250Z", "mode": "frozen"])
            #expect(state["ids"]?.objectValue?["generator"] == "seeded")
            let links = try #require(state["links"]?.arrayValue).compactMap(\.objectValue)
            #expect(links.map { $0["merchant_reference"] } == ["s-open", "s-paid", "s-auth", "s-retried", "s-uncertain", "s-closed"])
            #expect(links[0]["user_attempts_count"] == 1 && links[5]["lifecycle"] == "closed")
            #expect(links[4]["pending_fort_id"]?.stringValue?.count == 18)
            #expect(links[4]["failed_attempts"]?.arrayValue?.first?.objectValue?["card_number"] == "400000******0028")
            let orders = try #require(state["orders"]?.arrayValue).compactMap(\.objectValue)
            #expect(orders.count == 7)
            let checkout = try #require(orders.first { $0["merchant_reference"] == "s-checkout" })
            #expect(checkout["payment_link_id"] == .null && checkout["request_fields"]?.objectValue?["merchant_extra"] == "x;y")
            #expect(state["tokens"]?.arrayValue?.first?.objectValue?["card_number"] == "400555******0001")
            #expect(orders.last?["status"]?.objectValue?["outcome"] == "uncertain")
            #expect(orders.last?["status"]?.objectValue?["resolves_at"] == "2026-01-01T00:01:00.000Z")
            #expect(orders[1]["captured_amount"] == 100_000 && orders[0]["refunded_amount"] == 2_500)
            #expect(state["outbox"]?.objectValue?["messages"]?.arrayValue?.count == 2)
            let deliveries = try #require(state["notifications"]?.objectValue?["deliveries"]?.arrayValue).compactMap(\.objectValue)
            #expect(deliveries.first?["next_attempt_at"] == "2026-01-01T00:00:10.000Z")
            let text = String(decoding: state.serialized(), as: UTF8.self)
            #expect(!text.contains("4005550000000001") && !text.contains("card_security_code"))
        }
    }

    @Test func anImportedSandbox_behavesAsTheOriginal_asTheClockMoves() async throws {
        try await withSandbox(Self.configuration) { first, aps in
            try await populate(first, aps)
            try await withSandbox(Self.configuration) { second, aps2 in
                try importing(exported(first), into: second)
                let uncertain = try #require(first.engine.link(merchant: Merchant.demo.identifier, reference: "s-uncertain")).link.id
                #expect(try aps2.http.post("/__sandbox/links/\(uncertain)/pay", json: #"{"card_number":"4005550000000001"}"#).status == 409)
                #expect(try aps.http.post("/__sandbox/links/\(uncertain)/pay", json: #"{"card_number":"4005550000000001"}"#).status == 409)
                // Past the uncertain payment's resolution and the deliveries' next attempt, in both.
                for client in [aps, aps2] { _ = try client.http.post("/__sandbox/clock", json: #"{"advance_seconds": 60}"#) }
                for sandbox in [first, second] {
                    let queue = sandbox.service.deliveries
                    sandbox.settle()
                    #expect(queue.deliveries().count == 10 && queue.deliveries().allSatisfy { $0.attempts.count == ($0.id == 10 ? 1 : 2) })
                }
                #expect(second.engine.link(id: uncertain)?.state == .paid)
                #expect(second.service.deliveries.deliveries().map(\.attempts.count) == [2, 2, 2, 2, 2, 2, 2, 2, 2, 1])
                #expect(exported(second) == exported(first))
            }
        }
    }

    @Test func aDeliveryHeldByAReorderFault_isStillHeldAfterImport() async throws {
        try await withSandbox(Self.configuration) { first, aps in
            _ = try aps.http.post("/__sandbox/faults", json: #"{"type":"notification_reorder","match":{"merchant_reference":"h-first"}}"#)
            try pay(aps, try aps.createLink("h-first"), card: "4005550000000001")
            first.settle()
            #expect(first.service.deliveries.snapshot().heldForReorder == [1])
            let snapshot = exported(first)
            #expect(String(decoding: snapshot, as: UTF8.self).contains(#""held_for_reorder":true"#))
            try await withSandbox(Self.configuration) { second, aps2 in
                try importing(snapshot, into: second)
                #expect(exported(second) == snapshot)
                // The merchant's next notification releases the held one, in both sandboxes alike.
                for client in [aps, aps2] { try pay(client, try client.createLink("h-second"), card: "4005550000000001") }
                for sandbox in [first, second] {
                    sandbox.settle()
                }
                #expect(second.service.deliveries.deliveries().map(\.attempts.count) == [1, 1])
                #expect(exported(second) == exported(first))
            }
        }
    }

    // MARK: - Bad snapshots

    enum Step { case key(String), index(Int) }

    /// `root` with the value at `path` replaced (or removed, for nil).
    func replacing(_ path: [Step], with value: JSONValue?, in root: JSONValue) -> JSONValue {
        guard let step = path.first else { return value ?? .null }
        let rest = Array(path.dropFirst())
        switch (step, root) {
        case (.key(let key), .object(var object)):
            object[key] = rest.isEmpty ? value : replacing(rest, with: value, in: object[key] ?? .null)
            return .object(object)
        case (.index(let i), .array(var array)):
            array[i] = replacing(rest, with: value, in: array[i])
            return .array(array)
        default:
            return root
        }
    }

    @Test func badSnapshots_areRefusedWithThePathOfTheField_andChangeNothing() async throws {
        try await withSandbox(Self.configuration) { sandbox, aps in
            try await populate(sandbox, aps)
            let good = JSONValue.object(sandbox.service.exportState())
            let before = exported(sandbox)
            let cases: [([Step], JSONValue?, String)] = [
                ([.key("state_version")], 2, "state_version: must be 1, the only version this sandbox reads"),
                ([.key("state_version")], nil, "state_version: is required (this sandbox reads version 1)"),
                ([.key("links"), .index(3), .key("amount")], "125000", "links[3].amount: expected an integer"),
                ([.key("links"), .index(3), .key("amount")], .number("1250.5"), "links[3].amount: expected an integer"),
                ([.key("links"), .index(0), .key("currency")], "XYZ", "links[0].currency: must be an ISO 4217 currency code such as SAR"),
                ([.key("orders"), .index(2), .key("fort_id")], nil, "orders[2].fort_id: is required"),
                ([.key("orders"), .index(2), .key("status"), .key("outcome")], "lost", "orders[2].status.outcome: expected one of: approved, declined, uncertain"),
                ([.key("orders"), .index(0), .key("refunded_amount")], 999_999, "orders[0].refunded_amount: must be between 0 and captured_amount (125000)"),
                ([.key("links"), .index(4), .key("failed_attempts"), .index(0), .key("card_number")], "4000000000000028",
                 "links[4].failed_attempts[0].card_number: must be masked (first six and last four digits only)"),
                ([.key("links"), .index(0), .key("pending_fort_id")], "123", "links[0].pending_fort_id: must name an uncertain order of this link"),
                ([.key("links"), .index(1), .key("colour")], "red", "links[1].colour: unknown key (known here: \(LinkStateJSON.keys.sorted().joined(separator: ", ")))"),
                ([.key("clock"), .key("now")], "yesterday", "clock.now: must be an ISO 8601 date-time with a zone, such as 2026-01-01T00:00:00.000Z"),
                ([.key("ids"), .key("state")], "xyz", "ids.state: must be 16 lowercase hex digits"),
                ([.key("outbox"), .key("next_sequence")], 1, "outbox.next_sequence: must be greater than the last message's sequence (2) and at most 9007199254740992"),
                ([.key("notifications"), .key("deliveries"), .index(0), .key("attempts")], "none", "notifications.deliveries[0].attempts: expected a list"),
                ([.key("notifications"), .key("deliveries"), .index(1), .key("next_attempt_at")], nil,
                 "notifications.deliveries[1].next_attempt_at: is required while the delivery is pending"),
                ([.key("notifications")], nil, "notifications: is required"),
            ]
            for (path, value, message) in cases {
                guard case .object(let bad) = replacing(path, with: value, in: good) else { continue }
                do throws(StateImportError) {
                    try sandbox.service.importState(bad)
                    Issue.record("accepted: \(message)")
                } catch {
                    #expect(error.description == message)
                }
                #expect(exported(sandbox) == before)
            }
        }
    }

    @Test func aBodyThatIsNotAJSONObject_isRefused_andChangesNothing() async throws {
        try await withSandbox(Self.configuration) { sandbox, aps in
            try await populate(sandbox, aps)
            let before = exported(sandbox)
            for body in ["{\"state_version\": 1,", "[1, 2]", ""] {
                do throws(StateImportError) {
                    try sandbox.service.importState(json: Array(body.utf8))
                    Issue.record("accepted \(body)")
                } catch {
                    #expect(error.path == "" && (error.message.hasPrefix("not valid JSON") || error.message == "must be a JSON object"))
                }
            }
            #expect(exported(sandbox) == before)
        }
    }

    @Test func aGoodImport_replacesEverything_evenInASandboxWithState() async throws {
        try await withSandbox(Self.configuration) { empty, _ in
            let nothing = exported(empty)
            try await withSandbox(Self.configuration) { busy, aps in
                try await populate(busy, aps)
                try importing(nothing, into: busy)
                #expect(exported(busy) == nothing)
                #expect(busy.engine.links().isEmpty && busy.service.outbox.messages().isEmpty && busy.service.deliveries.deliveries().isEmpty)
            }
        }
    }
}
