/// Standard base64 (RFC 4648, with `=` padding) for the batch files a state snapshot carries:
/// a file's bytes survive the JSON unchanged whatever they are.
enum StateBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    /// Each byte's value in the alphabet, 255 for bytes outside it.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index], b1 = index + 1 < bytes.count ? bytes[index + 1] : 0, b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes, or nil for text that is not canonical base64 (wrong length, a character
    /// outside the alphabet, padding in the middle, or non-zero bits in the padding), so that
    /// one file has exactly one spelling and a round trip gives the same bytes.
    static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var values: [UInt8] = []
        values.reserveCapacity(input.count)
        var padding = 0
        for (i, byte) in input.enumerated() {
            if byte == UInt8(ascii: "=") {
                guard i >= input.count - 2 else { return nil }
                padding += 1
                values.append(0)
                continue
            }
            let value = Self.values[Int(byte)]
            guard padding == 0, value != 255 else { return nil }
            values.append(value)
        }
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3)
        var i = 0
        while i < values.count {
            let v = values[i..<i + 4].map(UInt32.init)
            let word = v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]
            out.append(UInt8(truncatingIfNeeded: word >> 16))
            out.append(UInt8(truncatingIfNeeded: word >> 8))
            out.append(UInt8(truncatingIfNeeded: word))
            i += 4
        }
        out.removeLast(padding)
        // Canonical: encoding the result must give the text back.
        return encode(out) == text ? out : nil
    }
}
