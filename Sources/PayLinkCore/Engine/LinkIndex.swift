/// What the dashboard and the control API search links by, kept beside the links so a search
/// looks at the links that can match rather than at every link. Links are numbered by their
/// position in creation order (their ordinal), and everything here is an array by ordinal or
/// a list of ordinals:
///
/// - merchant: the ordinals of each merchant's links, ascending (appended as links are made);
/// - merchant reference: the store's own reference map (`LinkStore.idsByReference`);
/// - state: the stored lifecycle (open, closed, paid) and the expiry of each link. Expired is
///   never stored: a query resolves Open against Expired by comparing the expiry with the
///   query's instant, so moving the clock either way changes nothing here;
/// - creation time: each link's, and whether they rise with the ordinal (they do unless the
///   clock was set back between two creations), so a time range becomes an ordinal range by
///   binary search; otherwise each candidate's time is compared;
/// - text: `LinkTextIndex`.
///
/// Kept up to date in one place, where the store inserts and replaces links; a removal
/// (a merchant's reset) rebuilds it, since ordinals then shift.
package struct LinkIndex: Sendable {
    private var ordinals: [String: UInt32] = [:]
    private var lifecycles: [LinkLifecycle] = []
    private var expiries: [Int64] = []
    private var created: [Int64] = []
    private var createdInOrder = true
    private var merchantCodes: [String: Int] = [:]
    private var merchantNames: [String] = []
    private var byMerchant: [[UInt32]] = []
    private var text = LinkTextIndex()

    package init() {}

    package var count: Int { lifecycles.count }

    /// Bytes of searched text held (for the benchmark's memory notes).
    package var textBytes: Int { text.byteCount }

    /// The link's position in creation order.
    package func ordinal(of id: String) -> Int? { ordinals[id].map(Int.init) }

    /// Indexes a new link, the newest.
    package mutating func insert(_ link: PaymentLink) {
        let ordinal = lifecycles.count
        ordinals[link.id] = UInt32(ordinal)
        lifecycles.append(link.lifecycle)
        expiries.append(link.expiry.millisecondsSince1970)
        let time = link.createdAt.millisecondsSince1970
        if let last = created.last, time < last { createdInOrder = false }
        created.append(time)
        let code: Int
        if let known = merchantCodes[link.merchantIdentifier] {
            code = known
        } else {
            code = merchantNames.count
            merchantCodes[link.merchantIdentifier] = code
            merchantNames.append(link.merchantIdentifier)
            byMerchant.append([])
        }
        byMerchant[code].append(UInt32(ordinal))
        text.append(LinkQuery.searchedFields(link))
    }

    /// Makes room for `count` more links.
    package mutating func reserveCapacity(forMoreLinks count: Int) {
        let total = lifecycles.count + count
        ordinals.reserveCapacity(total)
        lifecycles.reserveCapacity(total)
        expiries.reserveCapacity(total)
        created.reserveCapacity(total)
    }

    /// Follows a stored link's change (`old` is what was stored before).
    package mutating func update(from old: PaymentLink, to link: PaymentLink) {
        guard let ordinal = ordinals[link.id].map(Int.init) else { return }
        lifecycles[ordinal] = link.lifecycle
        expiries[ordinal] = link.expiry.millisecondsSince1970
        if old.customerEmail != link.customerEmail || old.customerName != link.customerName {
            text.replace(ordinal: ordinal, LinkQuery.searchedFields(link))
        }
    }

    /// Visits the ordinals of the links matching `query` at `now`, in creation order or
    /// (`newestFirst`) the reverse, starting past `cursor` (exclusive) when given; `visit`
    /// returns false to stop. `reference` finds a merchant's link by merchant reference.
    package func forEachMatch(_ query: LinkQuery, at now: SandboxInstant, newestFirst: Bool, cursor: Int? = nil,
                              reference: (_ merchant: String, _ reference: String) -> String?,
                              _ visit: (Int) -> Bool) {
        var low = 0, high = count
        if let cursor { if newestFirst { high = min(high, cursor) } else { low = max(low, cursor + 1) } }
        if createdInOrder {
            if let from = query.createdFrom { low = max(low, firstCreated(atOrAfter: from.millisecondsSince1970)) }
            if let before = query.createdBefore { high = min(high, firstCreated(atOrAfter: before.millisecondsSince1970)) }
        }
        guard low < high else { return }
        var found: OrdinalSet?
        if let needle = query.textNeedle {
            guard let text = query.text, LinkQuery.isSearchable(text) else { return }
            found = self.text.search(needle)
        }
        let nowMilliseconds = now.millisecondsSince1970
        func passes(_ ordinal: Int) -> Bool {
            if let found, !found.contains(ordinal) { return false }
            if let state = query.state, !has(state, ordinal, now: nowMilliseconds) { return false }
            if let from = query.createdFrom, created[ordinal] < from.millisecondsSince1970 { return false }
            if let before = query.createdBefore, created[ordinal] >= before.millisecondsSince1970 { return false }
            return true
        }

        if let wanted = query.reference {
            // At most one link per merchant has a given reference.
            let merchants = query.merchant.map { [$0] } ?? merchantNames
            var hits = merchants.compactMap { reference($0, wanted).flatMap(ordinal(of:)) }.filter { (low..<high).contains($0) }
            hits.sort(by: newestFirst ? (>) : (<))
            for ordinal in hits where passes(ordinal) { guard visit(ordinal) else { return } }
        } else if let merchant = query.merchant {
            guard let code = merchantCodes[merchant] else { return }
            let list = byMerchant[code]
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
    private func has(_ state: LinkState, _ ordinal: Int, now: Int64) -> Bool {
        switch state {
        case .paid: lifecycles[ordinal] == .paid
        case .closed: lifecycles[ordinal] == .closed
        case .open: lifecycles[ordinal] == .open && now < expiries[ordinal]
        case .expired: lifecycles[ordinal] == .open && now >= expiries[ordinal]
        }
    }

    /// The first ordinal created at or after `time` (creation times ascending).
    private func firstCreated(atOrAfter time: Int64) -> Int {
        var low = 0, high = created.count
        while low < high {
            let middle = (low + high) / 2
            if created[middle] < time { low = middle + 1 } else { high = middle }
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
