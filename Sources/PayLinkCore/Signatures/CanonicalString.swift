import PayLinkJSON

/// How top-level parameters with an empty value (`""` or `null`) enter the signed string.
///
/// APS's own behaviour is unconfirmed: the official .NET SDK drops them, the PHP clients
/// include `key=`. The emulator verifies requests under either convention by default
/// (`.either`) and never returns empty values, so its own signatures agree with both.
public enum EmptyValuePolicy: String, Sendable, CaseIterable {
    /// Leave `name=` out of the string (the .NET SDK's way).
    case omit
    /// Put `name=` in the string (the PHP clients' way).
    case include
    /// Accept a request signed either way.
    case either
}

/// Builds the string APS hashes: every parameter but `signature`, sorted by byte order of the
/// names, `name=value` joined with nothing, the phrase at both ends.
///
/// Built as bytes: it runs twice per request on the server's hot path (verify, then sign the
/// response), where appending to a `String` piece by piece costs more than the hash itself.
public enum CanonicalString {
    /// The pairs only, without the phrase: what a debugging user diffs against their own.
    public static func pairs(of parameters: JSONObject, includeEmpty: Bool) -> String {
        var bytes: [UInt8] = []
        appendPairs(of: parameters, includeEmpty: includeEmpty, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The full string to hash: `PHRASE` + pairs + `PHRASE`.
    public static func string(for parameters: JSONObject, phrase: String, includeEmpty: Bool) -> String {
        String(decoding: bytes(for: parameters, phrase: phrase, includeEmpty: includeEmpty), as: UTF8.self)
    }

    /// The full string to hash, as UTF-8 bytes.
    public static func bytes(for parameters: JSONObject, phrase: String, includeEmpty: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        appendUTF8(phrase, to: &bytes)
        appendPairs(of: parameters, includeEmpty: includeEmpty, to: &bytes)
        appendUTF8(phrase, to: &bytes)
        return bytes
    }

    package static func appendPairs(of parameters: JSONObject, includeEmpty: Bool, to bytes: inout [UInt8]) {
        parameters.members.withUnsafeBufferPointer { members in
            withUnsafeTemporaryAllocation(of: SortEntry.self, capacity: members.count) { selected in
                var count = 0
                for index in members.indices {
                    let key = members[index].key
                    if key.utf8.count == 9 && key == "signature" { continue }
                    if !includeEmpty && isEmpty(members[index].value) { continue }
                    // Byte order, as PHP's ksort and Java's compareTo give for these names: `_`
                    // sorts after `A-Z` but before `a-z`, which a case-insensitive sort gets wrong.
                    // (String's own `<` compares Unicode scalars after normalisation, not bytes.)
                    // The first eight bytes as an integer settle most comparisons; equal prefixes
                    // fall back to the whole key. Insertion sort: a few dozen keys at most, often
                    // nearly sorted already, and no closure or generic sort machinery on the
                    // request path.
                    let entry = SortEntry(prefix: bigEndianPrefix(key), index: index)
                    var j = count
                    while j > 0 {
                        let previous = selected[j - 1]
                        let before = entry.prefix != previous.prefix
                            ? entry.prefix < previous.prefix
                            : byteOrderPrecedes(key, members[previous.index].key)
                        guard before else { break }
                        selected[j] = previous
                        j -= 1
                    }
                    selected[j] = entry
                    count += 1
                }
                for entry in selected[0..<count] {
                    appendUTF8(members[entry.index].key, to: &bytes)
                    bytes.append(UInt8(ascii: "="))
                    appendRendered(members[entry.index].value, to: &bytes)
                }
            }
        }
    }

    private struct SortEntry {
        var prefix: UInt64
        var index: Int
    }

    /// The key's first eight UTF-8 bytes, zero-padded, as a big-endian integer: comparing two of
    /// them orders keys as comparing their bytes would, up to the eighth.
    private static func bigEndianPrefix(_ key: String) -> UInt64 {
        let prefix: UInt64? = key.utf8.withContiguousStorageIfAvailable { bytes in
            if bytes.count >= 8 {
                return UInt64(bigEndian: UnsafeRawPointer(bytes.baseAddress!).loadUnaligned(as: UInt64.self))
            }
            var prefix: UInt64 = 0
            for i in 0..<8 { prefix = prefix &<< 8 | (i < bytes.count ? UInt64(bytes[i]) : 0) }
            return prefix
        }
        if let prefix { return prefix }
        var slow: UInt64 = 0
        var taken = 0
        for byte in key.utf8.prefix(8) {
            slow = slow &<< 8 | UInt64(byte)
            taken += 1
        }
        return taken == 8 ? slow : slow &<< (8 * UInt64(8 - taken))
    }

    /// Appends a string's UTF-8 with one copy when its storage is contiguous (always, for the
    /// native strings the JSON parser makes).
    @inline(__always)
    package static func appendUTF8(_ text: String, to bytes: inout [UInt8]) {
        if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: text.utf8)
        }
    }

    /// Byte-wise comparison over the strings' contiguous UTF-8.
    package static func byteOrderPrecedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = Swift.min(x.count, y.count)
                var i = 0
                while i < n {
                    if x[i] != y[i] { return x[i] < y[i] }
                    i &+= 1
                }
                return x.count < y.count
            }
        }
    }

    package static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: true
        case .string(let s): s.isEmpty
        default: false
        }
    }

    /// Renders a value as the official clients do: nested objects as `{k=v, k=v}` with the inner
    /// keys in the order received, lists as `[a, b]`, numbers in plain digits.
    public static func appendRendered(_ value: JSONValue, to bytes: inout [UInt8]) {
        switch value {
        case .null: return
        case .bool(let b): bytes.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let literal): bytes.append(contentsOf: plainNumber(literal).utf8)
        case .string(let s): appendUTF8(s, to: &bytes)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(contentsOf: ", ".utf8) }
                appendRendered(item, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (i, member) in object.members.enumerated() {
                if i > 0 { bytes.append(contentsOf: ", ".utf8) }
                bytes.append(contentsOf: member.key.utf8)
                bytes.append(UInt8(ascii: "="))
                appendRendered(member.value, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// `1000` stays `1000`; `1000.0` and `1e3` become `1000`, as a PHP or Java client's string
    /// conversion of the amount would give. Non-integral numbers keep their literal text.
    public static func plainNumber(_ literal: String) -> String {
        guard literal.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
        else { return literal }
        guard let value = Double(literal), value.rounded() == value, abs(value) < 9_007_199_254_740_992
        else { return literal }
        return String(Int64(value))
    }
}
