import Synchronization

/// Where engine events go out: subscribers are called in the order they subscribed, on the
/// publishing thread, with no engine lock held, so they may call the engines again (and so
/// publish further events, which they then see in turn). Each subscriber is called only with
/// the kinds of event it subscribed to.
package final class EventStream: Sendable {
    private struct Subscriber {
        let kinds: EngineEvent.Kinds
        let call: @Sendable (EngineEvent) -> Void
    }

    private let subscribers = Mutex<[Subscriber]>([])
    /// Every kind some subscriber follows, read without the lock on every change: an event no
    /// one follows is not made (most streams have subscribers, but the engine of a unit test
    /// often has none, and no subscriber of the running sandbox follows every kind).
    private let followed = Atomic<UInt32>(0)

    package init() {}

    /// Calls `subscriber` with every event of `kinds` published from now on.
    package func subscribe(to kinds: EngineEvent.Kinds = .all, _ subscriber: @escaping @Sendable (EngineEvent) -> Void) {
        subscribers.withLock {
            $0.append(Subscriber(kinds: kinds, call: subscriber))
            followed.store($0.reduce(0) { $0 | $1.kinds.rawValue }, ordering: .releasing)
        }
    }

    /// Whether some subscriber follows events of `kind`: a publisher that makes many of them
    /// (a batch's status changes) need not keep or build any when none does.
    package func follows(_ kind: EngineEvent.Kind) -> Bool {
        EngineEvent.Kinds(rawValue: followed.load(ordering: .acquiring)).contains(kind)
    }

    package func publish(_ event: @autoclosure () -> EngineEvent) {
        guard followed.load(ordering: .acquiring) != 0 else { return }
        let event = event()
        let kind = event.kind
        for subscriber in subscribers.withLock({ $0 }) where subscriber.kinds.contains(kind) { subscriber.call(event) }
    }

    /// Publishes the event `event` makes of each item, in order, as `publish` would one at a
    /// time, reading the subscribers once and making each event only as it goes out (a batch's
    /// status changes: events are large values, an array of them would be copied and paged in).
    package func publish<Items: Collection>(each items: Items, as event: (Items.Element) -> EngineEvent) {
        guard !items.isEmpty, followed.load(ordering: .acquiring) != 0 else { return }
        let subscribers = subscribers.withLock { $0 }
        for item in items {
            let event = event(item)
            let kind = event.kind
            for subscriber in subscribers where subscriber.kinds.contains(kind) { subscriber.call(event) }
        }
    }
}
