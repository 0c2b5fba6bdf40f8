/// An index from a key to a slot of the store's request array, open-addressed: each bucket is
/// one word (32 bits of the key's hash and the slot), the keys themselves stay in the requests,
/// and a lookup checks a candidate slot's key through the caller's `matches`. Against a
/// `[String: Int]` it holds a third of the memory (8 bytes a bucket rather than 24, no second
/// reference to the key) and hashes a key with a few multiplications rather than SipHash.
///
/// Entries are never removed one by one (requests are forgotten all at once); a slot may be
/// replaced (`update`), so the index of a key can point at its newest request.
struct SlotIndex: Sendable {
    private static let empty = UInt64.max
    private var buckets: [UInt64]
    private(set) var count = 0

    init(capacity: Int = 0) {
        buckets = Array(repeating: Self.empty, count: Self.bucketCount(for: capacity))
    }

    /// A power of two that keeps the table at most half full.
    private static func bucketCount(for capacity: Int) -> Int {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        return size
    }

    /// The slot whose key `matches`, looked for among the entries of `hash`.
    func find(hash: UInt64, matches: (Int) -> Bool) -> Int? {
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        let mask = buckets.count - 1
        var index = Int(tag) & mask
        while true {
            let entry = buckets[index]
            if entry == Self.empty { return nil }
            if UInt32(truncatingIfNeeded: entry >> 32) == tag, matches(Int(UInt32(truncatingIfNeeded: entry))) {
                return Int(UInt32(truncatingIfNeeded: entry))
            }
            index = (index + 1) & mask
        }
    }

    /// The first bucket a key with `hash` lands in, read and returned (nothing else is done
    /// with it): a run of keys is touched this way one after the other, the reads independent
    /// of each other so the processor overlaps their cache misses, before the run's lookups
    /// and inserts walk the same buckets one at a time (each then a hit). The caller keeps the
    /// values' sum, so the reads are not optimised away.
    func touch(hash: UInt64) -> UInt64 {
        buckets[Int(UInt32(truncatingIfNeeded: hash >> 32)) & (buckets.count - 1)]
    }

    /// Adds `slot` under `hash`; the caller has checked that its key is not in the index yet.
    mutating func insert(hash: UInt64, slot: Int) {
        precondition(slot >= 0 && slot < Int(UInt32.max), "slot out of range")
        if (count + 1) * 2 > buckets.count { grow(to: buckets.count * 2) }
        place(UInt64(UInt32(truncatingIfNeeded: hash >> 32)) << 32 | UInt64(slot))
        count += 1
    }

    /// Points the entry of `hash` that holds `slot` at `replacement` instead (a key's newest request).
    mutating func replace(hash: UInt64, slot: Int, with replacement: Int) {
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        let mask = buckets.count - 1
        var index = Int(tag) & mask
        let old = UInt64(tag) << 32 | UInt64(slot)
        while buckets[index] != Self.empty {
            if buckets[index] == old {
                buckets[index] = UInt64(tag) << 32 | UInt64(replacement)
                return
            }
            index = (index + 1) & mask
        }
        preconditionFailure("no entry to replace")
    }

    /// Makes room for `more` entries at once (a batch about to add them).
    mutating func reserveCapacity(_ more: Int) {
        let wanted = Self.bucketCount(for: count + more)
        if wanted > buckets.count { grow(to: wanted) }
    }

    private mutating func grow(to size: Int) {
        let old = buckets
        buckets = Array(repeating: Self.empty, count: size)
        for entry in old where entry != Self.empty { place(entry) }
    }

    private mutating func place(_ entry: UInt64) {
        let mask = buckets.count - 1
        var index = Int(UInt32(truncatingIfNeeded: entry >> 32)) & mask
        while buckets[index] != Self.empty { index = (index + 1) & mask }
        buckets[index] = entry
    }
}

/// The hashes `SlotIndex` files keys under: the UTF-8 bytes eight at a time, multiplied and
/// folded, from a seed drawn per store, so the layout differs from run to run. Not a defence
/// against keys chosen to collide: the sandbox serves tests, and a collision only costs time.
struct KeyHasher: Sendable {
    private let seed: UInt64

    init(seed: UInt64) { self.seed = seed | 1 }

    func hash(_ text: String) -> UInt64 { fold(text, into: seed) }

    /// Two strings at once (a subscription and a reference).
    func hash(_ first: String, _ second: String) -> UInt64 { fold(second, into: fold(first, into: seed) &+ 0x9E37_79B9) }

    func hash(_ text: String, _ number: Int64) -> UInt64 { Self.mix(fold(text, into: seed) ^ UInt64(bitPattern: number)) }

    private func fold(_ text: String, into start: UInt64) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes in
            var hash = start ^ UInt64(bytes.count)
            // Whole words loaded as they lie, little-endian (the value a byte at a time built,
            // low byte first): a byte a time took 254 instructions for a request's 36-byte ID,
            // and a batch hashes three keys a request under the store's lock.
            var offset = 0
            if let base = bytes.baseAddress {
                let raw = UnsafeRawPointer(base)
                while offset &+ 8 <= bytes.count {
                    hash = Self.mix(hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                    offset &+= 8
                }
            }
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count {
                word |= UInt64(bytes[offset]) << shift
                shift &+= 8
                offset &+= 1
            }
            return Self.mix(hash ^ word)
        }
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var x = value &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        x = x &* 0xBF58_476D_1CE4_E5B9
        return x ^ (x >> 32)
    }
}
