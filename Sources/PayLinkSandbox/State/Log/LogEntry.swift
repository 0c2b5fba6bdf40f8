import PayLinkCore
import PayLinkJSON
import PayLinkPayByLink

/// One change as the log writes it. A frame is binary: `binaryMark`, then entries, each a
/// `Kind` byte and the change's sequence (a varint) before its body. Links and orders, the
/// changes nearly every request makes, are written field by field (`LinkStateBinary`,
/// `OrderStateBinary`); every other change is a JSON entry inside the frame (`Kind.json`, its
/// bytes length-prefixed), as earlier versions wrote whole frames of them (a JSON array of
/// entries, still read). A JSON entry is an array: `[sequence, "put", list, key, entity]` puts
/// an entity into one of the snapshot's lists (replacing the one with that key, or appended),
/// `[sequence, "del", list, key]` takes one out, and `[sequence, "set", member, null, value]`
/// replaces a member (`ids`, `outbox.dropped`, …; a frame holds one `ids` entry, its last
/// change's, at the frame's end, see `ChangeRound`). The entities are the snapshot's own
/// encodings, so replaying puts into a snapshot gives a snapshot, read and checked as one.
/// A `put` of a batch without `file` keeps the file the batch had; without `results` and
/// `failures`, the records it had, which `[sequence, "add", "batches.batches", id, {…}]` extends:
/// a batch being processed logs only the records each chunk adds, not all so far again (which
/// would write a 100,000-line batch's results about fifty times over).
enum LogEntry {
    /// How many result lines and failures of each batch the log already holds (on the writer's
    /// thread only). Forgotten at a restart: the first change of a batch then writes it whole.
    struct BatchRecordsLogged {
        var counts: [String: (results: Int, failures: Int)] = [:]
    }

    /// The snapshot's keyed lists held as JSON while replaying: where they are and which member
    /// is the key (links and orders are held as values, see `StateReplay`).
    static let lists: [(path: String, key: String)] = [
        ("outbox.messages", "sequence"), ("notifications.deliveries", "id"), ("batches.batches", "batch_id"),
        ("tokens", "token_name"),
    ]

    /// The first byte of a binary frame; a JSON frame starts with `[`.
    static let binaryMark: UInt8 = 0xB1

    enum Kind: UInt8 {
        case json = 0
        case link = 1
        case order = 2
        case payByLinkRequest = 3
        case outboxMessage = 4
        /// An order made without a link: `order`'s fields, then its request fields.
        case orderWithRequestFields = 5
    }

    /// Appends one recorded change's entries to a binary frame (`.everything` has none: the
    /// writer takes a snapshot).
    static func encode(_ change: StateChange, sequence: UInt64, into frame: inout BinaryWriter, logged: inout BatchRecordsLogged) {
        guard !encodeBinary(change, sequence: sequence, into: &frame) else { return }
        var entries: [JSONValue] = []
        encode(change, sequence: sequence, into: &entries, logged: &logged)
        for entry in entries {
            frame.byte(Kind.json.rawValue)
            frame.unsigned(sequence)
            frame.blob(entry.serialized())
        }
    }

    /// Appends `change` as a binary entry when it has one (links, orders, outbox messages,
    /// PayByLink requests: what nearly every request tells); false, and nothing appended, for
    /// the changes written as JSON entries.
    static func encodeBinary(_ change: StateChange, sequence: UInt64, into frame: inout BinaryWriter) -> Bool {
        switch change {
        case .link(let link):
            encodeLink(link, sequence: sequence, into: &frame)
        case .order(let order):
            let withRequestFields = !order.requestFields.isEmpty
            frame.byte(withRequestFields ? Kind.orderWithRequestFields.rawValue : Kind.order.rawValue)
            frame.unsigned(sequence)
            OrderStateBinary.encode(order, into: &frame, withRequestFields: withRequestFields)
        case .outboxMessage(let message, let evicted, let nextSequence, let dropped):
            frame.byte(Kind.outboxMessage.rawValue)
            frame.unsigned(sequence)
            OutboxStateBinary.encode(.init(message: message, evicted: evicted, nextSequence: nextSequence, dropped: dropped), into: &frame)
        case .dialect(let change) where change.kind == .payByLinkRequest:
            // Not a request (a bug elsewhere): nothing to write, as before.
            guard let request = change.value as? RequestForPayment else { return true }
            frame.byte(Kind.payByLinkRequest.rawValue)
            frame.unsigned(sequence)
            PayByLinkStateBinary.encode(request, into: &frame)
        default:
            return false
        }
        return true
    }

