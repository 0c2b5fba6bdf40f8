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
        // Thirty-six ASCII bytes written in place, group by group: a loop over the sixteen
        // bytes that chose the word and looked for a dash at each one took three times as
        // long (this runs under the store's lock, once a request).
        return String(unsafeUninitializedCapacity: 36) { out in
            let hex: StaticString = "0123456789abcdef"
            var position = 0
            /// Bytes `bytes` of `word`, low byte first, as two hex digits each.
            func write(_ word: UInt64, bytes: Range<Int>) {
                for index in bytes {
                    let byte = Int(truncatingIfNeeded: word >> UInt64(8 * index)) & 0xFF
                    out[position] = hex.utf8Start[byte >> 4]
                    out[position + 1] = hex.utf8Start[byte & 0xF]
                    position += 2
                }
            }
            func dash() {
                out[position] = UInt8(ascii: "-")
                position += 1
            }
            write(low, bytes: 0..<4); dash()
            write(low, bytes: 4..<6); dash()
            write(low, bytes: 6..<8); dash()
            write(high, bytes: 0..<2); dash()
            write(high, bytes: 2..<8)
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
