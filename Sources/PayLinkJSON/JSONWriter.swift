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
        ByteOutput.withStackBuffer { output in
            JSONWriter.write(self, to: &output, sortedKeys: sortedKeys)
            buffer.append(contentsOf: output.bytes)
        }
    }

    /// The compact JSON text of this value as UTF-8 bytes.
    public func serialized(sortedKeys: Bool = false) -> [UInt8] {
        ByteOutput.withStackBuffer { output in
            JSONWriter.write(self, to: &output, sortedKeys: sortedKeys)
            return Array(output.bytes)
        }
    }

    /// The compact JSON text of this value, members in stored order.
    public var jsonText: String {
        ByteOutput.withStackBuffer { output in
            JSONWriter.write(self, to: &output, sortedKeys: false)
            return String(decoding: output.bytes, as: UTF8.self)
        }
    }
}

extension JSONObject {
    /// Appends the compact JSON text of this object to `buffer`; see `JSONValue.write`.
    public func write(into buffer: inout [UInt8], sortedKeys: Bool = false) {
        ByteOutput.withStackBuffer { output in
            JSONWriter.write(self, to: &output, sortedKeys: sortedKeys)
            buffer.append(contentsOf: output.bytes)
        }
    }

    /// The compact JSON text of this object as UTF-8 bytes.
    public func serialized(sortedKeys: Bool = false) -> [UInt8] {
        ByteOutput.withStackBuffer { output in
            JSONWriter.write(self, to: &output, sortedKeys: sortedKeys)
            return Array(output.bytes)
        }
    }

    /// The compact JSON text of this object, members in stored order.
    public var jsonText: String {
        ByteOutput.withStackBuffer { output in
            JSONWriter.write(self, to: &output, sortedKeys: false)
            return String(decoding: output.bytes, as: UTF8.self)
        }
    }
}

/// The recursive writer behind the public `write`/`serialized` entry points.
enum JSONWriter {
    static func write(_ value: JSONValue, to output: inout ByteOutput, sortedKeys: Bool) {
        switch value {
        case .null: output.append("null")
        case .bool(true): output.append("true")
        case .bool(false): output.append("false")
        case .number(let text): appendRaw(text, to: &output)
        case .string(let text): appendString(text, to: &output)
        case .array(let elements):
            output.append(ASCII.openBracket)
            elements.withUnsafeBufferPointer { elements in
                for index in elements.indices {
                    if index > 0 { output.append(ASCII.comma) }
                    write(elements[index], to: &output, sortedKeys: sortedKeys)
                }
            }
            output.append(ASCII.closeBracket)
        case .object(let object):
            write(object, to: &output, sortedKeys: sortedKeys)
        }
    }

    static func write(_ object: JSONObject, to output: inout ByteOutput, sortedKeys: Bool) {
        output.append(ASCII.openBrace)
        let members = object.members
        if sortedKeys && members.count > 1 {
            for (position, index) in sortedOrder(of: members).enumerated() {
                if position > 0 { output.append(ASCII.comma) }
                appendMember(members[index], sortedKeys: true, to: &output)
            }
        } else {
            // Indexing the buffer borrows each member instead of copying it out.
            members.withUnsafeBufferPointer { members in
                for index in members.indices {
                    if index > 0 { output.append(ASCII.comma) }
                    appendString(members[index].key, to: &output)
                    output.append(ASCII.colon)
                    write(members[index].value, to: &output, sortedKeys: sortedKeys)
                }
            }
        }
        output.append(ASCII.closeBrace)
    }

    @inline(__always)
    static func appendMember(_ member: JSONObject.Member, sortedKeys: Bool, to output: inout ByteOutput) {
        appendString(member.key, to: &output)
        output.append(ASCII.colon)
        write(member.value, to: &output, sortedKeys: sortedKeys)
    }

    /// Appends the UTF-8 of `text` unchanged (number literals).
    static func appendRaw(_ text: String, to output: inout ByteOutput) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            if let base = bytes.baseAddress { output.append(base, count: bytes.count) }
        }
        if done == nil {
            for byte in text.utf8 { output.append(byte) }
        }
    }

    /// Appends `text` as a quoted JSON string.
    static func appendString(_ text: String, to output: inout ByteOutput) {
        // Native Swift strings are contiguous UTF-8; the copy is for bridged oddities only.
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            appendEscaped(bytes, to: &output)
        }
        if done == nil {
            Array(text.utf8).withUnsafeBufferPointer { appendEscaped($0, to: &output) }
        }
    }

    /// Writes `bytes` between quotes, escaping `"`, `\` and control characters, and copying
    /// everything else (including non-ASCII UTF-8 and `/`) in bulk runs.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout ByteOutput) {
        output.append(ASCII.quote)
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            output.append(ASCII.quote)
            return
        }
        let count = bytes.count
        var runStart = 0
        var index = 0
        while true {
            // Stops exactly at a byte to escape, or at the end.
            ByteScan.skipPlain(base, &index, count, stopAtNonASCII: false)
            guard index < count else { break }
            let byte = base[index]
            if index > runStart {
                output.append(base + runStart, count: index - runStart)
            }
            appendEscape(for: byte, to: &output)
            index += 1
            runStart = index
        }
        if count > runStart {
            output.append(base + runStart, count: count - runStart)
        }
        output.append(ASCII.quote)
    }

    /// The escape for one byte that may not appear raw: the short forms RFC 8259 defines,
    /// otherwise `\u00XX` with lowercase hex (as Python and most libraries write it).
    static func appendEscape(for byte: UInt8, to output: inout ByteOutput) {
        output.append(ASCII.backslash)
        switch byte {
        case ASCII.quote, ASCII.backslash: output.append(byte)
        case 0x0A: output.append(0x6E)  // n
        case 0x0D: output.append(0x72)  // r
        case 0x09: output.append(0x74)  // t
        case 0x08: output.append(0x62)  // b
        case 0x0C: output.append(0x66)  // f
        default:
            let hex: StaticString = "0123456789abcdef"
            let digits = hex.utf8Start
            output.append("u00")
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
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
