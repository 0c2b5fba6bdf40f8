/// How the store writes text: each field as a varint of its UTF-8 length + 1 (0 for a field
/// that is absent) followed by its bytes, fields one after another with no tags, so a run of
/// them is self-delimiting and an absent field costs one byte.
enum TextFields {
    static func append(_ field: String?, to out: inout [UInt8]) {
        guard var field else { out.append(0); return }
        // Through a buffer: appending `utf8` copies a short (inline) string byte by byte.
        field.withUTF8 { bytes in
            appendVarint(UInt64(bytes.count) + 1, to: &out)
            out.append(contentsOf: bytes)
        }
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    /// Reads fields in order from `bytes`.
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func varint() -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            return value
        }

        /// The next field's bytes; nil when it is absent.
        mutating func field() -> UnsafeBufferPointer<UInt8>? {
            let marker = varint()
            guard marker > 0 else { return nil }
            let length = Int(marker - 1)
            defer { position += length }
            return UnsafeBufferPointer(rebasing: bytes[position..<(position + length)])
        }

        mutating func string() -> String? {
            field().map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
