/// A hash set of link ordinals, open addressing with linear probing, four bytes a slot: the
/// keys (a link's ID, token, merchant reference) are not stored here but read from the link
/// itself, so finding a key costs its hash and a comparison with the few links it probes,
/// and no key is held twice. Kept at most half full, so a probe sequence is short.
///
/// Only inserts: a key never changes once its link exists, and removing links (a merchant's
/// reset) rebuilds the store.
package struct OrdinalTable: Sendable {
    /// `ordinal + 1`; 0 is an empty slot.
    private var slots: [UInt32]
    private var mask: Int
    package private(set) var count = 0

    /// An empty table holds no storage until its first insert.
    package init() {
        slots = []
        mask = 0
    }

    /// The ordinal whose key has `hash` and for which `matches` holds.
    package func find(hash: UInt64, _ matches: (Int) -> Bool) -> Int? {
        guard !slots.isEmpty else { return nil }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if matches(Int(entry) - 1) { return Int(entry) - 1 }
            slot = (slot + 1) & mask
        }
    }

    /// Adds `ordinal` under `hash` (the caller has checked its key is not there);
    /// `hashOf` gives the hash of any ordinal already held, for when the table grows.
    package mutating func insert(_ ordinal: Int, hash: UInt64, hashOf: (Int) -> UInt64) {
        if (count + 1) * 2 > slots.count { resize(to: Self.size(for: count + 1), hashOf: hashOf) }
        place(ordinal, hash: hash)
        count += 1
    }

    /// Points the entry `matches` finds under `hash` at `ordinal` instead (the same key, now
    /// naming a newer link or order); false when there is none.
    package mutating func repoint(hash: UInt64, to ordinal: Int, _ matches: (Int) -> Bool) -> Bool {
        guard !slots.isEmpty else { return false }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return false }
            if matches(Int(entry) - 1) {
                slots[slot] = UInt32(ordinal + 1)
                return true
            }
            slot = (slot + 1) & mask
        }
    }

    /// Makes room for `total` entries in one step.
    package mutating func reserveCapacity(_ total: Int, hashOf: (Int) -> UInt64) {
        let size = Self.size(for: total)
        if size > slots.count { resize(to: size, hashOf: hashOf) }
    }

    private mutating func place(_ ordinal: Int, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = UInt32(ordinal + 1)
    }

    private mutating func resize(to size: Int, hashOf: (Int) -> UInt64) {
        let old = slots
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
        for entry in old where entry != 0 { place(Int(entry) - 1, hash: hashOf(Int(entry) - 1)) }
    }

    /// The power of two that holds `count` entries at most half full (at least 16 slots).
    private static func size(for count: Int) -> Int {
        var size = 16
        while size < count * 2 { size <<= 1 }
        return size
    }
}

/// The hashes the tables use: a 64-bit mix (SplitMix64's finalizer) of a number, and FNV-1a
/// of bytes mixed the same way. Not keyed: the keys are a test's own links, not an attacker's.
package enum StoreHash {
    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    package static func bytes(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return mix(hash)
    }
}
