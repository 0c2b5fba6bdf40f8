/// The last links made, changed or read, as `PaymentLink` values: a direct-mapped cache of
/// 256 slots by ordinal (a slot holds the latest link whose ordinal falls in it). Bounded, and
/// always current: every change of a link passes through `keep`.
struct RecentLinks: Sendable {
    private static let slots = 256
    /// A struct, not a tuple: an optional tuple was copied through the runtime's generic tuple
    /// witness on every read.
    private struct Entry: Sendable {
        var ordinal: Int
        var link: PaymentLink
    }
    private var entries: [Entry?] = []

    func link(at ordinal: Int) -> PaymentLink? {
        let slot = ordinal & (Self.slots - 1)
        guard !entries.isEmpty, entries[slot]?.ordinal == ordinal else { return nil }
        return entries[slot]?.link
    }

    mutating func keep(_ link: PaymentLink, at ordinal: Int) {
        if entries.isEmpty { entries = Array(repeating: nil, count: Self.slots) }
        entries[ordinal & (Self.slots - 1)] = Entry(ordinal: ordinal, link: link)
    }
}
