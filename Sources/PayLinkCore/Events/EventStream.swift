import Synchronization

/// Where engine events go out: subscribers are called in the order they subscribed, on the
/// publishing thread, with no engine lock held, so they may call the engines again (and so
/// publish further events, which they then see in turn).
package final class EventStream: Sendable {
    private let subscribers = Mutex<[@Sendable (EngineEvent) -> Void]>([])
    /// Read without the lock on every change: most streams have subscribers, but the engine
    /// of a unit test often has none.
    private let count = Atomic<Int>(0)

    package init() {}

    /// Calls `subscriber` with every event published from now on.
    package func subscribe(_ subscriber: @escaping @Sendable (EngineEvent) -> Void) {
        subscribers.withLock {
            $0.append(subscriber)
            count.store($0.count, ordering: .releasing)
        }
    }

    package func publish(_ event: @autoclosure () -> EngineEvent) {
        guard count.load(ordering: .acquiring) > 0 else { return }
        let event = event()
        for subscriber in subscribers.withLock({ $0 }) { subscriber(event) }
    }

    /// Publishes the event `event` makes of each item, in order, as `publish` would one at a
    /// time, reading the subscribers once and making each event only as it goes out (a batch's
    /// status changes: events are large values, an array of them would be copied and paged in).
    package func publish<Items: Collection>(each items: Items, as event: (Items.Element) -> EngineEvent) {
        guard !items.isEmpty, count.load(ordering: .acquiring) > 0 else { return }
        let subscribers = subscribers.withLock { $0 }
        for item in items {
            let event = event(item)
            for subscriber in subscribers { subscriber(event) }
        }
    }
}
