import PayLinkCore
import PayLinkCrypto
import PayLinkJSON

/// Writes an APS response body straight to bytes: the same members, order, values and
/// signature as building a `JSONObject` of them, signing and serializing it, without the
/// intermediate `JSONObject`.
///
/// Why: on the request path, building that object (a lookup per field set), signing it
/// through the generic canonical-string code, serializing it and tearing it down cost more
/// than parsing and verifying the request. Here every key and value is copied once into one
/// byte arena, a replaced value only moves a range, and the canonical string and the JSON
/// text are each written in one pass into an array of exactly their size. The tests keep that
/// readable way (`APSResponseBuilder`) and hold the two byte-identical.
struct APSResponseWriter: ~Copyable {
    /// A member's key and value as ranges of `arena`. A nested (array or object) value is
    /// `nested[valueStart]`, marked by `valueEnd == -1`; the one large value is `largeValue`,
    /// marked by `valueEnd == -3` (see `set(_:large:)`).
    struct Member {
        var keyStart: Int
        var keyEnd: Int
        var valueStart: Int
        var valueEnd: Int

        var keyCount: Int { keyEnd &- keyStart }
        var isNested: Bool { valueEnd < 0 }
        /// A nested value left out of the signature (`setUnsigned`).
        var isUnsigned: Bool { valueEnd == -2 }
        var isLarge: Bool { valueEnd == -3 }
        var isEmptyString: Bool { valueEnd == valueStart }
    }

    var arena: ByteArena
    var members: MemberList
    var nested: [JSONValue] = []
    /// A value hashed and escaped from its parts rather than copied in (`set(_:large:)`).
    var largeValue: APSLargeText?
    /// A bit per key (`filterBit`): most keys set are not there yet, and this answers that
    /// without a scan, nearly always.
    var keyFilter: UInt64 = 0
    /// The arena's first bytes known to need no JSON escaping (a plain request's echo, then
    /// the fields set since that were checked or are plain by their kind: digits, hex): the
    /// serializer checks only the rest.
    private var knownPlain = 0
    /// The keys this answer is expected to have, in order, if its command knows them: when
    /// they are exactly the members signed, their byte order is the table's, not sorted again.
    var expectedKeys: APSAnswerKeys?

    /// The response body for a request (`echoing` its parameters), the command's fields and
    /// the code, signed with the merchant's response phrase when the merchant is known.
    static func body(echoing request: JSONObject, fields: [(String, String)], code: APSResponseCode,
                     merchant: Merchant?) -> [UInt8] {
        var writer = APSResponseWriter(echoing: request)
        return writer.finish(fields: fields, code: code, merchant: merchant)
    }

    /// A response that starts with the request's parameters echoed (see `echo`).
    ///
    /// Until `finish` adds to them, the members are exactly the parameters a request signature
    /// covers when empty values are omitted, rendered the same way, so `signature(algorithm:phrase:)`
    /// with the request phrase is the request's expected signature.
    init(echoing request: JSONObject) {
        arena = ByteArena(capacity: Self.arenaCapacity)
        members = MemberList(capacity: request.count + 24)
        echo(request)
    }

    /// `init(echoing:)` for a request read as plain strings: keys and values are copied from the
    /// body's bytes, with the same members left out (`signature`, empty values).
    init(echoing request: FlatStringObject) {
        arena = ByteArena(capacity: Self.arenaCapacity)
        members = MemberList(capacity: request.members.count + 24)
        request.bytes.withUnsafeBufferPointer { bytes in
            for member in request.members where member.valueCount > 0 {
                let key = UnsafeBufferPointer(rebasing: bytes[Int(member.keyStart)..<Int(member.keyEnd)])
                if key.count == 9 && Self.equal(key, 0, Self.signatureKey) { continue }
                let keyStart = arena.count
                arena.append(key)
                let keyEnd = arena.count
                arena.append(UnsafeBufferPointer(rebasing: bytes[Int(member.valueStart)..<Int(member.valueEnd)]))
                members.append(Member(keyStart: keyStart, keyEnd: keyEnd, valueStart: keyEnd, valueEnd: arena.count))
                keyFilter |= Self.filterBit(arena.bytes, keyStart, keyEnd)
            }
        }
        // A flat object's keys and values are ASCII without quotes, backslashes or controls.
        knownPlain = arena.count
    }

