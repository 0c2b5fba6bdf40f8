/// A JSON value that keeps what the wire said: object members in the order received and
/// numbers as their literal text, so `1000` is signed as `1000` and never as `1000.0`.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as written in the document (for example `1000`, `-2.5e3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A JSON object as an ordered list of members. Lookups are linear: the objects on the
/// request path have a few dozen members at most, where a scan beats hashing.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One member. A struct rather than a tuple: arrays of tuples are copied and destroyed
    /// through the runtime's generic tuple witnesses, which showed up on the request path.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Iteration yields `(key, value)` pairs, so `for (key, value) in object` reads naturally.
    public struct Iterator: IteratorProtocol {
        var base: IndexingIterator<[Member]>
        public mutating func next() -> (key: String, value: JSONValue)? {
            base.next().map { (key: $0.key, value: $0.value) }
        }
    }

    public private(set) var members: [Member]

    public init() { members = [] }
    public init(_ members: [Member]) { self.members = members }
    /// From `(key, value)` pairs, in order.
    public init(_ pairs: [(key: String, value: JSONValue)]) { self.members = pairs.map { Member(key: $0.key, value: $0.value) } }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { Member(key: $0.0, value: $0.1) }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    /// The first member with this key, or nil. Setting replaces it in place, or appends.
    public subscript(key: String) -> JSONValue? {
        get {
            let length = key.utf8.count
            // Through the buffer: iterating `members` copies each member out (a retain and
            // release of its key and value) just to compare a key.
            return members.withUnsafeBufferPointer { members in
                for index in members.indices where Self.sameKey(members[index].key, key, length) { return members[index].value }
                return nil
            }
        }
        set {
            let length = key.utf8.count
            if let index = members.firstIndex(where: { Self.sameKey($0.key, key, length) }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// Lengths first: a UTF-8 count is O(1) for native strings, while `==` on two different
    /// long strings costs hundreds of instructions, and lookups scan every member.
    @inline(__always)
    private static func sameKey(_ a: String, _ b: String, _ bLength: Int) -> Bool {
        a.utf8.count == bLength && a == b
    }

    /// Keys that occur more than once, in order of first repetition.
    public var duplicateKeys: [String] {
        guard hasDuplicateKeys else { return [] }
        var seen = Set<String>(), repeated: [String] = []
        for member in members where !seen.insert(member.key).inserted && !repeated.contains(member.key) {
            repeated.append(member.key)
        }
        return repeated
    }

    /// Whether any key occurs twice. Request objects have a few dozen members, so comparing
    /// pairs (lengths first) beats building a hash set on every request.
    public var hasDuplicateKeys: Bool {
        let count = members.count
        guard count > 1 else { return false }
        if count > 64 { return Set(members.map(\.key)).count != count }
        // Key lengths in stack memory: an array of them was an allocation per request.
        return members.withUnsafeBufferPointer { members in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { lengths in
                for i in 0..<count { lengths[i] = members[i].key.utf8.count }
                for i in 1..<count {
                    for j in 0..<i where lengths[i] == lengths[j] && members[i].key == members[j].key { return true }
                }
                return false
            }
        }
    }

    public func makeIterator() -> Iterator { Iterator(base: members.makeIterator()) }
}

extension JSONValue {
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
}
