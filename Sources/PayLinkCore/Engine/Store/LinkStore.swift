/// What a `LinkEngine` holds; only ever touched under its lock. The links and their lookups
/// are `CompactLinks`, the orders `CompactOrders`; the rest follows from them (the expiry queue, the search index, uncertain payments awaiting resolution).
package struct LinkStore: Sendable {
    package var ids: IDGenerator
    package internal(set) var links = CompactLinks()
    package private(set) var orders = CompactOrders()
    /// Uncertain payments awaiting resolution, oldest first.
    package var pendingFortIDs: [String] = []
    /// Open links by expiry, a lane per merchant, for the expiry sweep (with what it published,
    /// so setting a clock back reopens them); derived, so not in snapshots.
    package var expiries = ExpirySchedule()
    /// What the dashboard and the control API search by; follows every insert and replace.
    package private(set) var index = LinkIndex()

    package init(ids: IDGenerator) { self.ids = ids }

    /// A store holding `links` and `orders` (each in creation order), indexed as if they had
    /// been made one by one.
    package init(ids: IDGenerator, links: some Collection<PaymentLink>, orders: some Sequence<Order>) {
        self.init(ids: ids)
        reserveCapacity(forMoreLinks: links.count)
        for link in links { insert(link) }
        for order in orders {
            insert(order)
            // Resolution walks these oldest first; an unresolved uncertain order is exactly one
            // that was appended and not yet settled.
            if case .uncertain = order.status { pendingFortIDs.append(order.fortID) }
        }
    }

    // MARK: Links

    package func link(id: String) -> PaymentLink? { links.ordinal(id: id).map { links[$0] } }
    package func link(token: String) -> PaymentLink? { links.ordinal(token: token).map { links[$0] } }
    package func link(merchant: String, reference: String) -> PaymentLink? {
        links.ordinal(merchant: merchant, reference: reference).map { links[$0] }
    }

    /// The same reads for a request about one link: recent links come back without being
    /// built again (`CompactLinks.reading`).
    package mutating func readLink(id: String) -> PaymentLink? { links.ordinal(id: id).map { links.reading($0) } }
    package mutating func readLink(token: String) -> PaymentLink? { links.ordinal(token: token).map { links.reading($0) } }
    package mutating func readLink(merchant: String, reference: String) -> PaymentLink? {
        links.ordinal(merchant: merchant, reference: reference).map { links.reading($0) }
    }

    /// `readLink(merchant:reference:)` lent to `body` rather than copied out, with whether its
    /// shown text is known plain (`CompactLinks.withReading`).
    package mutating func withLink<R>(merchant: String, reference: String, _ body: (borrowing PaymentLink, Bool) -> R) -> R? {
        guard let ordinal = links.ordinal(merchant: merchant, reference: reference) else { return nil }
        return links.withReading(ordinal, body)
    }

    package func hasLink(id: String) -> Bool { links.ordinal(id: id) != nil }
    package func hasLink(token: String) -> Bool { links.ordinal(token: token) != nil }
    package func hasLink(merchant: String, reference: String) -> Bool { links.ordinal(merchant: merchant, reference: reference) != nil }

    /// Every link, in creation order.
    package var allLinks: some Collection<PaymentLink> { (0..<links.count).lazy.map { links[$0] } }

    /// Adds a new link (the caller has checked its ID, token and reference are new).
    package mutating func insert(_ link: PaymentLink) {
        let ordinal = links.append(link)
        if link.lifecycle == .open { expiries.insert(ordinal: ordinal, expiry: link.expiry, merchantCode: links.merchantCode(ordinal)) }
        index.insert(link, ordinal: ordinal, merchantCode: links.merchantCode(ordinal))
    }

    /// Adds a new link unless another holds its ID, token or merchant reference (see
    /// `CompactLinks.appendNew`); returns its ordinal.
    @discardableResult
    /// `customerText`, when given, is the link's customer text with its bytes made in advance.
    package mutating func insertNew(_ link: PaymentLink, customerText: LinkCustomerText? = nil) throws(CompactLinks.Duplicate) -> Int {
        let ordinal = try links.appendNew(link, customerText: customerText?.encoded)
        if link.lifecycle == .open { expiries.insert(ordinal: ordinal, expiry: link.expiry, merchantCode: links.merchantCode(ordinal)) }
        index.insert(link, ordinal: ordinal, merchantCode: links.merchantCode(ordinal), customerText: customerText)
        return ordinal
    }

    /// Stores a changed link; an Open one with a new expiry is swept at that expiry.
    package mutating func replace(_ link: PaymentLink) {
        guard let ordinal = links.ordinal(id: link.id) else { return }
        replace(link, at: ordinal)
    }

    package mutating func replace(_ link: PaymentLink, at ordinal: Int) {
        let old = links.reading(ordinal)
        links.replace(ordinal, with: link)
        index.update(from: old, to: link, ordinal: ordinal)
        if link.lifecycle == .open && (old.expiry != link.expiry || old.lifecycle != .open) {
            expiries.insert(ordinal: ordinal, expiry: link.expiry, merchantCode: links.merchantCode(ordinal))
        }
    }

    /// Makes room for `count` more links in the tables that grow with each insert.
    package mutating func reserveCapacity(forMoreLinks count: Int) {
        links.reserveCapacity(forMore: count)
        index.reserveCapacity(forMore: count)
    }

    // MARK: Orders

    package mutating func reserveCapacity(forMoreOrders count: Int) { orders.reserveCapacity(forMore: count) }

    package func order(fortID: String) -> Order? { orders[fortID: fortID] }
    package func hasOrder(fortID: String) -> Bool { orders.ordinal(fortID: fortID) != nil }

    /// Adds a new order (the caller has checked its `fort_id` is new).
    package mutating func insert(_ order: Order) { orders.append(order) }

    /// Stores a changed order.
    package mutating func replace(_ order: Order) {
        guard let ordinal = orders.ordinal(fortID: order.fortID) else { return }
        orders.replace(ordinal, with: order)
    }

    // MARK: Removal

    package mutating func removeAll() { self = LinkStore(ids: ids) }

    /// Forgets one merchant's links and orders by building the store again without them
    /// (ordinals shift); returns how many links went.
    package mutating func remove(merchant: String) -> Int {
        let kept = allLinks.filter { $0.merchantIdentifier != merchant }
        let removed = links.count - kept.count
        var rebuilt = LinkStore(ids: ids, links: kept, orders: orders.values.filter { $0.merchantIdentifier != merchant })
        // The expiry queues and the sweeps' record carry over by link ID: an expiry already
        // published is not published again.
        let moved = rebuilt.links
        rebuilt.expiries = expiries.remapped(ordinal: { moved.ordinal(id: links.id($0)) }, merchantCode: { moved.merchantCode($0) })
        rebuilt.pendingFortIDs = pendingFortIDs.filter { rebuilt.hasOrder(fortID: $0) }
        self = rebuilt
        return removed
    }
}
