import Synchronization

/// What `--state-dir` needs of the engine beyond `snapshot()`/`restore(_:)`: a restore of a
/// snapshot the caller has validated already (an import checks it once, with the rest of the
/// state, before anything changes), and reads of a few items at a time, so a snapshot can be
/// streamed to disk without copying every link and order at once or holding the lock long.
///
/// Calls into the existing store API only (`LinkStore(_:)`, its id generator, its orders in
/// creation order); kept in its own file while the store's internals are being reworked.
extension LinkEngine {
    /// `restore(_:)` without its check: `snapshot` must have passed `validate()`.
    package func restoreValidated(_ snapshot: EngineSnapshot) {
        let rebuilt = LinkStore(snapshot)
        store.withLock { $0 = rebuilt }
    }

    /// The identifier generator alone (the links and orders are read by pages).
    package func idSnapshot() -> IDGenerator.Snapshot {
        store.withLock { $0.ids.snapshot }
    }

    /// Up to `limit` orders in creation order after the one `after` names (from the first when
    /// nil); `hint` is where that one stood at the last call, so a page costs O(limit) unless
    /// orders were removed meanwhile. Returns the orders and where the last one stands; nil
    /// when `after` is gone (a merchant reset), as the caller cannot know where it stood.
    package func orders(after: String?, hint: Int, limit: Int) -> (orders: [Order], position: Int)? {
        store.withLock { store -> (orders: [Order], position: Int)? in
            let ids = store.orderIDsInCreationOrder
            var start = 0
            if let after {
                if hint < ids.count, ids[hint] == after {
                    start = hint + 1
                } else if let found = ids.firstIndex(of: after) {
                    start = found + 1
                } else {
                    return nil
                }
            }
            let end = min(ids.count, start + limit)
            var page: [Order] = []
            page.reserveCapacity(end - start)
            for id in ids[start..<end] { if let order = store.orders[id] { page.append(order) } }
            return (page, end - 1)
        }
    }
}
