import CSHAExtensions

/// SHA-256 as specified in FIPS 180-4, section 6.2.
///
/// The whole state lives inline in the struct (no arrays), so a hasher costs no heap
/// allocation until `finalize()` returns the digest.
public struct SHA256: HashFunction {
    /// Whether this CPU has the x86 SHA instructions; read once.
    static let hardwareAvailable = paylink_sha256_hardware_available() != 0

    public static let blockByteCount = 64
    public static let digestByteCount = 32

    /// The eight working hash words H0...H7.
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
    /// Input that did not yet fill a block; only the first `pendingCount` bytes are meaningful.
    /// Kept as words rather than bytes purely to make the tuple short to spell.
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    private var pendingCount: Int
    /// The message length in bytes; the padding needs it in bits, mod 2^64.
    private var messageByteCount: UInt64
    /// Compress with the SHA instructions (several times faster) or the portable code.
    private let usesHardware: Bool

    public init() { self.init(hardware: Self.hardwareAvailable) }

    /// Chooses the implementation; tests use it to check the portable code on any machine.
    init(hardware: Bool) {
        usesHardware = hardware && Self.hardwareAvailable
        state = (
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
            0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
        )
        pending = (0, 0, 0, 0, 0, 0, 0, 0)
        pendingCount = 0
        messageByteCount = 0
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var input = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        messageByteCount &+= UInt64(truncatingIfNeeded: remaining)

        // Work on local copies: the block buffer and the state are both part of `self`,
        // and handing out a pointer to one while mutating the other would be an
        // overlapping access.
        var words = state
        var buffer = pending
        var filled = pendingCount
        let hardware = usesHardware
        withUnsafeMutableBytes(of: &buffer) { block in
            let blockStart = block.baseAddress!
            if filled > 0 {
                let taken = Swift.min(Self.blockByteCount &- filled, remaining)
                (blockStart + filled).copyMemory(from: input, byteCount: taken)
                filled &+= taken
                input += taken
                remaining &-= taken
                guard filled == Self.blockByteCount else { return }
                Self.compress(&words, UnsafeRawPointer(blockStart), blockCount: 1, hardware: hardware)
                filled = 0
            }
            // Whole blocks are compressed straight from the caller's memory, never copied.
            let wholeBlocks = remaining / Self.blockByteCount
            if wholeBlocks > 0 {
                Self.compress(&words, input, blockCount: wholeBlocks, hardware: hardware)
                input += wholeBlocks &* Self.blockByteCount
                remaining &-= wholeBlocks &* Self.blockByteCount
            }
            if remaining > 0 {
                blockStart.copyMemory(from: input, byteCount: remaining)
                filled = remaining
            }
        }
        state = words
        pending = buffer
        pendingCount = filled
    }

    public consuming func finalize() -> [UInt8] {
        let words = finalWords()
        return [UInt8](unsafeUninitializedCapacity: Self.digestByteCount) { digest, initialized in
            let out = UnsafeMutableRawBufferPointer(digest)
            out.storeBytes(of: words.0.bigEndian, toByteOffset: 0, as: UInt32.self)
            out.storeBytes(of: words.1.bigEndian, toByteOffset: 4, as: UInt32.self)
            out.storeBytes(of: words.2.bigEndian, toByteOffset: 8, as: UInt32.self)
            out.storeBytes(of: words.3.bigEndian, toByteOffset: 12, as: UInt32.self)
            out.storeBytes(of: words.4.bigEndian, toByteOffset: 16, as: UInt32.self)
            out.storeBytes(of: words.5.bigEndian, toByteOffset: 20, as: UInt32.self)
            out.storeBytes(of: words.6.bigEndian, toByteOffset: 24, as: UInt32.self)
            out.storeBytes(of: words.7.bigEndian, toByteOffset: 28, as: UInt32.self)
            initialized = Self.digestByteCount
        }
    }

    /// The digest as lowercase hex, written straight into the string: the same text as
    /// `finalize().hexString` without the intermediate array (signatures are hex on the wire,
    /// and this runs twice per request).
    public consuming func finalizeHex() -> String {
        var words = finalWords()
        return withUnsafeBytes(of: &words) { raw in
            String(unsafeUninitializedCapacity: Self.digestByteCount &* 2) { output in
                // Through the base pointer: the buffer's subscript checks bounds per digit.
                let out = output.baseAddress!
                var position = 0
                for wordIndex in 0..<8 {
                    let word = raw.load(fromByteOffset: wordIndex &* 4, as: UInt32.self)
                    var shift: UInt32 = 28
                    for _ in 0..<8 {
                        out[position] = hexDigit(UInt8(truncatingIfNeeded: word &>> shift) & 0x0F)
                        position &+= 1
                        shift &-= 4
                    }
                }
                return position
            }
        }
    }

    /// The digest as 64 lowercase hex digits written to `hex`: the text of `finalizeHex()`
    /// with no allocation at all (an APS answer signs twice, and an array or a string per
    /// digest cost two allocations and a generic metadata lookup each).
    public consuming func finalizeHex(into hex: UnsafeMutablePointer<UInt8>) {
        let words = finalWords()
        let raw = UnsafeMutableRawPointer(hex)
        raw.storeBytes(of: Self.hexDigits(words.0), toByteOffset: 0, as: UInt64.self)
        raw.storeBytes(of: Self.hexDigits(words.1), toByteOffset: 8, as: UInt64.self)
        raw.storeBytes(of: Self.hexDigits(words.2), toByteOffset: 16, as: UInt64.self)
        raw.storeBytes(of: Self.hexDigits(words.3), toByteOffset: 24, as: UInt64.self)
        raw.storeBytes(of: Self.hexDigits(words.4), toByteOffset: 32, as: UInt64.self)
        raw.storeBytes(of: Self.hexDigits(words.5), toByteOffset: 40, as: UInt64.self)
        raw.storeBytes(of: Self.hexDigits(words.6), toByteOffset: 48, as: UInt64.self)
        raw.storeBytes(of: Self.hexDigits(words.7), toByteOffset: 56, as: UInt64.self)
    }

