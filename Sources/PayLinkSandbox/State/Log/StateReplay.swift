import PayLinkCore
import PayLinkJSON
import PayLinkPayByLink

/// A snapshot with the log's entries applied to it (see `LogEntry`), for the usual import to
/// read and check. Links go into the engine's store as they are read (`LinkStoreBuilder`: a
/// logged link replaces the one with its ID where it stands), orders are kept as values
/// (`LoggedList`), both read from the binary snapshot and log without a JSON tree; the other keyed lists are taken out of the document
/// once and indexed by key on their first entry, so an entry costs a hash lookup however large
/// the state.
struct StateReplay {
    /// What the replay gives: the document without `links`, `orders` and PayByLink requests,
    /// and those as values.
    struct Replayed {
        var document: JSONObject
        var values: StateValuesLists
    }

    private struct KeyedList {
        var items: [JSONValue?]
        var slots: [String: Int]?
        let key: String
    }

    private var root: JSONObject
    private var lists: [String: KeyedList] = [:]
    private var links: LinkStoreBuilder
    private var orders: LoggedList<Order>
    private var requests: LoggedList<RequestForPayment>
    private var members: [(path: String, value: JSONValue)] = []
    /// Entries at or below it are in the snapshot already.
    private let snapshotSequence: UInt64
    /// The last sequence applied (or the snapshot's).
    private(set) var lastSequence: UInt64
    /// The wall-clock time of the clock's last setting in the log, if any.
    private(set) var clockSetAt: SandboxInstant?
    /// The same for the merchants' own clocks.
    private(set) var merchantClocksSetAt: SandboxInstant?
    private(set) var entriesApplied = 0

    /// `snapshot` without the lists `values` holds.
    init(snapshot: JSONObject, values: StateValuesLists, sequence: UInt64) {
        root = snapshot
        links = values.links
        orders = LoggedList(snapshot: values.orders, key: \.fortID)
        requests = LoggedList(snapshot: values.requests, key: \.id)
        snapshotSequence = sequence
        lastSequence = sequence
        // A list that is not an array is left for the import to name.
        for (path, key) in LogEntry.lists {
            // A top-level list a snapshot written before it existed lacks starts empty.
            if !path.contains("."), root[path] == nil { root[path] = .array([]) }
            guard let items = Self.takeArray(path, from: &root) else { continue }
            lists[path] = KeyedList(items: items.map { $0 }, slots: nil, key: key)
        }
    }

    /// Applies one frame's entries; throws a description of what is wrong with them. A frame
    /// is binary (`LogEntry.binaryMark` first) or, as earlier versions wrote, a JSON array.
    mutating func apply(frame payload: UnsafeRawBufferPointer) throws(LogReadError) {
        if payload.first == LogEntry.binaryMark {
            try applyBinary(payload)
            return
        }
        let value: JSONValue
        do { value = try JSONParser.parse(payload) } catch { throw LogReadError("a frame whose checksum matches is not JSON: \(error)") }
        guard case .array(let entries) = value else { throw LogReadError("a frame must hold an array of entries") }
        for entry in entries { try apply(entry: entry) }
    }

