/// `X-Sandbox-Detail`: the header in which the sandbox explains, for people, why it refused a
/// request. Header values must be ASCII, and a detail may quote anything (a client's field
/// values, an Arabic message): every byte outside printable ASCII, and `%` itself, is written
/// percent-encoded as UTF-8, so English text stays readable and any URL decoder (Python's
/// `urllib.parse.unquote`, JavaScript's `decodeURIComponent`) gives the text back exactly.
package enum SandboxDetail {
    package static let header = "X-Sandbox-Detail"
    /// Longer details are cut (at a character, never inside an escape).
    package static let maxLength = 1024

    package static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(min(text.utf8.count, maxLength))
        for character in text {
            var piece: [UInt8] = []
            for byte in character.utf8 {
                if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "%") {
                    piece.append(byte)
                } else {
                    piece += [UInt8(ascii: "%"), hexDigit(byte >> 4), hexDigit(byte & 0x0F)]
                }
            }
            guard out.count + piece.count <= maxLength else { break }
            out += piece
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text `encode` was given (for the journal, which shows details as people wrote them).
    package static func decode(_ value: String) -> String {
        var bytes: [UInt8] = []
        var input = Array(value.utf8)[...]
        while let byte = input.first {
            if byte == UInt8(ascii: "%"), input.count >= 3,
               let high = hexValue(input[input.startIndex + 1]), let low = hexValue(input[input.startIndex + 2]) {
                bytes.append(high << 4 | low)
                input = input.dropFirst(3)
            } else {
                bytes.append(byte)
                input = input.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 48 + nibble : 55 + nibble }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }
}
