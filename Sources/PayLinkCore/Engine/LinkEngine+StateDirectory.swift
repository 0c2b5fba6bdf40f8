import Synchronization

/// What `--state-dir` needs of the engine beyond `snapshot()`/`restore(_:)`: reads of a few
/// items at a time, so a snapshot can be streamed to disk without copying every link and order
/// at once or holding the lock long. (An import builds its store once with
/// `EngineSnapshot.prepared()` and installs it with `install(_:)`.)
extension LinkEngine {
    /// The identifier generator alone (the links and orders are read by pages).
    package func idSnapshot() -> IDGenerator.Snapshot {
        store.withLock { $0.ids.snapshot }
    }

    /// Up to `limit` orders in creation order after the one `after` names (from the first when
    /// nil). Returns the orders and where the last one stands; nil when `after` is gone (a
    /// merchant reset), as the caller cannot know where it stood. `hint` (where that one stood
    /// at the last call) is not needed: the store finds an order's place by its `fort_id`.
    package func orders(after: String?, hint: Int, limit: Int) -> (orders: [Order], position: Int)? {
        store.withLock { store -> (orders: [Order], position: Int)? in
            var start = 0
            if let after {
                guard let found = store.orders.ordinal(fortID: after) else { return nil }
                start = found + 1
            }
            let end = min(store.orders.count, start + max(0, limit))
            guard start < end else { return ([], start - 1) }
            return ((start..<end).map { store.orders[$0] }, end - 1)
        }
    }
}
