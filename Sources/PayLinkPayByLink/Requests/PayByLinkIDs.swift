import PayLinkCore

/// Identifier shapes of the PayByLink dialect, drawn from the sandbox's (seedable) generator.
extension IDGenerator {
    /// A version-4 GUID in lower case (`3f2b8c1e-…`), as a .NET service hands out.
    mutating func guid() -> String {
        var bytes: [UInt8] = []
        for _ in 0..<2 {
            let value = next()
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        // Thirty-six ASCII bytes written in place.
        return String(unsafeUninitializedCapacity: 36) { out in
            let hex: StaticString = "0123456789abcdef"
            var position = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { out[position] = UInt8(ascii: "-"); position += 1 }
                out[position] = hex.utf8Start[Int(byte >> 4)]
                out[position + 1] = hex.utf8Start[Int(byte & 0xF)]
                position += 2
            }
            return position
        }
    }

    /// Eight letters and digits for a short URL (57^8 codes: no 0, 1, l, o, I, O to misread).
    mutating func shortCode() -> String {
        let alphabet: StaticString = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        let size = UInt64(alphabet.utf8CodeUnitCount)
        var value = next()
        return String(unsafeUninitializedCapacity: 8) { out in
            for index in 0..<8 {
                out[index] = alphabet.utf8Start[Int(value % size)]
                value /= size
            }
            return 8
        }
    }
}
