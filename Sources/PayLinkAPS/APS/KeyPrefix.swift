/// A key's first sixteen bytes, zero-padded, as two big-endian words: comparing two of them
/// orders keys as comparing their bytes would, up to the sixteenth, and equal keys have equal
/// prefixes.
///
/// Why sixteen: the answers' keys share long beginnings (`merchant_identifier` and
/// `merchant_reference`, `payment_link_id` and `payment_link_status`, `customer_…`,
/// `response_…`), so eight bytes left many pairs to a byte-by-byte comparison; sixteen tell
/// nearly all of them apart. Made once per member, when it is added, then compared as integers.
struct KeyPrefix: Equatable {
    var high: UInt64
    var low: UInt64

    @inline(__always)
    init(_ key: UnsafePointer<UInt8>, count: Int) {
        if count >= 16 {
            let raw = UnsafeRawPointer(key)
            high = UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self))
            low = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            return
        }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { padded in
            copyBytes(to: padded.baseAddress!.assumingMemoryBound(to: UInt8.self), from: key, count: count)
        }
        high = UInt64(bigEndian: words.0)
        low = UInt64(bigEndian: words.1)
    }

    /// Whether a key with this prefix sorts before one with `other`; when they are equal, only
    /// the keys themselves can tell (they may differ after the sixteenth byte, or in length).
    @inline(__always)
    func precedes(_ other: KeyPrefix) -> Bool {
        high != other.high ? high < other.high : low < other.low
    }
}
