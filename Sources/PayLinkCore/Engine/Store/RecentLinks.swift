/// The last links made, changed or read, as `PaymentLink` values: a direct-mapped cache of
/// 256 slots by ordinal (a slot holds the latest link whose ordinal falls in it). Bounded, and
/// always current: every change of a link passes through `keep`.
struct RecentLinks: Sendable {
    private static let slots = 256
    /// A final class of constants, replaced and never changed, so the cache is still a value.
    /// A link read from a class instance's `let` is lent to `withLink`'s body in place; read
    /// from an array's element or through a pointer it was copied first (each of its strings
    /// retained, then released: about 870 instructions a status check), a struct in the slot
    /// and a tuple before it alike. Not optional: an empty slot holds ordinal -1.
    private final class Entry: Sendable {
        let ordinal: Int
        let link: PaymentLink
        /// `link.shownTextIsPlain`, worked out once here rather than by every answer.
        let shownTextIsPlain: Bool

        init(ordinal: Int, link: PaymentLink) {
            self.ordinal = ordinal
            self.link = link
            self.shownTextIsPlain = link.shownTextIsPlain
        }
    }
    private var entries: [Entry] = []

    func link(at ordinal: Int) -> PaymentLink? {
        withLink(at: ordinal) { link, _ in copy link }
    }

    /// `body` with the link at `ordinal` in place, when it is here: no copy, so no retain and
    /// release of each of its strings (a status check reads a link this way), and whether
    /// its shown text is plain (`PaymentLink.shownTextIsPlain`).
    func withLink<R>(at ordinal: Int, _ body: (borrowing PaymentLink, Bool) -> R) -> R? {
        guard ordinal >= 0, !entries.isEmpty else { return nil }
        let entry = entries[ordinal & (Self.slots - 1)]
        return entry.ordinal == ordinal ? body(entry.link, entry.shownTextIsPlain) : nil
    }

    mutating func keep(_ link: PaymentLink, at ordinal: Int) {
        if entries.isEmpty { entries = Array(repeating: Entry(ordinal: -1, link: link), count: Self.slots) }
        entries[ordinal & (Self.slots - 1)] = Entry(ordinal: ordinal, link: link)
    }
}
