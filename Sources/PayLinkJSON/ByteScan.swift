/// The ASCII bytes the JSON grammar cares about, named so the parser and writer read like
/// the grammar. Computed properties rather than stored globals so they fold to constants
/// without lazy-initialisation checks.
enum ASCII {
    static var quote: UInt8 { 0x22 }
    static var backslash: UInt8 { 0x5C }
    static var slash: UInt8 { 0x2F }
    static var comma: UInt8 { 0x2C }
    static var colon: UInt8 { 0x3A }
    static var openBrace: UInt8 { 0x7B }
    static var closeBrace: UInt8 { 0x7D }
    static var openBracket: UInt8 { 0x5B }
    static var closeBracket: UInt8 { 0x5D }
    static var minus: UInt8 { 0x2D }
    static var plus: UInt8 { 0x2B }
    static var dot: UInt8 { 0x2E }
    static var zero: UInt8 { 0x30 }
    static var nine: UInt8 { 0x39 }
}

/// Word-at-a-time scanning of string bytes. Most strings on the request path are plain
/// ASCII identifiers, amounts and URLs; checking eight bytes per step instead of one is
/// what keeps string handling off the profile.
enum ByteScan {
    /// Sets bit 7 of each byte of `word` (loaded little-endian) that a string scan has to
    /// stop at: `"`, `\`, a control character below 0x20 and, if asked, any non-ASCII byte.
    ///
    /// This is the classic branch-free "has a zero byte" trick applied per condition. It can
    /// flag a byte above a real hit spuriously (borrow propagation), never below one, so the
    /// lowest set bit always marks the first byte that needs attention.
    @inline(__always)
    static func stopMask(_ word: UInt64, stopAtNonASCII: Bool) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let hasQuote = (quotes &- ones) & ~quotes
        let hasBackslash = (backslashes &- ones) & ~backslashes
        let hasControl = (word &- ones &* 0x20) & ~word
        let nonASCII = stopAtNonASCII ? word : 0
        return (hasQuote | hasBackslash | hasControl | nonASCII) & highs
    }

    /// Advances `index` past the bytes of `base[index..<count]` that need no attention, eight
    /// at a time, and stops exactly at the first byte that does, or at `count`.
    @inline(__always)
    static func skipPlain(_ base: UnsafePointer<UInt8>, _ index: inout Int, _ count: Int, stopAtNonASCII: Bool) {
        while count &- index >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let mask = stopMask(word, stopAtNonASCII: stopAtNonASCII)
            if mask != 0 {
                // Little-endian: the lowest set bit belongs to the first byte in memory.
                index &+= mask.trailingZeroBitCount &>> 3
                return
            }
            index &+= 8
        }
        // The last one to seven bytes, checked in one step too (short keys and string tails
        // are common), as a word whose unused high bytes are a plain letter. Never reads
        // outside `base[0..<count]`.
        let remaining = count &- index
        guard remaining > 0 else { return }
        let padding: UInt64 = 0x6161_6161_6161_6161 << (UInt64(remaining) &* 8)  // "a"s
        var word: UInt64
        if count >= 8 {
            // Load the last eight bytes (overlapping ones already checked) and shift the
            // unchecked ones down. A byte-wise copy into a stack word would be simpler but
            // stalls the following load on store forwarding.
            let last = UInt64(littleEndian: UnsafeRawPointer(base + (count &- 8)).loadUnaligned(as: UInt64.self))
            word = last &>> (UInt64(8 &- remaining) &* 8)
        } else {
            word = 0
            for offset in 0..<remaining {
                word |= UInt64(base[index &+ offset]) &<< (UInt64(offset) &* 8)
            }
        }
        word |= padding
        let mask = stopMask(word, stopAtNonASCII: stopAtNonASCII)
        index &+= mask == 0 ? remaining : mask.trailingZeroBitCount &>> 3
    }
}
