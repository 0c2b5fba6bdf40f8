import Dispatch
import Synchronization

/// What makes background work run: a timer in a served sandbox, a hand in tests.
package protocol Ticker: Sendable {
    /// Calls `tick` on `queue` from now on, until `stop`.
    func start(on queue: DispatchQueue, _ tick: @escaping @Sendable () -> Void)
    /// No tick starts after this returns.
    func stop()
}

/// Ticks every `interval` of real time.
package final class DispatchTicker: Ticker {
    private let interval: DispatchTimeInterval
    /// Bumped by `start` and `stop`: a tick scheduled under an older generation does nothing.
    private let generation = Atomic<Int>(0)

    package init(interval: DispatchTimeInterval) { self.interval = interval }

    package func start(on queue: DispatchQueue, _ tick: @escaping @Sendable () -> Void) {
        let current = generation.add(1, ordering: .acquiringAndReleasing).newValue
        schedule(on: queue, tick, generation: current)
    }

    package func stop() { generation.add(1, ordering: .acquiringAndReleasing) }

    private func schedule(on queue: DispatchQueue, _ tick: @escaping @Sendable () -> Void, generation current: Int) {
        queue.asyncAfter(deadline: .now() + interval) { [weak self] in
            guard let self, self.generation.load(ordering: .acquiring) == current else { return }
            tick()
            self.schedule(on: queue, tick, generation: current)
        }
    }
}

/// Never ticks by itself: work runs only when the sandbox is settled (`Sandbox.settle`,
/// `POST /__sandbox/settle`) or when a test calls `tick`.
package final class ManualTicker: Ticker {
    private let target = Mutex<(queue: DispatchQueue, tick: @Sendable () -> Void)?>(nil)

    package init() {}

    package func start(on queue: DispatchQueue, _ tick: @escaping @Sendable () -> Void) {
        target.withLock { $0 = (queue, tick) }
    }

    package func stop() { target.withLock { $0 = nil } }

    /// Runs one tick on the work's queue and returns once it is done.
    package func tick() {
        guard let (queue, tick) = target.withLock({ $0 }) else { return }
        queue.sync(execute: tick)
    }
}