    /// The eight lowercase hex digits of `word`, most significant first, as the bytes of a
    /// little-endian `UInt64` (to store as they are): each nibble spread into a byte of its own,
    /// then `0` added to each, and `a` - `9` - 1 more to those above 9, eight at once.
    @inline(__always)
    private static func hexDigits(_ word: UInt32) -> UInt64 {
        var x = UInt64(word)
        x = (x & 0xFFFF_0000) &<< 16 | (x & 0x0000_FFFF)
        x = (x & 0x0000_FF00_0000_FF00) &<< 8 | (x & 0x0000_00FF_0000_00FF)
        x = (x & 0x00F0_00F0_00F0_00F0) &<< 4 | (x & 0x000F_000F_000F_000F)
        // Now byte i holds nibble i (the least significant first): reversed, the most significant leads.
        x = x.byteSwapped
        let above9 = ((x &+ 0x0606_0606_0606_0606) &>> 4) & 0x0101_0101_0101_0101
        let digits = x &+ 0x3030_3030_3030_3030 &+ above9 &* 0x27
        return digits.littleEndian
    }

    /// Pads the message and returns the final hash words H0...H7.
    private consuming func finalWords() -> (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) {
        var words = state
        // Room for the two blocks the padding may spill into: 0x80, zeros, then the
        // 64-bit big-endian bit length at the very end.
        var tail = (
            pending,
            (0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64)
        )
        let filled = pendingCount
        let bitLength = messageByteCount &<< 3
        let hardware = usesHardware
        withUnsafeMutableBytes(of: &tail) { padded in
            let start = padded.baseAddress!
            padded[filled] = 0x80
            (start + filled + 1).initializeMemory(as: UInt8.self, repeating: 0, count: padded.count &- filled &- 1)
            let blockCount = filled &+ 1 &+ 8 <= Self.blockByteCount ? 1 : 2
            let end = blockCount &* Self.blockByteCount
            padded.storeBytes(of: bitLength.bigEndian, toByteOffset: end &- 8, as: UInt64.self)
            Self.compress(&words, UnsafeRawPointer(start), blockCount: blockCount, hardware: hardware)
        }
        return words
    }

    /// Runs the compression function over `blockCount` consecutive 64-byte blocks.
    ///
    /// The message schedule sits in a stack buffer and the round constants are read through
    /// a pointer, so the 64-round loop carries no bounds checks or retain/release traffic.
    private static func compress(
        _ words: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
        _ blocks: UnsafeRawPointer,
        blockCount: Int,
        hardware: Bool
    ) {
        if hardware {
            withUnsafeMutableBytes(of: &words) { state in
                paylink_sha256_compress_hardware(state.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                                 blocks.assumingMemoryBound(to: UInt8.self), blockCount)
            }
        } else {
            compressPortable(&words, blocks, blockCount: blockCount)
        }
    }

    private static func compressPortable(
        _ words: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
        _ blocks: UnsafeRawPointer,
        blockCount: Int
    ) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            roundConstants.withUnsafeBufferPointer { constants in
                let w = schedule.baseAddress!
                let k = constants.baseAddress!
                var (h0, h1, h2, h3, h4, h5, h6, h7) = words
                var block = blocks
                for _ in 0..<blockCount {
                    for t in 0..<16 {
                        // Message words are big-endian and the caller's bytes need not be aligned.
                        w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t &* 4, as: UInt32.self))
                    }
                    for t in 16..<64 {
                        let x = w[t &- 15], y = w[t &- 2]
                        let s0 = rotateRight(x, 7) ^ rotateRight(x, 18) ^ (x &>> 3)
                        let s1 = rotateRight(y, 17) ^ rotateRight(y, 19) ^ (y &>> 10)
                        w[t] = w[t &- 16] &+ s0 &+ w[t &- 7] &+ s1
                    }

                    var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
                    for t in 0..<64 {
                        let sum1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
                        let choose = (e & f) ^ (~e & g)
                        let t1 = h &+ sum1 &+ choose &+ k[t] &+ w[t]
                        let sum0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
                        let majority = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = sum0 &+ majority
                        h = g
                        g = f
                        f = e
                        e = d &+ t1
                        d = c
                        c = b
                        b = a
                        a = t1 &+ t2
                    }
                    h0 &+= a
                    h1 &+= b
                    h2 &+= c
                    h3 &+= d
                    h4 &+= e
                    h5 &+= f
                    h6 &+= g
                    h7 &+= h
                    block += blockByteCount
                }
                words = (h0, h1, h2, h3, h4, h5, h6, h7)
            }
        }
    }

    /// FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the cube
    /// roots of the first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}

@inline(__always)
private func rotateRight(_ value: UInt32, _ count: UInt32) -> UInt32 {
    (value &>> count) | (value &<< (32 &- count))
}