    /// A link's binary entry: `encodeBinary(.link(link), …)` without making the change.
    static func encodeLink(_ link: borrowing PaymentLink, sequence: UInt64, into frame: inout BinaryWriter) {
        frame.byte(Kind.link.rawValue)
        frame.unsigned(sequence)
        LinkStateBinary.encode(link, into: &frame)
    }

    /// The JSON entries of one recorded change (`.everything` has none: the writer takes a snapshot).
    static func encode(_ change: StateChange, sequence: UInt64, into entries: inout [JSONValue],
                       logged: inout BatchRecordsLogged) {
        let seq = JSONValue.number(sequence)
        func put(_ list: String, _ key: String, _ value: JSONValue) { entries.append(.array([seq, "put", .string(list), .string(key), value])) }
        func set(_ member: String, _ value: JSONValue, note: JSONValue = .null) { entries.append(.array([seq, "set", .string(member), note, value])) }
        func del(_ list: String, _ key: String) { entries.append(.array([seq, "del", .string(list), .string(key)])) }
        switch change {
        case .link(let link): put("links", link.id, LinkStateJSON.encode(link))
        case .order(let order): put("orders", order.fortID, OrderStateJSON.encode(order))
        case .token(let token): put("tokens", token.name, TokenStateJSON.encode(token))
        case .tokenRemoved(let name): del("tokens", name)
        case .ids(let ids): set("ids", IDStateJSON.encode(ids))
        case .outboxMessage(let message, let evicted, let nextSequence, let dropped):
            put("outbox.messages", String(message.sequence), OutboxStateJSON.encode(message))
            for sequence in evicted { del("outbox.messages", String(sequence)) }
            set("outbox.next_sequence", .number(nextSequence))
            set("outbox.dropped", .number(dropped))
        case .delivery(let delivery, let held, let nextID):
            put("notifications.deliveries", String(delivery.id), DeliveryStateJSON.encode(delivery, heldForReorder: held))
            set("notifications.next_id", .number(nextID))
        case .deliveryRemoved(let id): del("notifications.deliveries", String(id))
        case .batch(let batch, let file):
            let before = logged.counts[batch.id]
            logged.counts[batch.id] = (batch.results.count, batch.failures.count)
            let incremental = before.map { $0.results <= batch.results.count && $0.failures <= batch.failures.count } ?? false
            var bytes: [UInt8]?
            if case .kept(let kept) = file { bytes = kept }
            var value = BatchStateJSON.encode(batch, file: bytes, records: !incremental)
            if case .unchanged = file, case .object(var object) = value {
                object["file"] = nil
                value = .object(object)
            }
            put("batches.batches", batch.id, value)
            guard incremental, let before, before.results < batch.results.count || before.failures < batch.failures.count else { return }
            let added: JSONObject = [
                "results_from": .number(before.results), "results": BatchStateJSON.encode(results: batch.results[before.results...]),
                "failures_from": .number(before.failures), "failures": BatchStateJSON.encode(failures: batch.failures[before.failures...]),
            ]
            entries.append(.array([seq, "add", "batches.batches", .string(batch.id), .object(added)]))
        case .clock(let reading, let realTime):
            // The wall clock of the setting, so a running clock keeps its distance from it.
            set("clock", ClockStateJSON.encode(reading), note: StateValues.instant(realTime))
        case .merchantClocks(let clocks, let realTime):
            // As for the sandbox clock: a running merchant's clock keeps its distance from the wall clock.
            set("merchants.clocks", MerchantStateJSON.encode(clocks: clocks), note: StateValues.instant(realTime))
        case .merchants(let merchants): set("merchants.merchants", MerchantStateJSON.encode(merchants: merchants))
        case .subscriptionKeys(let keys): set("merchants.subscription_keys", MerchantStateJSON.encode(subscriptionKeys: keys))
        case .dialect(let change):
            switch change.kind {
            case .payByLinkRequest:
                if let request = change.value as? RequestForPayment { put("paybylink.requests", request.id, PayByLinkStateJSON.encode(request)) }
            case .payByLinkIDs:
                if let ids = change.value as? IDGenerator.Snapshot { set("paybylink.ids", IDStateJSON.encode(ids)) }
            case .apsBatchIDs:
                if let ids = change.value as? IDGenerator.Snapshot { set("batches.aps_batch_ids", IDStateJSON.encode(ids)) }
            }
        case .everything: break
        }
    }
}