    private mutating func applyBinary(_ payload: UnsafeRawBufferPointer) throws(LogReadError) {
        var reader = BinaryReader(payload, offset: 1)
        while !reader.isAtEnd {
            let kind = try reader.byte()
            let sequence = try reader.unsigned()
            switch kind {
            case LogEntry.Kind.json.rawValue:
                let bytes = try reader.blob()
                let entry: JSONValue
                do { entry = try JSONParser.parse(bytes) } catch { throw LogReadError("an entry whose checksum matches is not JSON: \(error)") }
                try apply(entry: entry)
            case LogEntry.Kind.link.rawValue:
                let link = try LinkStateBinary.decode(&reader)
                if take(sequence) { links.put(link) }
            case LogEntry.Kind.order.rawValue, LogEntry.Kind.orderWithRequestFields.rawValue:
                let order = try OrderStateBinary.decode(&reader, withRequestFields: kind == LogEntry.Kind.orderWithRequestFields.rawValue)
                if take(sequence) { orders.put(order) }
            case LogEntry.Kind.payByLinkRequest.rawValue:
                let request = try PayByLinkStateBinary.decode(&reader)
                if take(sequence) { requests.put(request) }
            case LogEntry.Kind.outboxMessage.rawValue:
                let sent = try OutboxStateBinary.decode(&reader)
                guard take(sequence) else { continue }
                guard lists["outbox.messages"] != nil else { throw LogReadError("an outbox entry, and the snapshot has no outbox") }
                // The outbox is bounded, so its messages stay in the document as JSON.
                put(OutboxStateJSON.encode(sent.message), key: String(sent.message.sequence), list: "outbox.messages")
                for evicted in sent.evicted { remove(key: String(evicted), list: "outbox.messages") }
                members.append(("outbox.next_sequence", .number(sent.nextSequence)))
                members.append(("outbox.dropped", .number(sent.dropped)))
            default:
                throw LogReadError("unknown binary entry kind \(kind)")
            }
        }
    }

    /// Whether an entry of `sequence` is after the snapshot (and so applies); counts it.
    private mutating func take(_ sequence: UInt64) -> Bool {
        guard sequence > snapshotSequence else { return false }
        lastSequence = max(lastSequence, sequence)
        entriesApplied += 1
        return true
    }

    private mutating func apply(entry: JSONValue) throws(LogReadError) {
        guard case .array(let parts) = entry, parts.count >= 4, case .number(let seqText) = parts[0], let sequence = UInt64(seqText),
              case .string(let op) = parts[1], case .string(let path) = parts[2] else {
            throw LogReadError("an entry must be [sequence, op, path, key, value]")
        }
        guard take(sequence) else { return }
        switch op {
        case "put" where path == "links" || path == "orders" || path == "paybylink.requests":
            guard parts.count == 5 else { throw LogReadError("a put must carry a value") }
            do {
                switch path {
                case "links": links.put(try LinkStateJSON.decode(parts[4], path: "links[]"))
                case "orders": orders.put(try OrderStateJSON.decode(parts[4], path: "orders[]"))
                default: requests.put(try PayByLinkStateJSON.decodeRequest(parts[4], path: "paybylink.requests[]"))
                }
            } catch { throw LogReadError("\(error)") }
        case "put":
            guard parts.count == 5, case .string(let key) = parts[3], lists[path] != nil else { throw LogReadError("a put must name a list and a key") }
            put(parts[4], key: key, list: path)
        case "add":
            guard parts.count == 5, case .string(let key) = parts[3], path == "batches.batches", case .object(let added) = parts[4] else {
                throw LogReadError("an add must name a batch and carry its new records")
            }
            try addRecords(added, key: key, list: path)
        case "del":
            guard case .string(let key) = parts[3], lists[path] != nil else { throw LogReadError("a del must name a list and a key") }
            remove(key: key, list: path)
        case "set":
            guard parts.count == 5 else { throw LogReadError("a set must carry a value") }
            if path == "clock", case .string(let text) = parts[3] { clockSetAt = ISO8601.parseDateTime(text) }
            if path == "merchants.clocks", case .string(let text) = parts[3] { merchantClocksSetAt = ISO8601.parseDateTime(text) }
            members.append((path, parts[4]))
        default:
            throw LogReadError("unknown entry \"\(op)\"")
        }
    }

    /// The document with every entry applied.
    consuming func finish() -> Replayed {
        for (path, value) in members { Self.set(path, value, in: &root) }
        for (path, _) in LogEntry.lists {
            guard let list = lists.removeValue(forKey: path) else { continue }
            Self.set(path, .array(list.items.compactMap { $0 }), in: &root)
        }
        return Replayed(document: root, values: StateValuesLists(links: links, orders: orders.finish(), requests: requests.finish()))
    }

