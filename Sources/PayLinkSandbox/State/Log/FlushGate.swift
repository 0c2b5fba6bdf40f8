import Dispatch
import Synchronization

/// Holds the log's flushes back while a test looks at what waits for them: open unless a test
/// closes it, and then passing it costs one atomic load.
final class FlushGate: Sendable {
    private let closed = Atomic<Bool>(false)
    private let waiting = Mutex<(closed: Bool, flushes: [DispatchSemaphore])>((false, []))

    init() {}

    /// How many flushes wait at the gate now.
    var waitingCount: Int { waiting.withLock { $0.flushes.count } }

    /// Flushes that come to the gate from now on wait until `open`.
    func close() {
        waiting.withLock { $0.closed = true }
        closed.store(true, ordering: .releasing)
    }

    /// Lets the waiting flushes go, and every later one.
    func open() {
        closed.store(false, ordering: .releasing)
        let released = waiting.withLock { state in
            defer { state = (false, []) }
            return state.flushes
        }
        for flush in released { flush.signal() }
    }

    /// On a flush's thread, before it flushes: returns at once unless the gate is closed.
    func pass() {
        guard closed.load(ordering: .acquiring) else { return }
        let semaphore = DispatchSemaphore(value: 0)
        let wait = waiting.withLock { state -> Bool in
            guard state.closed else { return false }
            state.flushes.append(semaphore)
            return true
        }
        if wait { semaphore.wait() }
    }
}
