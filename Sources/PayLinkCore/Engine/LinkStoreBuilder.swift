import PayLinkJSON

/// An engine's store built a link at a time, as a snapshot's links are read and the log's
/// changes after them are replayed, then finished with the orders into what
/// `LinkEngine.install(_:)` takes. Checked as `EngineSnapshot.prepared()` checks a snapshot
/// (the same paths in the errors: `links[i]` is the link's place in creation order).
///
/// Building while reading keeps a million links from being held twice (a list of values, then
/// the store) and from being checked in a pass of their own: the store's tables find a
/// duplicate ID, token or merchant reference in the same walk that inserts the key. The first
/// problem is kept and thrown by `finish`, so a bad snapshot is refused by the import that
/// reads it, as before, and nothing is installed.
package struct LinkStoreBuilder: Sendable {
    private var store = LinkStore(ids: IDGenerator(snapshot: .system))
    private var problem: SnapshotError?
    /// Links that named an uncertain payment when added or put: checked against the orders at
    /// the end, as they stand then.
    private var pending: [Int] = []

    package init() {}

    /// How many links are held.
    package var count: Int { store.links.count }

    /// The links held, in creation order (for tests and checks; a copy of each).
    package var links: [PaymentLink] { Array(store.allLinks) }

    /// Makes room for `more` links in one step.
    package mutating func reserveCapacity(forMore more: Int) { store.reserveCapacity(forMoreLinks: more) }

    /// Adds a link of a snapshot, the newest so far.
    package mutating func add(_ link: PaymentLink) {
        guard problem == nil else { return }
        do throws(CompactLinks.Duplicate) { try store.insertNew(link) } catch {
            problem = Self.problem(error, path: "links[\(store.links.count)]")
            return
        }
        check(link, at: store.links.count - 1)
    }

    /// A link the log wrote: replaces the link with its ID where it stands, or is added as the
    /// newest (one walk of the tables either way: the insert that finds the ID held is the
    /// lookup). A link's token, merchant and merchant reference never change, so a put that
    /// changes them is damage, not a change.
    package mutating func put(_ link: PaymentLink) {
        guard problem == nil else { return }
        let ordinal: Int
        do throws(CompactLinks.Duplicate) {
            try store.insertNew(link)
            return check(link, at: store.links.count - 1)
        } catch {
            guard error.key == .id else {
                problem = Self.problem(error, path: "links[\(store.links.count)]")
                return
            }
            ordinal = error.ordinal
        }
        let old = store.links[ordinal]
        guard old.token == link.token, old.merchantIdentifier == link.merchantIdentifier,
              old.merchantReference == link.merchantReference else {
            problem = SnapshotError(path: "links[\(ordinal)]", message: "changes the token or merchant reference of link \(link.id)")
            return
        }
        store.replace(link, at: ordinal)
        check(link, at: ordinal)
    }

    /// What a link must be wherever it is (checked once it is in, which matters only when it
    /// is not: the store is then never installed).
    private mutating func check(_ link: PaymentLink, at ordinal: Int) {
        do throws(SnapshotError) { try EngineSnapshot.validate(link, path: "links[\(ordinal)]") } catch {
            problem = error
            return
        }
        if link.pendingFortID != nil { pending.append(ordinal) }
    }

    /// The store with `orders` (in creation order) and the identifier generator's `ids`,
    /// checked; throws the first problem found.
    package consuming func finish(ids: IDGenerator.Snapshot, orders: [Order]) throws(SnapshotError) -> PreparedEngineState {
        if let problem { throw problem }
        var store = store
        store.ids = IDGenerator(snapshot: ids)
        store.reserveCapacity(forMoreOrders: orders.count)
        for (i, order) in orders.enumerated() {
            let path = "orders[\(i)]"
            if let j = store.orders.ordinal(fortID: order.fortID) { throw SnapshotError(path: path + ".fort_id", message: "duplicates orders[\(j)]") }
            try EngineSnapshot.validate(order, path: path)
            if let linkID = order.paymentLinkID, !store.hasLink(id: linkID) {
                throw SnapshotError(path: path + ".payment_link_id", message: "names no link in the snapshot")
            }
            store.insert(order)
            // Resolution walks these oldest first; an unresolved uncertain order is exactly one
            // that was appended and not yet settled.
            if case .uncertain = order.status { store.pendingFortIDs.append(order.fortID) }
        }
        for ordinal in Set(pending).sorted() {
            let link = store.links[ordinal]
            guard let fortID = link.pendingFortID else { continue }
            guard let order = store.order(fortID: fortID), case .uncertain = order.status, order.paymentLinkID == link.id else {
                throw SnapshotError(path: "links[\(ordinal)].pending_fort_id", message: "must name an uncertain order of this link")
            }
        }
        return PreparedEngineState(store: store)
    }

    private static func problem(_ duplicate: CompactLinks.Duplicate, path: String) -> SnapshotError {
        let field = switch duplicate.key {
        case .id: ".payment_link_id"
        case .token: ".token"
        case .merchantReference: ".merchant_reference"
        }
        return SnapshotError(path: path + field, message: "duplicates links[\(duplicate.ordinal)]")
    }
}
