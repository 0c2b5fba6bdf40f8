import PayLinkCore

/// Identifier shapes of the PayByLink dialect, drawn from the sandbox's (seedable) generator.
extension IDGenerator {
    /// A version-4 GUID in lower case (`3f2b8c1e-…`), as a .NET service hands out: the bytes of
    /// two draws, low byte first, with the version and variant bits set. Read from the two words
    /// as they are, with no array of bytes (an allocation, and its growth, for every request).
    mutating func guid() -> String {
        var low = next(), high = next()
        // Byte 6 carries the version (4), byte 8 the variant (10 in its top bits).
        low = low & ~(0xF0 << 48) | (0x40 << 48)
        high = high & ~0xC0 | 0x80
        // Thirty-six ASCII bytes written in place.
        return String(unsafeUninitializedCapacity: 36) { out in
            let hex: StaticString = "0123456789abcdef"
            var position = 0
            for index in 0..<16 {
                let word = index < 8 ? low : high
                let byte = UInt8(truncatingIfNeeded: word >> UInt64(8 * (index % 8)))
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
