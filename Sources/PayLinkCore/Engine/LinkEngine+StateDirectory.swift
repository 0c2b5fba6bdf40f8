import Synchronization

/// What a state import and `--state-dir` need of the engine beyond `snapshot()`/`restore(_:)`:
/// a restore in two steps, so the caller can check the snapshot once (`validate()`, with the
/// rest of the state) while the store is built from it on another core; and reads of a few
/// items at a time, so a snapshot can be streamed to disk without copying every link and
/// order at once or holding the lock long.
///
/// Calls into the existing store API only (`LinkStore(_:)`, its id generator, its orders in
/// creation order); kept in its own file while the store's internals are being reworked.
extension LinkEngine {
    /// A store built from a snapshot, not yet the engine's.
    package struct PreparedStore: Sendable {
        fileprivate let store: LinkStore
    }

    /// Builds the store `restore(_:)` would, without checking `snapshot`: install it only once
    /// `snapshot.validate()` has passed.
    package static func prepareStore(_ snapshot: EngineSnapshot) -> PreparedStore {
        PreparedStore(store: LinkStore(snapshot))
    }

    /// Replaces everything the engine holds, in one step under its lock.
    package func install(_ prepared: PreparedStore) {
        store.withLock { $0 = prepared.store }
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