    /// Room for a usual answer's members (a status check's take about 550 bytes); its canonical
    /// string and JSON text are written apart from them (`withScratch`).
    static var arenaCapacity: Int { 1024 }

    private static var signatureKey: UnsafeBufferPointer<UInt8> {
        let signature: StaticString = "signature"
        return UnsafeBufferPointer(start: signature.utf8Start, count: signature.utf8CodeUnitCount)
    }

    /// Adds the command's fields and the code, signs with the merchant's response phrase when
    /// the merchant is known, and returns the JSON text.
    mutating func finish(fields: [(String, String)], code: APSResponseCode, merchant: Merchant?) -> [UInt8] {
        add(fields)
        return finish(code: code, merchant: merchant)
    }

    /// Sets a command's fields. A command's empty field is left out, as an empty request value
    /// is: responses never carry empty values, so their signature is the same under either
    /// empty-value convention.
    mutating func add(_ fields: [(String, String)]) {
        // Through the buffer: iterating the array copies each pair out (a retain and release of both).
        fields.withUnsafeBufferPointer { fields in
            for index in fields.indices where !fields[index].1.isEmpty { set(fields[index].0, fields[index].1) }
        }
    }

    /// Adds the code to the fields set so far, signs with the merchant's response phrase when
    /// the merchant is known, and returns the JSON text.
    mutating func finish(code: APSResponseCode, merchant: Merchant?) -> [UInt8] {
        finish(code: APSCodeText.of(code), merchant: merchant)
    }

