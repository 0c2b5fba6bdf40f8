/// Compact JSON output: no whitespace, members in stored order (or sorted by the UTF-8 bytes
/// of their keys, for signatures and stable snapshots), numbers as their literal text, and
/// non-ASCII written as raw UTF-8. Strings are copied in runs of bytes that need no escaping,
/// so plain text costs a bulk append rather than a per-character loop.
extension JSONValue {
    /// Appends the compact JSON text of this value to `buffer`.
    /// - Parameter sortedKeys: write object members in byte order of their UTF-8 keys, at
    ///   every level, instead of stored order. Members with equal keys keep their order.
    ///
    /// Numbers are written exactly as stored: `.number` must hold valid JSON number text,
    /// which the parser and the `number(_:)` helpers guarantee.
    public func write(into buffer: inout [UInt8], sortedKeys: Bool = false) {
        switch self {
        case .null: JSONWriter.append("null", to: &buffer)
        case .bool(true): JSONWriter.append("true", to: &buffer)
        case .bool(false): JSONWriter.append("false", to: &buffer)
        case .number(let text): JSONWriter.appendRaw(text, to: &buffer)
        case .string(let text): JSONWriter.appendString(text, to: &buffer)
        case .array(let elements):
            buffer.append(ASCII.openBracket)
            var first = true
            for element in elements {
                if !first { buffer.append(ASCII.comma) }
                first = false
                element.write(into: &buffer, sortedKeys: sortedKeys)
            }
            buffer.append(ASCII.closeBracket)
        case .object(let object):
            object.write(into: &buffer, sortedKeys: sortedKeys)
        }
    }

    /// The compact JSON text of this value as UTF-8 bytes.
    public func serialized(sortedKeys: Bool = false) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(JSONWriter.initialCapacity)
        write(into: &buffer, sortedKeys: sortedKeys)
        return buffer
    }

    /// The compact JSON text of this value, members in stored order.
    public var jsonText: String {
        String(decoding: serialized(), as: UTF8.self)
    }
}

extension JSONObject {
    /// Appends the compact JSON text of this object to `buffer`; see `JSONValue.write`.
    public func write(into buffer: inout [UInt8], sortedKeys: Bool = false) {
        buffer.append(ASCII.openBrace)
        if sortedKeys && members.count > 1 {
            for (position, index) in JSONWriter.sortedOrder(of: members).enumerated() {
                if position > 0 { buffer.append(ASCII.comma) }
                JSONWriter.appendMember(members[index], sortedKeys: true, to: &buffer)
            }
        } else {
            var first = true
            for member in members {
                if !first { buffer.append(ASCII.comma) }
                first = false
                JSONWriter.appendMember(member, sortedKeys: sortedKeys, to: &buffer)
            }
        }
        buffer.append(ASCII.closeBrace)
    }

    /// The compact JSON text of this object as UTF-8 bytes.
    public func serialized(sortedKeys: Bool = false) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(JSONWriter.initialCapacity)
        write(into: &buffer, sortedKeys: sortedKeys)
        return buffer
    }
}

/// The byte-level helpers behind `write(into:)`.
enum JSONWriter {
    /// Enough for a typical response body, so most serialisations never regrow.
    static var initialCapacity: Int { 1024 }

    @inline(__always)
    static func append(_ literal: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends the UTF-8 of `text` unchanged (number literals).
    @inline(__always)
    static func appendRaw(_ text: String, to buffer: inout [UInt8]) {
        if text.utf8.withContiguousStorageIfAvailable({ buffer.append(contentsOf: $0) }) == nil {
            buffer.append(contentsOf: text.utf8)
        }
    }

    static func appendMember(_ member: JSONObject.Member, sortedKeys: Bool, to buffer: inout [UInt8]) {
        appendString(member.key, to: &buffer)
        buffer.append(ASCII.colon)
        member.value.write(into: &buffer, sortedKeys: sortedKeys)
    }

    /// Appends `text` as a quoted JSON string.
    static func appendString(_ text: String, to buffer: inout [UInt8]) {
        // Native Swift strings are contiguous UTF-8; the copy is for bridged oddities only.
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            appendEscaped(bytes, to: &buffer)
        }
        if done == nil {
            Array(text.utf8).withUnsafeBufferPointer { appendEscaped($0, to: &buffer) }
        }
    }

    /// Writes `bytes` between quotes, escaping `"`, `\` and control characters, and copying
    /// everything else (including non-ASCII UTF-8 and `/`) in bulk runs.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        buffer.append(ASCII.quote)
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            buffer.append(ASCII.quote)
            return
        }
        let count = bytes.count
        var runStart = 0
        var index = 0
        while true {
            // Stops exactly at a byte to escape, or in the last few bytes of the string.
            ByteScan.skipPlain(base, &index, count, stopAtNonASCII: false)
            guard index < count else { break }
            let byte = base[index]
            guard byte < 0x20 || byte == ASCII.quote || byte == ASCII.backslash else {
                index += 1
                continue
            }
            if index > runStart {
                buffer.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: index - runStart))
            }
            appendEscape(for: byte, to: &buffer)
            index += 1
            runStart = index
        }
        if count > runStart {
            buffer.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count - runStart))
        }
        buffer.append(ASCII.quote)
    }

    /// The escape for one byte that may not appear raw: the short forms RFC 8259 defines,
    /// otherwise `\u00XX` with lowercase hex (as Python and most libraries write it).
    static func appendEscape(for byte: UInt8, to buffer: inout [UInt8]) {
        buffer.append(ASCII.backslash)
        switch byte {
        case ASCII.quote, ASCII.backslash: buffer.append(byte)
        case 0x0A: buffer.append(0x6E)  // n
        case 0x0D: buffer.append(0x72)  // r
        case 0x09: buffer.append(0x74)  // t
        case 0x08: buffer.append(0x62)  // b
        case 0x0C: buffer.append(0x66)  // f
        default:
            let hex: StaticString = "0123456789abcdef"
            let digits = hex.utf8Start
            buffer.append(0x75)  // u
            buffer.append(ASCII.zero)
            buffer.append(ASCII.zero)
            buffer.append(digits[Int(byte >> 4)])
            buffer.append(digits[Int(byte & 0x0F)])
        }
    }

    /// Member indices ordered by the UTF-8 bytes of their keys; ties keep stored order so
    /// the output is deterministic even with duplicate keys.
    static func sortedOrder(of members: [JSONObject.Member]) -> [Int] {
        members.indices.sorted { left, right in
            let a = members[left].key.utf8, b = members[right].key.utf8
            if a.lexicographicallyPrecedes(b) { return true }
            if b.lexicographicallyPrecedes(a) { return false }
            return left < right
        }
    }
}
