/// SHA-512 as specified in FIPS 180-4, section 6.4.
///
/// Same shape as `SHA256`, with 64-bit words, 128-byte blocks, 80 rounds and a 128-bit
/// length field. The state lives inline, so a hasher allocates nothing until `finalize()`.
public struct SHA512: HashFunction {
    public static let blockByteCount = 128
    public static let digestByteCount = 64

    private typealias Words = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// The eight working hash words H0...H7.
    private var state: Words
    /// Input that did not yet fill a block (128 bytes as two 64-byte halves); only the first
    /// `pendingCount` bytes are meaningful.
    private var pending: (Words, Words)
    private var pendingCount: Int
    /// The message length in bytes. The padding wants a 128-bit bit count; a byte count in
    /// 64 bits already covers more input than can exist, and the top bits are derived from it.
    private var messageByteCount: UInt64

    public init() {
        state = (
            0x6a09_e667_f3bc_c908, 0xbb67_ae85_84ca_a73b, 0x3c6e_f372_fe94_f82b, 0xa54f_f53a_5f1d_36f1,
            0x510e_527f_ade6_82d1, 0x9b05_688c_2b3e_6c1f, 0x1f83_d9ab_fb41_bd6b, 0x5be0_cd19_137e_2179
        )
        pending = ((0, 0, 0, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 0, 0, 0))
        pendingCount = 0
        messageByteCount = 0
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var input = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        messageByteCount &+= UInt64(truncatingIfNeeded: remaining)

        // Local copies, so a pointer into the block buffer never overlaps a write to the state.
        var words = state
        var buffer = pending
        var filled = pendingCount
        withUnsafeMutableBytes(of: &buffer) { block in
            let blockStart = block.baseAddress!
            if filled > 0 {
                let taken = Swift.min(Self.blockByteCount &- filled, remaining)
                (blockStart + filled).copyMemory(from: input, byteCount: taken)
                filled &+= taken
                input += taken
                remaining &-= taken
                guard filled == Self.blockByteCount else { return }
                Self.compress(&words, UnsafeRawPointer(blockStart), blockCount: 1)
                filled = 0
            }
            // Whole blocks are compressed straight from the caller's memory, never copied.
            let wholeBlocks = remaining / Self.blockByteCount
            if wholeBlocks > 0 {
                Self.compress(&words, input, blockCount: wholeBlocks)
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
        var words = state
        // Room for the two blocks the padding may spill into: 0x80, zeros, then the
        // 128-bit big-endian bit length at the very end.
        let zero: Words = (0, 0, 0, 0, 0, 0, 0, 0)
        var tail = (pending, (zero, zero))
        let filled = pendingCount
        let bitLengthHigh = messageByteCount &>> 61
        let bitLengthLow = messageByteCount &<< 3
        withUnsafeMutableBytes(of: &tail) { padded in
            let start = padded.baseAddress!
            padded[filled] = 0x80
            (start + filled + 1).initializeMemory(as: UInt8.self, repeating: 0, count: padded.count &- filled &- 1)
            let blockCount = filled &+ 1 &+ 16 <= Self.blockByteCount ? 1 : 2
            let end = blockCount &* Self.blockByteCount
            padded.storeBytes(of: bitLengthHigh.bigEndian, toByteOffset: end &- 16, as: UInt64.self)
            padded.storeBytes(of: bitLengthLow.bigEndian, toByteOffset: end &- 8, as: UInt64.self)
            Self.compress(&words, UnsafeRawPointer(start), blockCount: blockCount)
        }
        return [UInt8](unsafeUninitializedCapacity: Self.digestByteCount) { digest, initialized in
            let out = UnsafeMutableRawBufferPointer(digest)
            out.storeBytes(of: words.0.bigEndian, toByteOffset: 0, as: UInt64.self)
            out.storeBytes(of: words.1.bigEndian, toByteOffset: 8, as: UInt64.self)
            out.storeBytes(of: words.2.bigEndian, toByteOffset: 16, as: UInt64.self)
            out.storeBytes(of: words.3.bigEndian, toByteOffset: 24, as: UInt64.self)
            out.storeBytes(of: words.4.bigEndian, toByteOffset: 32, as: UInt64.self)
            out.storeBytes(of: words.5.bigEndian, toByteOffset: 40, as: UInt64.self)
            out.storeBytes(of: words.6.bigEndian, toByteOffset: 48, as: UInt64.self)
            out.storeBytes(of: words.7.bigEndian, toByteOffset: 56, as: UInt64.self)
            initialized = Self.digestByteCount
        }
    }

    /// Runs the compression function over `blockCount` consecutive 128-byte blocks.
    ///
    /// The message schedule sits in a stack buffer and the round constants are read through
    /// a pointer, so the 80-round loop carries no bounds checks or retain/release traffic.
    private static func compress(_ words: inout Words, _ blocks: UnsafeRawPointer, blockCount: Int) {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 80) { schedule in
            roundConstants.withUnsafeBufferPointer { constants in
                let w = schedule.baseAddress!
                let k = constants.baseAddress!
                var (h0, h1, h2, h3, h4, h5, h6, h7) = words
                var block = blocks
                for _ in 0..<blockCount {
                    for t in 0..<16 {
                        // Message words are big-endian and the caller's bytes need not be aligned.
                        w[t] = UInt64(bigEndian: block.loadUnaligned(fromByteOffset: t &* 8, as: UInt64.self))
                    }
                    for t in 16..<80 {
                        let x = w[t &- 15], y = w[t &- 2]
                        let s0 = rotateRight(x, 1) ^ rotateRight(x, 8) ^ (x &>> 7)
                        let s1 = rotateRight(y, 19) ^ rotateRight(y, 61) ^ (y &>> 6)
                        w[t] = w[t &- 16] &+ s0 &+ w[t &- 7] &+ s1
                    }

                    var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
                    for t in 0..<80 {
                        let sum1 = rotateRight(e, 14) ^ rotateRight(e, 18) ^ rotateRight(e, 41)
                        let choose = (e & f) ^ (~e & g)
                        let t1 = h &+ sum1 &+ choose &+ k[t] &+ w[t]
                        let sum0 = rotateRight(a, 28) ^ rotateRight(a, 34) ^ rotateRight(a, 39)
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

    /// FIPS 180-4 section 4.2.3: the first 64 bits of the fractional parts of the cube
    /// roots of the first 80 primes.
    private static let roundConstants: [UInt64] = [
        0x428a_2f98_d728_ae22, 0x7137_4491_23ef_65cd, 0xb5c0_fbcf_ec4d_3b2f, 0xe9b5_dba5_8189_dbbc,
        0x3956_c25b_f348_b538, 0x59f1_11f1_b605_d019, 0x923f_82a4_af19_4f9b, 0xab1c_5ed5_da6d_8118,
        0xd807_aa98_a303_0242, 0x1283_5b01_4570_6fbe, 0x2431_85be_4ee4_b28c, 0x550c_7dc3_d5ff_b4e2,
        0x72be_5d74_f27b_896f, 0x80de_b1fe_3b16_96b1, 0x9bdc_06a7_25c7_1235, 0xc19b_f174_cf69_2694,
        0xe49b_69c1_9ef1_4ad2, 0xefbe_4786_384f_25e3, 0x0fc1_9dc6_8b8c_d5b5, 0x240c_a1cc_77ac_9c65,
        0x2de9_2c6f_592b_0275, 0x4a74_84aa_6ea6_e483, 0x5cb0_a9dc_bd41_fbd4, 0x76f9_88da_8311_53b5,
        0x983e_5152_ee66_dfab, 0xa831_c66d_2db4_3210, 0xb003_27c8_98fb_213f, 0xbf59_7fc7_beef_0ee4,
        0xc6e0_0bf3_3da8_8fc2, 0xd5a7_9147_930a_a725, 0x06ca_6351_e003_826f, 0x1429_2967_0a0e_6e70,
        0x27b7_0a85_46d2_2ffc, 0x2e1b_2138_5c26_c926, 0x4d2c_6dfc_5ac4_2aed, 0x5338_0d13_9d95_b3df,
        0x650a_7354_8baf_63de, 0x766a_0abb_3c77_b2a8, 0x81c2_c92e_47ed_aee6, 0x9272_2c85_1482_353b,
        0xa2bf_e8a1_4cf1_0364, 0xa81a_664b_bc42_3001, 0xc24b_8b70_d0f8_9791, 0xc76c_51a3_0654_be30,
        0xd192_e819_d6ef_5218, 0xd699_0624_5565_a910, 0xf40e_3585_5771_202a, 0x106a_a070_32bb_d1b8,
        0x19a4_c116_b8d2_d0c8, 0x1e37_6c08_5141_ab53, 0x2748_774c_df8e_eb99, 0x34b0_bcb5_e19b_48a8,
        0x391c_0cb3_c5c9_5a63, 0x4ed8_aa4a_e341_8acb, 0x5b9c_ca4f_7763_e373, 0x682e_6ff3_d6b2_b8a3,
        0x748f_82ee_5def_b2fc, 0x78a5_636f_4317_2f60, 0x84c8_7814_a1f0_ab72, 0x8cc7_0208_1a64_39ec,
        0x90be_fffa_2363_1e28, 0xa450_6ceb_de82_bde9, 0xbef9_a3f7_b2c6_7915, 0xc671_78f2_e372_532b,
        0xca27_3ece_ea26_619c, 0xd186_b8c7_21c0_c207, 0xeada_7dd6_cde0_eb1e, 0xf57d_4f7f_ee6e_d178,
        0x06f0_67aa_7217_6fba, 0x0a63_7dc5_a2c8_98a6, 0x113f_9804_bef9_0dae, 0x1b71_0b35_131c_471b,
        0x28db_77f5_2304_7d84, 0x32ca_ab7b_40c7_2493, 0x3c9e_be0a_15c9_bebc, 0x431d_67c4_9c10_0d4c,
        0x4cc5_d4be_cb3e_42b6, 0x597f_299c_fc65_7e2a, 0x5fcb_6fab_3ad6_faec, 0x6c44_198c_4a47_5817,
    ]
}

@inline(__always)
private func rotateRight(_ value: UInt64, _ count: UInt64) -> UInt64 {
    (value &>> count) | (value &<< (64 &- count))
}
