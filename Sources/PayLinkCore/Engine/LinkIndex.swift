/// What the dashboard and the control API search links by, kept beside the links so a search
/// looks at the links that can match rather than at every link. Links are numbered by their
/// position in creation order (their ordinal); what a search reads per link comes from the
/// store's records (`CompactLinks`), and this adds what they do not answer quickly:
///
/// - merchant: the ordinals of each merchant's links, ascending (appended as links are made);
/// - merchant reference: the store's own reference table;
/// - state: the record's lifecycle (open, closed, paid) and expiry. Expired is never stored:
///   a query resolves Open against Expired by comparing the expiry with the query's instant,
///   so moving the clock either way changes nothing here;
/// - creation time: whether creation times rise with the ordinal (they do unless the clock
///   was set back between two creations), so a time range becomes an ordinal range by binary
///   search; otherwise each candidate's time is compared;
/// - text: `LinkTextIndex`.
///
/// Kept up to date in one place, where the store inserts and replaces links; a removal
/// (a merchant's reset) rebuilds the store and this with it, since ordinals then shift.
package struct LinkIndex: Sendable {
    package private(set) var count = 0
    private var lastCreated = Int64.min
    private var createdInOrder = true
    /// By the store's merchant code less one.
    private var byMerchant: [[UInt32]] = []
    private var text = LinkTextIndex()

    package init() {}

    /// Indexes a new link, the newest, at `ordinal` with the store's `merchantCode` for it.
    /// `customerText`, when given, is the link's, its e-mail and name already folded.
    package mutating func insert(_ link: PaymentLink, ordinal: Int, merchantCode: UInt32, customerText: LinkCustomerText? = nil) {
        count = ordinal + 1
        let time = link.createdAt.millisecondsSince1970
        if time < lastCreated { createdInOrder = false }
        lastCreated = time
        while byMerchant.count < Int(merchantCode) { byMerchant.append([]) }
        byMerchant[Int(merchantCode) - 1].append(UInt32(ordinal))
        if let customerText {
            // `LinkQuery.searchedFields`: the ID and reference, then the e-mail and name.
            text.append(id: link.id, reference: link.merchantReference, foldedTail: customerText.searched)
        } else {
            text.append(LinkQuery.searchedFields(link))
        }
    }

    /// Makes room for `more` new links' search text (`LinkTextIndex.reserveCapacity`).
    package mutating func reserveCapacity(forMore more: Int) { text.reserveCapacity(forMore: more) }

    /// Follows a stored link's change (`old` is what was stored before).
    package mutating func update(from old: PaymentLink, to link: PaymentLink, ordinal: Int) {
        if old.customerEmail != link.customerEmail || old.customerName != link.customerName {
            text.replace(ordinal: ordinal, LinkQuery.searchedFields(link))
        }
    }

    /// Visits the ordinals of the links matching `query` at `now`, in creation order or
    /// (`newestFirst`) the reverse, starting past `cursor` (exclusive) when given; `visit`
    /// returns false to stop. `reference` finds a merchant's link by merchant reference.
    package func forEachMatch(_ query: LinkQuery, in links: CompactLinks, at now: SandboxInstant, newestFirst: Bool,
                              cursor: Int? = nil, _ visit: (Int) -> Bool) {
        forEachMatch(query, in: links, at: ClockTimes(global: now), newestFirst: newestFirst, cursor: cursor, visit)
    }

    /// The same, each link's state (Open or Expired) read at its merchant's time in `times`.
    package func forEachMatch(_ query: LinkQuery, in links: CompactLinks, at times: ClockTimes, newestFirst: Bool,
                              cursor: Int? = nil, _ visit: (Int) -> Bool) {
        var low = 0, high = count
        if let cursor { if newestFirst { high = min(high, cursor) } else { low = max(low, cursor + 1) } }
        if createdInOrder {
            if let from = query.createdFrom { low = max(low, firstCreated(atOrAfter: from.millisecondsSince1970, in: links)) }
            if let before = query.createdBefore { high = min(high, firstCreated(atOrAfter: before.millisecondsSince1970, in: links)) }
        }
        guard low < high else { return }
        var found: OrdinalSet?
        if let needle = query.textNeedle {
            guard let text = query.text, LinkQuery.isSearchable(text) else { return }
            found = self.text.search(needle)
        }
        let nowMilliseconds = times.global.millisecondsSince1970
        // With merchants on clocks of their own: each merchant's time, by merchant code less one.
        let merchantNows = times.isUniform || query.state == nil ? [] : links.merchantIdentifiers.map { times.now(for: $0).millisecondsSince1970 }
        func passes(_ ordinal: Int) -> Bool {
            if let found, !found.contains(ordinal) { return false }
            if let state = query.state {
                let now = merchantNows.isEmpty ? nowMilliseconds : merchantNows[Int(links.merchantCode(ordinal)) - 1]
                guard Self.has(state, ordinal, in: links, now: now) else { return false }
            }
            if let from = query.createdFrom, links.createdAt(ordinal) < from.millisecondsSince1970 { return false }
            if let before = query.createdBefore, links.createdAt(ordinal) >= before.millisecondsSince1970 { return false }
            return true
        }

        if let wanted = query.reference {
            // At most one link per merchant has a given reference.
            let merchants = query.merchant.map { [$0] } ?? links.merchantIdentifiers
            var hits = merchants.compactMap { links.ordinal(merchant: $0, reference: wanted) }.filter { (low..<high).contains($0) }
            hits.sort(by: newestFirst ? (>) : (<))
            for ordinal in hits where passes(ordinal) { guard visit(ordinal) else { return } }
        } else if let merchant = query.merchant {
            guard let code = links.merchantCode(of: merchant), Int(code) <= byMerchant.count else { return }
            let list = byMerchant[Int(code) - 1]
            let start = Self.firstIndex(in: list, atOrAfter: low), end = Self.firstIndex(in: list, atOrAfter: high)
            if newestFirst {
                for position in stride(from: end - 1, through: start, by: -1) where passes(Int(list[position])) {
                    guard visit(Int(list[position])) else { return }
                }
            } else {
                for position in start..<end where passes(Int(list[position])) { guard visit(Int(list[position])) else { return } }
            }
        } else if let found {
            var next = newestFirst ? found.previous(before: high, from: low) : found.next(from: low, before: high)
            while let ordinal = next {
                if passes(ordinal) { guard visit(ordinal) else { return } }
                next = newestFirst ? found.previous(before: ordinal, from: low) : found.next(from: ordinal + 1, before: high)
            }
        } else if newestFirst {
            for ordinal in stride(from: high - 1, through: low, by: -1) where passes(ordinal) { guard visit(ordinal) else { return } }
        } else {
            for ordinal in low..<high where passes(ordinal) { guard visit(ordinal) else { return } }
        }
    }

    /// The state at `now` from the stored lifecycle and expiry, as `PaymentLink.state(at:)`.
    private static func has(_ state: LinkState, _ ordinal: Int, in links: CompactLinks, now: Int64) -> Bool {
        switch state {
        case .paid: links.lifecycle(ordinal) == .paid
        case .closed: links.lifecycle(ordinal) == .closed
        case .open: links.lifecycle(ordinal) == .open && now < links.expiry(ordinal)
        case .expired: links.lifecycle(ordinal) == .open && now >= links.expiry(ordinal)
        }
    }

    /// The first ordinal created at or after `time` (creation times ascending).
    private func firstCreated(atOrAfter time: Int64, in links: CompactLinks) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if links.createdAt(middle) < time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func firstIndex(in list: [UInt32], atOrAfter ordinal: Int) -> Int {
        var low = 0, high = list.count
        while low < high {
            let middle = (low + high) / 2
            if Int(list[middle]) < ordinal { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
