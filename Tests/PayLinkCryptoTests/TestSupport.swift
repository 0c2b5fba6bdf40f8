import PayLinkCrypto

/// Decodes lowercase or uppercase hex; traps on malformed input because that means a broken
/// test vector, not a behaviour under test.
func bytes(hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    precondition(digits.count % 2 == 0, "odd-length hex string")
    func nibble(_ digit: UInt8) -> UInt8 {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: preconditionFailure("not a hex digit: \(digit)")
        }
    }
    return stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
}

/// Hashes `message` by feeding it in pieces whose sizes cycle through `chunkSizes`, so block
/// boundaries fall at every offset the pattern produces rather than only at multiples of the
/// block size.
func digestInChunks<H: HashFunction>(
    _: H.Type, of message: [UInt8], chunkSizes: [Int]
) -> [UInt8] {
    var hasher = H()
    var offset = 0
    var chunkIndex = 0
    while offset < message.count {
        let size = min(chunkSizes[chunkIndex % chunkSizes.count], message.count - offset)
        message[offset..<(offset + size)].withUnsafeBytes { hasher.update($0) }
        offset += size
        chunkIndex += 1
    }
    return hasher.finalize()
}

/// The NIST example messages from FIPS 180-4's companion examples document.
enum NISTMessage {
    static let abc = "abc"
    /// 448 bits: leaves no room for the length in the first block, so padding spills over.
    static let twoBlock448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
    /// 896 bits: the SHA-512 counterpart of the 448-bit message.
    static let twoBlock896 =
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
    static let millionA = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    /// Uneven piece sizes around the 64- and 128-byte block sizes.
    static let unevenChunks = [1, 63, 64, 65, 1000, 127, 128, 129, 3]
}
