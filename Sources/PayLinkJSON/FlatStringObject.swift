/// A JSON document that is one object of plain string members, read as byte ranges of the
/// document instead of `JSONValue`s: no `String` is made until one is asked for.
///
/// Why: nearly every APS request is such an object (`{"query_command":"…","access_code":"…",…}`),
/// and building a `JSONObject` of it (a `String` per key and value, then tearing them down) cost
/// more than reading it. This reader takes only the plainest form and leaves everything else to
/// `JSONParser`: its `init` returns nil unless the document is an object whose keys and values
/// are all strings of ASCII without escapes (bytes 0x20 to 0x7F but `"` and `\`), with
/// JSON whitespace around the tokens and no key twice. For every document it accepts,
/// `JSONParser.parse` gives an object with the same members in the same order (the tests hold
/// the two to that, on the fuzz corpus and on edge cases); every other document, valid or not,
/// goes to `JSONParser`, so errors and their messages are the parser's.
public struct FlatStringObject: Sendable {
    /// One member: its key and its value as half-open ranges of `bytes`, quotes excluded.
    public struct Member: Sendable, Equatable {
        public var keyStart: Int32
        public var keyEnd: Int32
        public var valueStart: Int32
        public var valueEnd: Int32

        public var keyCount: Int { Int(keyEnd &- keyStart) }
        public var valueCount: Int { Int(valueEnd &- valueStart) }
    }

    /// The document.
    public let bytes: [UInt8]
    /// In document order.
    public let members: [Member]
    /// Each key's bit (`keyBit`: its length, first and last bytes): a key whose bit is clear is
    /// not here. Lengths alone (one bit each) let `card_number` and `card_security_code`, looked
    /// for in every APS request, scan the members for `access_code` and `merchant_reference`.
    @usableFromInline let keyBits: UInt64

    /// Reads `bytes`; nil unless it is an object of plain string members (see the type).
    public init?(_ bytes: [UInt8]) {
        // Ranges are Int32; request bodies are far smaller, and larger ones go to the parser.
        guard bytes.count < Int(Int32.max) else { return nil }
        guard let (members, keyBits) = bytes.withUnsafeBufferPointer({ Self.read($0) }) else { return nil }
        self.bytes = bytes
        self.members = members
        self.keyBits = keyBits
    }

    /// The index in `members` of the member with this key, or nil.
    public func index(of key: String) -> Int? {
        // `utf8.withContiguousStorageIfAvailable` rather than `withUTF8` on a copy, which retained it.
        let found: Int?? = key.utf8.withContiguousStorageIfAvailable { index(ofKey: $0) }
        if let found { return found }
        return members.indices.first { self.key(members[$0]) == key }
    }

    /// The index in `members` of the member whose key is these bytes, or nil.
    public func index(ofKey key: UnsafeBufferPointer<UInt8>) -> Int? {
        // Most names looked up are absent from a request, and nearly all of those have a bit no
        // key has: answered without a scan.
        guard let keyBase = key.baseAddress, keyBits & Self.keyBit(keyBase, 0, key.count) != 0 else {
            return key.isEmpty ? members.firstIndex { $0.keyCount == 0 } : nil
        }
        return bytes.withUnsafeBufferPointer { bytes in
            members.withUnsafeBufferPointer { members in
                for index in members.indices where members[index].keyCount == key.count
                    && Self.equal(bytes, Int(members[index].keyStart), key) {
                    return index
                }
                return nil
            }
        }
    }

