import PayLinkJSON
import Synchronization

/// Notifications waiting, in flight and done, on the sandbox clock: a failed attempt is
/// retried `retries` times, `retryInterval` apart ("10 times with 10 seconds in between"),
/// so a test moves the clock instead of waiting. Each delivery follows its merchant's clock
/// (`MerchantClocks`): a merchant with a clock of its own retries when its clock says so.
/// Bounded: the oldest finished deliveries are dropped past `capacity`.
package final class DeliveryQueue: Sendable {
    package let retries: Int
    package let retryIntervalMilliseconds: Int64
    package let capacity: Int

    private struct State {
        var deliveries: [Delivery] = []
        var inFlight: Set<Int> = []
        var nextID = 1
        /// Deliveries held back by a reorder fault until the merchant's next one is attempted.
        var heldForReorder: Set<Int> = []
    }

    private let clocks: MerchantClocks
    private let state = Mutex(State())

    /// Told every change under the lock (`--state-dir`'s log).
    private let recorder: (any StateChangeRecorder)?

    package convenience init(clock: SandboxClock, retries: Int = 10, retryIntervalSeconds: Int = 10, capacity: Int = 10_000,
                             recorder: (any StateChangeRecorder)? = nil) {
        self.init(clocks: MerchantClocks(global: clock), retries: retries, retryIntervalSeconds: retryIntervalSeconds,
                  capacity: capacity, recorder: recorder)
    }

    package init(clocks: MerchantClocks, retries: Int = 10, retryIntervalSeconds: Int = 10, capacity: Int = 10_000,
                 recorder: (any StateChangeRecorder)? = nil) {
        self.clocks = clocks
        self.recorder = recorder
        self.retries = max(0, retries)
        self.retryIntervalMilliseconds = Int64(max(0, retryIntervalSeconds)) * 1000
        self.capacity = max(1, capacity)
    }

    /// Queues a notification, due at once.
    @discardableResult
    package func enqueue(url: String, format: NotificationFormat, event: String, payload: JSONObject,
                        merchantIdentifier: String, fortID: String?, paymentLinkID: String?,
                        channel: FeedbackChannel = .notification) -> Delivery {
        let now = clocks.now(for: merchantIdentifier)
        return state.withLock { state in
            let delivery = Delivery(id: state.nextID, url: url, format: format, event: event, payload: payload,
                                    merchantIdentifier: merchantIdentifier, fortID: fortID, paymentLinkID: paymentLinkID,
                                    createdAt: now, attempts: [], state: .pending, nextAttemptAt: now, channel: channel)
            state.nextID += 1
            state.deliveries.append(delivery)
            var removed: Int?
            if state.deliveries.count > capacity, let index = state.deliveries.firstIndex(where: { $0.state != .pending }) {
                removed = state.deliveries.remove(at: index).id
            }
            if let recorder {
                recorder.record([.delivery(delivery, heldForReorder: false, nextID: state.nextID)] + (removed.map { [.deliveryRemoved(id: $0)] } ?? []))
            }
            return delivery
        }
    }

    /// Pending deliveries whose attempt is due at `now`, marked in flight so no other worker
    /// tick takes them too.
    package func takeDue() -> [Delivery] {
        let times = clocks.times()
        return state.withLock { state in
            var due: [Delivery] = []
            for delivery in state.deliveries where delivery.state == .pending && !state.inFlight.contains(delivery.id) {
                if let at = delivery.nextAttemptAt, at <= times.now(for: delivery.merchantIdentifier) {
                    state.inFlight.insert(delivery.id)
                    due.append(delivery)
                }
            }
            return due
        }
    }

    /// Records an attempt and schedules the next one, or closes the delivery.
    package func record(id: Int, status: Int?, error: String?, deliveredTo: String? = nil) {
        let times = clocks.times()
        state.withLock { state in
            // Not taken (the queue was reset or restored meanwhile): the attempt belongs to a
            // delivery that is gone, not to a new one that reuses its id.
            guard state.inFlight.remove(id) != nil else { return }
            guard let index = state.deliveries.firstIndex(where: { $0.id == id }) else { return }
            // A delivery held back by a reorder fault goes once a later one of its merchant was tried.
            let merchant = state.deliveries[index].merchantIdentifier
            let now = times.now(for: merchant)
            let attempt = DeliveryAttempt(at: now, status: status, error: error, deliveredTo: deliveredTo)
            for held in state.heldForReorder where held != id {
                if let heldIndex = state.deliveries.firstIndex(where: { $0.id == held }), state.deliveries[heldIndex].merchantIdentifier == merchant {
                    state.deliveries[heldIndex].nextAttemptAt = now
                    state.heldForReorder.remove(held)
                    tell(state, index: heldIndex)
                }
            }
            state.deliveries[index].attempts.append(attempt)
            if attempt.acknowledged {
                state.deliveries[index].state = .delivered
                state.deliveries[index].nextAttemptAt = nil
            } else if state.deliveries[index].attempts.count > retries {
                state.deliveries[index].state = .failed
                state.deliveries[index].nextAttemptAt = nil
            } else {
                state.deliveries[index].nextAttemptAt = now.adding(milliseconds: retryIntervalMilliseconds)
            }
            tell(state, index: index)
        }
    }

    /// Puts a taken delivery back, due `seconds` after it was created on the sandbox clock (a
    /// delay fault). Counting from creation, not from when the worker got to it, keeps a test
    /// that moves the clock right after the payment independent of the worker's timing.
    package func postpone(id: Int, seconds: Int) {
        let times = clocks.times()
        state.withLock { state in
            state.inFlight.remove(id)
            guard let index = state.deliveries.firstIndex(where: { $0.id == id }) else { return }
            let now = times.now(for: state.deliveries[index].merchantIdentifier)
            let due = state.deliveries[index].createdAt.adding(seconds: Int64(seconds))
            state.deliveries[index].nextAttemptAt = max(due, now)
            tell(state, index: index)
        }
    }

    /// Holds a taken delivery back until the merchant's next delivery has been attempted, or
    /// 60 sandbox seconds at most (a reorder fault).
    package func holdForReorder(id: Int) {
        postpone(id: id, seconds: 60)
        state.withLock { state in
            state.heldForReorder.insert(id)
            if let index = state.deliveries.firstIndex(where: { $0.id == id }) { tell(state, index: index) }
        }
    }

    /// Tells the recorder a delivery as it now stands.
    private func tell(_ state: State, index: Int) {
        guard let recorder else { return }
        let delivery = state.deliveries[index]
        recorder.record(.delivery(delivery, heldForReorder: state.heldForReorder.contains(delivery.id), nextID: state.nextID))
    }

    /// Queues a second delivery of the same payload, due at once (a duplicate fault).
    package func duplicate(id: Int) {
        let times = clocks.times()
        state.withLock { state in
            guard let original = state.deliveries.first(where: { $0.id == id }) else { return }
            let now = times.now(for: original.merchantIdentifier)
            let copy = Delivery(id: state.nextID, url: original.url, format: original.format, event: original.event, payload: original.payload,
                                merchantIdentifier: original.merchantIdentifier, fortID: original.fortID, paymentLinkID: original.paymentLinkID,
                                createdAt: now, attempts: [], state: .pending, nextAttemptAt: now, channel: original.channel)
            state.nextID += 1
            state.deliveries.append(copy)
            tell(state, index: state.deliveries.count - 1)
        }
    }

    /// Delivers a delivery's payload again, as a new delivery due at once: the same URL,
    /// channel, format and signed payload (so the same signature), with attempts of its own.
    /// Nil when no delivery has that id. Like `enqueue`, the oldest finished delivery makes room
    /// past `capacity`.
    package func resend(id: Int) -> Delivery? {
        let times = clocks.times()
        return state.withLock { state -> Delivery? in
            guard let original = state.deliveries.first(where: { $0.id == id }) else { return nil }
            let now = times.now(for: original.merchantIdentifier)
            let copy = Delivery(id: state.nextID, url: original.url, format: original.format, event: original.event, payload: original.payload,
                                merchantIdentifier: original.merchantIdentifier, fortID: original.fortID, paymentLinkID: original.paymentLinkID,
                                createdAt: now, attempts: [], state: .pending, nextAttemptAt: now, channel: original.channel)
            state.nextID += 1
            state.deliveries.append(copy)
            var removed: Int?
            if state.deliveries.count > capacity, let index = state.deliveries.firstIndex(where: { $0.state != .pending }) {
                removed = state.deliveries.remove(at: index).id
            }
            recorder?.record([.delivery(copy, heldForReorder: false, nextID: state.nextID)] + (removed.map { [.deliveryRemoved(id: $0)] } ?? []))
            return copy
        }
    }

    /// Puts a taken delivery back without an attempt (the sandbox is stopping).
    package func release(id: Int) {
        _ = state.withLock { $0.inFlight.remove(id) }
    }

    /// Every delivery, oldest first.
    package func deliveries() -> [Delivery] { state.withLock { $0.deliveries } }

    /// The deliveries and the next id, read in one step (see `DeliveryQueue.Snapshot`).
    package func snapshot() -> Snapshot {
        state.withLock { Snapshot(deliveries: $0.deliveries, nextID: $0.nextID, heldForReorder: $0.heldForReorder.sorted()) }
    }

    /// Replaces the deliveries in one step; ones pending are attempted when due. The caller
    /// checks the snapshot first (`Snapshot.validate(capacity:)`).
    package func restore(_ snapshot: Snapshot) {
        state.withLock { $0 = State(deliveries: snapshot.deliveries, inFlight: [], nextID: snapshot.nextID, heldForReorder: Set(snapshot.heldForReorder)) }
    }

    package func reset() { state.withLock { $0 = State() } }

    /// Forgets one merchant's deliveries (in-flight ones finish and are then dropped).
    package func reset(merchantIdentifier: String) {
        state.withLock { state in
            state.deliveries.removeAll { $0.merchantIdentifier == merchantIdentifier }
        }
    }
}