    private mutating func put(_ value: JSONValue, key: String, list path: String) {
        let slot = slots(path)[key]
        if let slot, let old = lists[path]!.items[slot] {
            var merged = value
            // A batch's put without its file, or without its records, keeps those it had.
            if case .object(var object) = value, case .object(let previous) = old {
                for member in ["file", "results", "failures"] where object[member] == nil {
                    if let kept = previous[member] { object[member] = kept }
                }
                merged = .object(object)
            }
            lists[path]!.items[slot] = merged
        } else {
            var value = value
            if path == "batches.batches", case .object(var object) = value {
                if object["file"] == nil { object["file"] = .null }
                for member in ["results", "failures"] where object[member] == nil { object[member] = .array([]) }
                value = .object(object)
            }
            lists[path]!.items.append(value)
            lists[path]!.slots![key] = lists[path]!.items.count - 1
        }
    }

    /// `add`: the batch's records from `results_from` (and `failures_from`) on are the ones given;
    /// setting rather than appending, so an entry applied twice changes nothing.
    private mutating func addRecords(_ added: JSONObject, key: String, list path: String) throws(LogReadError) {
        guard let slot = slots(path)[key], case .object(var batch)? = lists[path]!.items[slot] else {
            throw LogReadError("an add names batch \(key), which no put made")
        }
        for member in ["results", "failures"] {
            guard case .number(let fromText)? = added[member + "_from"], let from = Int(fromText), from >= 0,
                  case .array(let new)? = added[member] else { throw LogReadError("an add needs \(member)_from and \(member)") }
            guard case .array(var existing)? = batch[member] else { throw LogReadError("batch \(key) has no \(member) to add to") }
            guard from <= existing.count else { throw LogReadError("an add starts \(member) of batch \(key) at \(from), past its \(existing.count)") }
            existing.removeSubrange(from...)
            existing += new
            batch[member] = .array(existing)
        }
        lists[path]!.items[slot] = .object(batch)
    }

    private mutating func remove(key: String, list path: String) {
        guard let slot = slots(path)[key] else { return }
        lists[path]!.slots![key] = nil
        lists[path]!.items[slot] = nil
    }

    /// The list's index, built on first use.
    private mutating func slots(_ path: String) -> [String: Int] {
        if let slots = lists[path]!.slots { return slots }
        var slots: [String: Int] = [:]
        let key = lists[path]!.key
        slots.reserveCapacity(lists[path]!.items.count)
        for (index, item) in lists[path]!.items.enumerated() {
            guard case .object(let object)? = item, let name = object[key] else { continue }
            switch name {
            case .string(let text), .number(let text): slots[text] = index
            default: continue
            }
        }
        lists[path]!.slots = slots
        return slots
    }

    private static func takeArray(_ path: String, from root: inout JSONObject) -> [JSONValue]? {
        let parts = path.split(separator: ".").map(String.init)
        if parts.count == 1 {
            guard case .array(let items)? = root[parts[0]] else { return nil }
            root[parts[0]] = .array([])
            return items
        }
        guard case .object(var container)? = root[parts[0]], case .array(let items)? = container[parts[1]] else { return nil }
        root[parts[0]] = .null
        container[parts[1]] = .array([])
        root[parts[0]] = .object(container)
        return items
    }

    private static func set(_ path: String, _ value: JSONValue, in root: inout JSONObject) {
        let parts = path.split(separator: ".").map(String.init)
        if parts.count == 1 { root[parts[0]] = value; return }
        guard case .object(var container)? = root[parts[0]] else { return }
        root[parts[0]] = .null
        container[parts[1]] = value
        root[parts[0]] = .object(container)
    }
}

/// Why the log cannot be read; `StateLog` adds the file and offset.
struct LogReadError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
