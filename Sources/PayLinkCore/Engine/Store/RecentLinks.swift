/// The last links made, changed or read, as `PaymentLink` values: a direct-mapped cache of
/// 256 slots by ordinal (a slot holds the latest link whose ordinal falls in it). Bounded, and
/// always current: every change of a link passes through `keep`.
struct RecentLinks: Sendable {
    private static let slots = 256
    private var entries: [(ordinal: Int, link: PaymentLink)?] = []

    func link(at ordinal: Int) -> PaymentLink? {
        guard !entries.isEmpty, let entry = entries[ordinal & (Self.slots - 1)], entry.ordinal == ordinal else { return nil }
        return entry.link
    }

    mutating func keep(_ link: PaymentLink, at ordinal: Int) {
        if entries.isEmpty { entries = Array(repeating: nil, count: Self.slots) }
        entries[ordinal & (Self.slots - 1)] = (ordinal, link)
    }
}