    /// Calls `body` with the value's bytes of the member with this key; nil when there is none.
    @inlinable
    public func withValue<R>(ofKey key: StaticString, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard let index = index(ofKey: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)) else { return nil }
        let member = members[index]
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(member.valueStart)..<Int(member.valueEnd)])) }
    }

    public func key(_ member: Member) -> String { string(member.keyStart, member.keyEnd) }
    public func value(_ member: Member) -> String { string(member.valueStart, member.valueEnd) }

    /// The same members as a `JSONObject`, as `JSONParser` gives them.
    public var object: JSONObject {
        JSONObject(members.map { JSONObject.Member(key: key($0), value: .string(value($0))) })
    }

    private func string(_ start: Int32, _ end: Int32) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[Int(start)..<Int(end)]), as: UTF8.self) }
    }

    // MARK: reading

    /// A key's bit in `keyBits`, from its length and its first and last bytes.
    @inline(__always)
    static func keyBit(_ base: UnsafePointer<UInt8>, _ start: Int, _ count: Int) -> UInt64 {
        guard count > 0 else { return 1 }
        let mix = count &* 7 &+ Int(base[start]) &* 3 &+ Int(base[start &+ count &- 1])
        return 1 &<< UInt64(truncatingIfNeeded: mix & 63)
    }

    private static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> (members: [Member], keyBits: UInt64)? {
        let count = bytes.count
        var i = skipWhitespace(bytes, 0)
        guard i < count, bytes[i] == UInt8(ascii: "{"), let base = bytes.baseAddress else { return nil }
        i = skipWhitespace(bytes, i &+ 1)
        var members: [Member] = []
        members.reserveCapacity(16)
        // Keys whose bits all differ are all different: the pairwise check only when two share one.
        var keyBits: UInt64 = 0
        var bitsShared = false
        guard i < count else { return nil }
        if bytes[i] == UInt8(ascii: "}") {
            i &+= 1
        } else {
            while true {
                guard let (keyStart, keyEnd) = plainString(bytes, &i) else { return nil }
                i = skipWhitespace(bytes, i)
                guard i < count, bytes[i] == UInt8(ascii: ":") else { return nil }
                i = skipWhitespace(bytes, i &+ 1)
                guard let (valueStart, valueEnd) = plainString(bytes, &i) else { return nil }
                members.append(Member(keyStart: Int32(keyStart), keyEnd: Int32(keyEnd), valueStart: Int32(valueStart), valueEnd: Int32(valueEnd)))
                let bit = keyBit(base, keyStart, keyEnd &- keyStart)
                if keyBits & bit != 0 { bitsShared = true }
                keyBits |= bit
                i = skipWhitespace(bytes, i)
                guard i < count else { return nil }
                let byte = bytes[i]
                i &+= 1
                if byte == UInt8(ascii: "}") { break }
                guard byte == UInt8(ascii: ","), case let next = skipWhitespace(bytes, i), next < count else { return nil }
                i = next
            }
        }
        guard skipWhitespace(bytes, i) == count, !(bitsShared && hasDuplicateKeys(bytes, members)) else { return nil }
        return (members, keyBits)
    }

    /// A string at `i` of ASCII without escapes or control characters: its contents' range, `i`
    /// moved past it. Eight bytes a step, as the parser scans.
    @inline(__always)
    private static func plainString(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> (Int, Int)? {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), let base = bytes.baseAddress else { return nil }
        let start = i &+ 1
        var end = start
        // Stops at `"`, `\`, a control character (invalid in JSON) or a non-ASCII byte (to be
        // validated): all but the closing quote are the parser's.
        ByteScan.skipPlain(base, &end, bytes.count, stopAtNonASCII: true)
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
        i = end &+ 1
        return (start, end)
    }

    @inline(__always)
    private static func skipWhitespace(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var i = start
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i &+= 1
            default: return i
            }
        }
        return i
    }

    /// Pairs compared, lengths first: request objects have a few dozen members at most.
    private static func hasDuplicateKeys(_ bytes: UnsafeBufferPointer<UInt8>, _ members: [Member]) -> Bool {
        members.withUnsafeBufferPointer { members in
            for i in members.indices {
                let a = members[i]
                for j in 0..<i where members[j].keyCount == a.keyCount {
                    let key = UnsafeBufferPointer(rebasing: bytes[Int(members[j].keyStart)..<Int(members[j].keyEnd)])
                    if equal(bytes, Int(a.keyStart), key) { return true }
                }
            }
            return false
        }
    }

    /// A word at a time: the keys looked up are a dozen to twenty bytes (`merchant_identifier`),
    /// which a byte loop took about five instructions each for.
    @inline(__always)
    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = other.count
        guard count > 0, let otherBase = other.baseAddress else { return true }
        precondition(start >= 0 && start &+ count <= bytes.count)
        let x = UnsafeRawPointer(bytes.baseAddress! + start), y = UnsafeRawPointer(otherBase)
        if count >= 8 {
            var i = 0
            while i &+ 8 < count {
                if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i &+= 8
            }
            // The last eight bytes, overlapping the word before when `count` is not a multiple of 8.
            return x.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        var i = 0
        while i < count {
            if x.load(fromByteOffset: i, as: UInt8.self) != y.load(fromByteOffset: i, as: UInt8.self) { return false }
            i &+= 1
        }
        return true
    }
}
