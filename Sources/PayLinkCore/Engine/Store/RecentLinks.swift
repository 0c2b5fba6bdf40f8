/// The last links made, changed or read, as `PaymentLink` values: a direct-mapped cache of
/// 256 slots by ordinal (a slot holds the latest link whose ordinal falls in it). Bounded, and
/// always current: every change of a link passes through `keep`.
struct RecentLinks: Sendable {
    private static let slots = 256
    /// A struct, not a tuple: an optional tuple was copied through the runtime's generic tuple
    /// witness on every read. Not optional either: an empty slot holds ordinal -1 and the
    /// first link kept, so a link is lent from its slot in place, never copied out of an optional.
    private struct Entry: Sendable {
        var ordinal: Int
        var link: PaymentLink
    }
    private var entries: [Entry] = []

    func link(at ordinal: Int) -> PaymentLink? {
        withLink(at: ordinal) { copy $0 }
    }

    /// `body` with the link at `ordinal` in place, when it is here: no copy, so no retain and
    /// release of each of its strings (a status check reads a link this way).
    func withLink<R>(at ordinal: Int, _ body: (borrowing PaymentLink) -> R) -> R? {
        let slot = ordinal & (Self.slots - 1)
        guard ordinal >= 0, !entries.isEmpty else { return nil }
        return entries.withUnsafeBufferPointer { entries in
            entries[slot].ordinal == ordinal ? body(entries[slot].link) : nil
        }
    }

    mutating func keep(_ link: PaymentLink, at ordinal: Int) {
        if entries.isEmpty { entries = Array(repeating: Entry(ordinal: -1, link: link), count: Self.slots) }
        entries[ordinal & (Self.slots - 1)] = Entry(ordinal: ordinal, link: link)
    }
}
