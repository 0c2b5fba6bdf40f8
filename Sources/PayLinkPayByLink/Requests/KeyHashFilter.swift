/// Which key hashes a run of creates has claimed, as 256 bits (a hash sets one): when its bit
/// is clear, no key of the run has that hash, so `PayByLinkStore.RunKeys` skips its scan. The
/// run's three scans (its references, its IDs and its codes) looked at 32 entries each on
/// average in a batch's 64-record runs: 0.63 k instructions a record, a twentieth of the
/// committing thread's work under the store's lock. Four words held in place, not an array:
/// a single `POST /requests` makes a run of one, and an allocation would cost it more than the
/// scans it saves.
struct KeyHashFilter: Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    mutating func insert(_ hash: UInt64) {
        let bit: UInt64 = 1 << (hash & 63)
        switch (hash >> 6) & 3 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    /// False when no hash inserted is `hash`; true when one may be.
    func mayContain(_ hash: UInt64) -> Bool {
        let bit: UInt64 = 1 << (hash & 63)
        let word = switch (hash >> 6) & 3 {
        case 0: words.0
        case 1: words.1
        case 2: words.2
        default: words.3
        }
        return word & bit != 0
    }
}