    mutating func finish(code: APSCodeText, merchant: Merchant?) -> [UInt8] {
        setKeepingEmpty("response_code", code.digits, plain: code.needsNoEscaping)
        setKeepingEmpty("response_message", code.message, plain: code.needsNoEscaping)
        setKeepingEmpty("status", code.code.status, plain: code.needsNoEscaping)
        if let merchant {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maxSignatureBytes) { hex in
                let count = writeSignature(algorithm: merchant.shaType, phrase: merchant.responsePhrase, to: hex.baseAddress!)
                // Hex digits: plain.
                put("signature", UnsafeBufferPointer(rebasing: hex[..<count]), plain: true)
            }
        }
        return serialized()
    }

    // MARK: assembling

    /// The request's parameters as the response echoes them: all but `signature`, values as
    /// strings (numbers in plain digits, booleans as words), nested values as sent, empty
    /// strings and nulls left out. Request keys are unique (duplicates are refused before
    /// this), so echoing appends.
    mutating func echo(_ request: JSONObject) {
        request.members.withUnsafeBufferPointer { requestMembers in
            for member in requestMembers {
                if member.key.utf8.count == 9 && member.key == "signature" { continue }
                switch member.value {
                case .string(let s):
                    if s.isEmpty { continue }
                    append(member.key, s)
                case .number(let literal): append(member.key, CanonicalString.plainNumber(literal))
                case .bool(let b): append(member.key, b ? "true" : "false")
                case .array, .object:
                    let keyStart = arena.count
                    arena.append(member.key)
                    members.append(Member(keyStart: keyStart, keyEnd: arena.count, valueStart: nested.count, valueEnd: -1))
                    keyFilter |= Self.filterBit(arena.bytes, keyStart, arena.count)
                    nested.append(member.value)
                case .null: continue
                }
            }
        }
    }

    /// Sets a string member: replaces the value of the first member with this key in place
    /// (as `JSONObject`'s subscript does), or appends one.
    mutating func set(_ key: String, _ value: String) {
        guard let index = index(of: key) else {
            append(key, value)
            return
        }
        let valueStart = arena.count
        arena.append(value)
        members[index].valueStart = valueStart
        members[index].valueEnd = arena.count
    }

    /// Removes the first member with this key, if any: what a response must not repeat of
    /// the request (a card's security code). Its bytes stay in the arena, unreferenced.
    mutating func remove(_ key: String) {
        guard let index = index(of: key) else { return }
        members.remove(at: index)
    }

    /// `set` for a command's field: the key a literal, an empty value left out (as `add` does).
    mutating func set(_ key: StaticString, _ value: String) { set(key, value, plain: false) }

    /// `set` for a command's field whose value is known to need no escaping when `plain` (a
    /// link's text the engine lent as plain); checked here otherwise.
    mutating func set(_ key: StaticString, _ value: String, plain: Bool) {
        guard !value.isEmpty else { return }
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { put(key, $0, plain: plain || JSONObjectStream.needsNoEscaping($0)) }
        if done == nil { set(String(describing: key), value) }
    }

    /// `set` of a number in plain decimal digits, as `String(value)` writes it.
    mutating func set(_ key: StaticString, decimal value: Int64) {
        // Twenty digits and a sign at most, written backwards.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var magnitude = value.magnitude
            var start = buffer.count
            repeat {
                start &-= 1
                buffer[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                start &-= 1
                buffer[start] = UInt8(ascii: "-")
            }
            put(key, UnsafeBufferPointer(rebasing: buffer[start...]), plain: true)
        }
    }

    /// `set` of an instant as `ISO8601.formatUTC` writes it (`2099-12-31T20:59:59Z`), written
    /// here rather than made a `String` first.
    mutating func set(_ key: StaticString, utc instant: SandboxInstant) {
        let seconds = instant.secondsSince1970
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = ISO8601.civilFromDays(days)
        // Years of other than four digits: as the core writes them.
        guard (0...9999).contains(y) else { return set(key, ISO8601.formatUTC(instant)) }
        let hour = Int(rest / 3600), minute = Int(rest % 3600 / 60), second = Int(rest % 60)
        var text: (UInt64, UInt64, UInt32) = (0, 0, 0)
        withUnsafeMutableBytes(of: &text) { raw in
            let out = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            out[0] = UInt8(48 + y / 1000); out[1] = UInt8(48 + y / 100 % 10); out[2] = UInt8(48 + y / 10 % 10); out[3] = UInt8(48 + y % 10)
            out[4] = UInt8(ascii: "-"); out[5] = UInt8(48 + m / 10); out[6] = UInt8(48 + m % 10)
            out[7] = UInt8(ascii: "-"); out[8] = UInt8(48 + d / 10); out[9] = UInt8(48 + d % 10)
            out[10] = UInt8(ascii: "T"); out[11] = UInt8(48 + hour / 10); out[12] = UInt8(48 + hour % 10)
            out[13] = UInt8(ascii: ":"); out[14] = UInt8(48 + minute / 10); out[15] = UInt8(48 + minute % 10)
            out[16] = UInt8(ascii: ":"); out[17] = UInt8(48 + second / 10); out[18] = UInt8(48 + second % 10)
            out[19] = UInt8(ascii: "Z")
            put(key, UnsafeBufferPointer(start: out, count: 20), plain: true)
        }
    }

    /// `set` of a value given as its bytes; `plain` when it needs no JSON escaping. The key is
    /// a literal: plain too. Keeps `knownPlain` covering the arena when it did.
    private mutating func put(_ key: StaticString, _ value: UnsafeBufferPointer<UInt8>, plain: Bool) {
        let start = arena.count
        defer { if plain && knownPlain == start { knownPlain = arena.count } }
        let keyBytes = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        if keyFilter & Self.filterBit(keyBytes, 0, keyBytes.count) != 0, let index = index(of: keyBytes) {
            let valueStart = arena.count
            arena.append(value)
            members[index].valueStart = valueStart
            members[index].valueEnd = arena.count
            return
        }
        let keyStart = arena.count
        arena.append(keyBytes)
        let keyEnd = arena.count
        arena.append(value)
        members.append(Member(keyStart: keyStart, keyEnd: keyEnd, valueStart: keyEnd, valueEnd: arena.count))
        keyFilter |= Self.filterBit(keyBytes, 0, keyBytes.count)
    }

    /// Appends a nested member that the signature leaves out: `installment_detail`, which the
    /// official PHP SDK skips when it checks a response's signature (`APSSignature`), so APS
    /// cannot be signing it.
    mutating func setUnsigned(_ key: StaticString, nested value: JSONValue) {
        let keyBytes = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        let keyStart = arena.count
        arena.append(keyBytes)
        members.append(Member(keyStart: keyStart, keyEnd: arena.count, valueStart: nested.count, valueEnd: -2))
        keyFilter |= Self.filterBit(keyBytes, 0, keyBytes.count)
        nested.append(value)
    }

    /// `set(_:_:)` of `String` keys, for a literal key: an empty value is set too. `plain`
    /// when the value is known to need no escaping; otherwise it is checked.
    private mutating func setKeepingEmpty(_ key: StaticString, _ value: String, plain: Bool) {
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { put(key, $0, plain: plain || JSONObjectStream.needsNoEscaping($0)) }
        if done == nil { set(String(describing: key), value) }
    }

    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let bytes = arena.bytes
        return members.withBuffer { members in
            var index = 0
            while index < members.count {
                let member = members[index]
                if member.keyCount == key.count && Self.equal(bytes, member.keyStart, key) { return index }
                index &+= 1
            }
            return nil
        }
    }

    private mutating func append(_ key: String, _ value: String) {
        let keyStart = arena.count
        arena.append(key)
        let keyEnd = arena.count
        arena.append(value)
        members.append(Member(keyStart: keyStart, keyEnd: keyEnd, valueStart: keyEnd, valueEnd: arena.count))
        keyFilter |= Self.filterBit(arena.bytes, keyStart, keyEnd)
    }

    private func index(of key: String) -> Int? {
        let found: Int?? = key.utf8.withContiguousStorageIfAvailable { key in
            keyFilter & Self.filterBit(key, 0, key.count) != 0 ? index(of: key) : nil
        }
        let bytes = arena.bytes
        if let found { return found }
        let wanted = Array(key.utf8)
        return members.buffer.firstIndex { member in
            member.keyCount == wanted.count && wanted.withUnsafeBufferPointer { Self.equal(bytes, member.keyStart, $0) }
        }
    }

    /// The key `bytes[start..<end]`'s bit in `keyFilter`, from its length and its first and last
    /// bytes (keys of one length are common: `amount`, `status`, `currency`, `language`…).
    @inline(__always)
    static func filterBit(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        let count = end &- start
        guard count > 0 else { return 1 }
        let mix = count &* 7 &+ Int(bytes[start]) &* 3 &+ Int(bytes[end &- 1])
        return 1 &<< UInt64(truncatingIfNeeded: mix & 63)
    }

    // MARK: the signature

    /// The signature of the members so far: the digest of the canonical string, as
    /// `CanonicalString.bytes(for:phrase:includeEmpty: false)` gives for the same members
    /// (phrase, `key=value` for every member but `signature` and the empty ones in byte order
    /// of the keys, phrase). The string is built in the arena's free space and hashed there.
    mutating func signature(algorithm: SignatureAlgorithm, phrase: String) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maxSignatureBytes) { hex in
            let count = writeSignature(algorithm: algorithm, phrase: phrase, to: hex.baseAddress!)
            return String(decoding: UnsafeBufferPointer(rebasing: hex[..<count]), as: UTF8.self)
        }
    }

    /// Room for the longest signature: SHA-512 in hex.
    static let maxSignatureBytes = 128

    /// `signature(algorithm:phrase:)` written as bytes to `hex` (room for `maxSignatureBytes`);
    /// returns how many. SHA-256, what nearly every merchant signs with, is hashed and written
    /// here without making a `String` of the digest.
    mutating func writeSignature(algorithm: SignatureAlgorithm, phrase: String, to hex: UnsafeMutablePointer<UInt8>) -> Int {
        if let largeValue { return writeSignature(algorithm: algorithm, phrase: phrase, to: hex, including: largeValue) }
        guard nested.isEmpty else {
            return Self.copy(algorithm.digestHex(message: canonicalBytesWithNestedValues(phrase: phrase), phrase: phrase), to: hex)
        }
        var size = 2 &* phrase.utf8.count
        for member in members.buffer { size &+= member.keyCount &+ 1 &+ (member.valueEnd &- member.valueStart) }
        // An upper bound (it counts the members left out too).
        if size > Self.maxStackScratchBytes { arena.reserve(size) }
        return withScratch(size) { canonical in
            writeSignature(algorithm: algorithm, phrase: phrase, canonicalIn: canonical, to: hex)
        }
    }

    /// `writeSignature(algorithm:phrase:to:)` with room for the canonical string at `canonical`
    /// (outside the arena's bytes).
    private func writeSignature(algorithm: SignatureAlgorithm, phrase: String, canonicalIn canonical: UnsafeMutablePointer<UInt8>,
                                to hex: UnsafeMutablePointer<UInt8>) -> Int {
        var phraseText = phrase
        let bytes = arena.bytes
        return phraseText.withUTF8 { phraseBytes in
            withSignedMembersInKeyOrder(bytes) { order in
                var p = canonical
                Self.copy(phraseBytes, to: &p)
                for entry in order {
                    let member = members[entry.index]
                    Self.copy(bytes, member.keyStart, member.keyEnd, to: &p)
                    p.pointee = UInt8(ascii: "=")
                    p += 1
                    Self.copy(bytes, member.valueStart, member.valueEnd, to: &p)
                }
                Self.copy(phraseBytes, to: &p)
                let message = UnsafeRawBufferPointer(start: canonical, count: canonical.distance(to: p))
                guard algorithm == .sha256 else { return Self.copy(algorithm.digestHex(message: message, phrase: phrase), to: hex) }
                // What `SignatureAlgorithm.digestHex` gives for SHA-256: lowercase hex.
                var hasher = SHA256()
                hasher.update(message)
                hasher.finalizeHex(into: hex)
                return SHA256.digestByteCount &* 2
            }
        }
    }

    /// Copies a signature given as text to `hex`; returns its length.
    static func copy(_ signature: String, to hex: UnsafeMutablePointer<UInt8>) -> Int {
        var signature = signature
        return signature.withUTF8 { text in
            let count = Swift.min(text.count, maxSignatureBytes)
            if count > 0 { hex.initialize(from: text.baseAddress!, count: count) }
            return count
        }
    }

    /// The canonical string when a member is an array or object, rendered as `CanonicalString` does.
    private func canonicalBytesWithNestedValues(phrase: String) -> [UInt8] {
        let bytes = arena.bytes
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 2 &* phrase.utf8.count + members.count)
        out.append(contentsOf: phrase.utf8)
        let order = withSignedMembersInKeyOrder(bytes) { $0.map(\.index) }
        for index in order {
            let member = members[index]
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[member.keyStart..<member.keyEnd]))
            out.append(UInt8(ascii: "="))
            if member.isNested {
                CanonicalString.appendRendered(nested[member.valueStart], to: &out)
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[member.valueStart..<member.valueEnd]))
            }
        }
        out.append(contentsOf: phrase.utf8)
        return out
    }

    /// Calls `body` with the members that are signed, in byte order of their keys; equal keys
    /// keep their order, as in `CanonicalString`. Insertion sort on the keys' first eight bytes
    /// as a big-endian integer, the whole keys only when those tie: twenty-odd keys, in stack
    /// memory; when they are exactly `expectedKeys`, in the table's order without sorting.
    func withSignedMembersInKeyOrder<R>(_ bytes: UnsafeBufferPointer<UInt8>,
                                        _ body: (UnsafeBufferPointer<(prefix: UInt64, index: Int)>) -> R) -> R {
        let signature: StaticString = "signature"
        let signatureKey = UnsafeBufferPointer(start: signature.utf8Start, count: signature.utf8CodeUnitCount)
        return members.withBuffer { members in
            withUnsafeTemporaryAllocation(of: (prefix: UInt64, index: Int).self, capacity: members.count) { sorted in
                // Read in place (`expectedKeys?.`), not bound with `if let`: that copied the
                // optional through an outlined generic copy and destroy, about 200 instructions.
                if expectedKeys?.matches(members, in: bytes) == true {
                    // The prefix is the sort's own; the callers read the index only.
                    expectedKeys?.sortedPositions.withUnsafeBufferPointer { positions in
                        for rank in positions.indices { sorted[rank] = (0, positions[rank]) }
                    }
                    return body(UnsafeBufferPointer(rebasing: sorted[0..<members.count]))
                }
                var count = 0
                for index in members.indices {
                    let member = members[index]
                    if !member.isNested && member.isEmptyString { continue }
                    if member.isUnsigned { continue }
                    if member.keyCount == signatureKey.count && Self.equal(bytes, member.keyStart, signatureKey) { continue }
                    let prefix = Self.bigEndianPrefix(bytes, member)
                    var position = count
                    while position > 0 {
                        let previous = sorted[position &- 1]
                        let before = prefix != previous.prefix
                            ? prefix < previous.prefix
                            : Self.keyPrecedes(bytes, member, members[previous.index])
                        guard before else { break }
                        sorted[position] = previous
                        position &-= 1
                    }
                    sorted[position] = (prefix, index)
                    count &+= 1
                }
                return body(UnsafeBufferPointer(rebasing: sorted[0..<count]))
            }
        }
    }

    /// The key's first eight bytes, zero-padded, as a big-endian integer: comparing two of them
    /// orders keys as comparing their bytes would, up to the eighth.
    @inline(__always)
    private static func bigEndianPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ member: Member) -> UInt64 {
        let count = member.keyCount
        if count >= 8 || (count > 0 && member.keyStart &+ 8 <= bytes.count) {
            let word = UInt64(bigEndian: UnsafeRawPointer(bytes.baseAddress! + member.keyStart).loadUnaligned(as: UInt64.self))
            // A shorter key: the bytes after it (its value, as a rule) masked off.
            return count >= 8 ? word : word & ~(UInt64.max &>> UInt64(count &* 8))
        }
        var prefix: UInt64 = 0
        for i in 0..<8 { prefix = prefix &<< 8 | (i < count ? UInt64(bytes[member.keyStart &+ i]) : 0) }
        return prefix
    }

    /// Whether `a`'s key sorts strictly before `b`'s, byte by byte (a prefix first).
    private static func keyPrecedes(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Member, _ b: Member) -> Bool {
        let n = Swift.min(a.keyCount, b.keyCount)
        var i = 0
        while i < n {
            let x = bytes[a.keyStart &+ i], y = bytes[b.keyStart &+ i]
            if x != y { return x < y }
            i &+= 1
        }
        return a.keyCount < b.keyCount
    }

    // MARK: the JSON text

    /// The JSON text, members in order. When no byte of the arena needs escaping and nothing
    /// is nested (the usual case) it is plain concatenation, written in one pass.
    mutating func serialized() -> [UInt8] {
        if let largeValue { return serialized(including: largeValue) }
        guard nested.isEmpty && JSONObjectStream.needsNoEscaping(UnsafeBufferPointer(rebasing: arena.bytes[knownPlain...])) else {
            return streamed(arena.bytes)
        }
        // `{` `}`, a comma between members, and `"key":"value"` for each.
        var size = 2 &+ Swift.max(0, members.count &- 1)
        for member in members.buffer { size &+= member.keyCount &+ (member.valueEnd &- member.valueStart) &+ 5 }
        if size > Self.maxStackScratchBytes { arena.reserve(size) }
        // Through scratch space and a copy into a new array: writing straight into a new array
        // (`Array(unsafeUninitializedCapacity:)`, `Array(repeating:count:)`) cost about 350
        // instructions more a status check, its allocation looking up the storage's type
        // generically (callgrind).
        return withScratch(size) { text in
            Self.write(members.buffer, arena.bytes, into: text)
            return Array(UnsafeBufferPointer(start: text, count: size))
        }
    }

    /// The JSON text of plain members (nothing to escape, nothing nested) at `text`, which has
    /// room for exactly it.
    private static func write(_ members: UnsafeBufferPointer<Member>, _ bytes: UnsafeBufferPointer<UInt8>,
                              into text: UnsafeMutablePointer<UInt8>) {
        var p = text
        p.pointee = UInt8(ascii: "{")
        p += 1
        for (position, member) in members.enumerated() {
            if position > 0 {
                p.pointee = UInt8(ascii: ",")
                p += 1
            }
            p.pointee = UInt8(ascii: "\"")
            p += 1
            Self.copy(bytes, member.keyStart, member.keyEnd, to: &p)
            Self.copy(#"":""#, to: &p)
            Self.copy(bytes, member.valueStart, member.valueEnd, to: &p)
            p.pointee = UInt8(ascii: "\"")
            p += 1
        }
        p.pointee = UInt8(ascii: "}")
    }

    /// The general case: escaping and nested values through the JSON writer.
    private func streamed(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        JSONObjectStream.serialize { stream in
            for member in members.buffer {
                let key = UnsafeBufferPointer(rebasing: bytes[member.keyStart..<member.keyEnd])
                if member.isNested {
                    stream.member(key: key, value: nested[member.valueStart])
                } else {
                    stream.member(key: key, string: UnsafeBufferPointer(rebasing: bytes[member.valueStart..<member.valueEnd]))
                }
            }
        }
    }

    // MARK: bytes

    /// The longest scratch space (`withScratch`) on the stack: `withUnsafeTemporaryAllocation`
    /// checks nothing up to 1,024 bytes, past that it asks whether the thread's stack has room.
    static var maxStackScratchBytes: Int { 1024 }

    /// Calls `body` with room for `count` bytes apart from the arena's: on the stack up to
    /// `maxStackScratchBytes` (a usual answer's canonical string and JSON text), else the
    /// arena's free space, which the caller reserved first (so the arena does not move while
    /// `body` reads it). Written after the members, as they were, the two grew the arena
    /// past the allocator's per-thread cache on every signed answer.
    private func withScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<UInt8>) -> R) -> R {
        guard count > Self.maxStackScratchBytes else {
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { body($0.baseAddress!) }
        }
        return body(arena.freeSpace)
    }

    @inline(__always)
    private static func copy(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, to p: inout UnsafeMutablePointer<UInt8>) {
        let count = end &- start
        guard count > 0 else { return }
        copyBytes(to: p, from: bytes.baseAddress! + start, count: count)
        p += count
    }

    @inline(__always)
    private static func copy(_ bytes: UnsafeBufferPointer<UInt8>, to p: inout UnsafeMutablePointer<UInt8>) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        copyBytes(to: p, from: base, count: bytes.count)
        p += bytes.count
    }

    @inline(__always)
    private static func copy(_ literal: StaticString, to p: inout UnsafeMutablePointer<UInt8>) {
        copyBytes(to: p, from: literal.utf8Start, count: literal.utf8CodeUnitCount)
        p += literal.utf8CodeUnitCount
    }

    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < other.count {
            if bytes[start &+ i] != other[i] { return false }
            i &+= 1
        }
        return true
    }
}
