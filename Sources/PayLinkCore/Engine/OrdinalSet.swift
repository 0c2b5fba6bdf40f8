/// A set of link ordinals (positions in creation order) as a bitset: 1,000,000 links in
/// 125 KB, membership in one load, and runs with no member skipped 64 at a time.
package struct OrdinalSet: Sendable {
    private var words: [UInt64]

    package init(count: Int) { words = Array(repeating: 0, count: (count + 63) / 64) }

    package mutating func insert(_ ordinal: Int) { words[ordinal >> 6] |= 1 << UInt64(ordinal & 63) }

    package func contains(_ ordinal: Int) -> Bool { words[ordinal >> 6] & (1 << UInt64(ordinal & 63)) != 0 }

    /// The first member at or after `ordinal` and before `end`, if any.
    package func next(from ordinal: Int, before end: Int) -> Int? {
        var word = ordinal >> 6
        guard ordinal < end, word < words.count else { return nil }
        var bits = words[word] & (~0 << UInt64(ordinal & 63))
        while true {
            if bits != 0 {
                let found = word << 6 | bits.trailingZeroBitCount
                return found < end ? found : nil
            }
            word += 1
            guard word < words.count, word << 6 < end else { return nil }
            bits = words[word]
        }
    }

    /// The last member before `end` and at or after `start`, if any.
    package func previous(before end: Int, from start: Int) -> Int? {
        guard end > start, end > 0 else { return nil }
        let last = end - 1
        var word = last >> 6
        guard word < words.count else { return previous(before: words.count << 6, from: start) }
        var bits = words[word] & (~0 >> UInt64(63 - (last & 63)))
        while true {
            if bits != 0 {
                let found = word << 6 | (63 - bits.leadingZeroBitCount)
                return found >= start ? found : nil
            }
            guard word > 0, (word - 1) << 6 + 63 >= start else { return nil }
            word -= 1
            bits = words[word]
        }
    }
}
