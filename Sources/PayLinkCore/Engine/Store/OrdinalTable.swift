/// A hash set of link ordinals, open addressing with linear probing, eight bytes a slot: the
/// ordinal and the low 32 bits of its key's hash. The keys (a link's ID, token, merchant
/// reference) are not stored here but read from the link itself, so no key is held twice;
/// the hash bits kept beside each ordinal let a probe pass over the links whose key hashes
/// differently without reading them (a cache miss each, in a store of a million links, and
/// most of what building one cost), and let the table grow without hashing any key again.
/// Kept at most half full, so a probe sequence is short.
///
/// Only inserts: a key never changes once its link exists, and removing links (a merchant's
/// reset) rebuilds the store.
package struct OrdinalTable: Sendable {
    /// `ordinal + 1` in the low 32 bits, the hash's low 32 bits above; 0 is an empty slot.
    private var slots: [UInt64]
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
        let tag = Self.tag(hash)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if entry >> 32 == tag, matches(Self.ordinal(entry)) { return Self.ordinal(entry) }
            slot = (slot + 1) & mask
        }
    }

    /// Adds `ordinal` under `hash` (the caller has checked its key is not there).
    package mutating func insert(_ ordinal: Int, hash: UInt64) {
        makeRoom()
        place(Self.entry(ordinal, hash: hash))
        count += 1
    }

    /// Where a key is: held by an ordinal, or absent, with the empty slot it would take.
    package enum Probe {
        case found(Int)
        case vacant(slot: Int)
    }

    /// One walk of the probe sequence of `hash`: the ordinal for which `matches` holds, or the
    /// empty slot that ends the walk (for `fill`, unless the table changes in between). Call
    /// `makeRoom()` first: an empty table has no slot to offer.
    package func probe(hash: UInt64, _ matches: (Int) -> Bool) -> Probe {
        let tag = Self.tag(hash)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return .vacant(slot: slot) }
            if entry >> 32 == tag, matches(Self.ordinal(entry)) { return .found(Self.ordinal(entry)) }
            slot = (slot + 1) & mask
        }
    }

    /// Grows the table, if it must, so that one more entry keeps it at most half full.
    package mutating func makeRoom() {
        if (count + 1) * 2 > slots.count { resize(to: Self.size(for: count + 1)) }
    }

    /// Puts `ordinal`, whose key has `hash`, in the slot `probe` found vacant.
    package mutating func fill(_ slot: Int, with ordinal: Int, hash: UInt64) {
        slots[slot] = Self.entry(ordinal, hash: hash)
        count += 1
    }

    /// Points the entry `matches` finds under `hash` at `ordinal` instead (the same key, now
    /// naming a newer link or order); false when there is none.
    package mutating func repoint(hash: UInt64, to ordinal: Int, _ matches: (Int) -> Bool) -> Bool {
        guard !slots.isEmpty else { return false }
        let tag = Self.tag(hash)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return false }
            if entry >> 32 == tag, matches(Self.ordinal(entry)) {
                slots[slot] = Self.entry(ordinal, hash: hash)
                return true
            }
            slot = (slot + 1) & mask
        }
    }

    /// Makes room for `total` entries in one step.
    package mutating func reserveCapacity(_ total: Int) {
        let size = Self.size(for: total)
        if size > slots.count { resize(to: size) }
    }

    private static func tag(_ hash: UInt64) -> UInt64 { hash & 0xFFFF_FFFF }
    private static func entry(_ ordinal: Int, hash: UInt64) -> UInt64 { tag(hash) << 32 | UInt64(ordinal + 1) }
    private static func ordinal(_ entry: UInt64) -> Int { Int(entry & 0xFFFF_FFFF) - 1 }

    /// Puts `entry` in the first empty slot from its home, which its hash bits give (a table
    /// stays far below 2^32 slots, so they always hold the home's bits).
    private mutating func place(_ entry: UInt64) {
        var slot = Int(truncatingIfNeeded: entry >> 32) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    private mutating func resize(to size: Int) {
        let old = slots
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for entry in old where entry != 0 { place(entry) }
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
