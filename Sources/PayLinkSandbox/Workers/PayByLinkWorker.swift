import Dispatch
import PayLinkCore
import Synchronization
import PayLinkHTTP

/// Background work of the PayByLink dialect: batch files (of both dialects) are validated and
/// processed on its serial queue (`schedule`), two threads overlapping (`overlap`), and every 50 ms of real time it records the expiries the sandbox
/// clock has reached, so an Expired callback goes out soon after the clock passes the date.
package final class PayByLinkWorker: BatchScheduler {
    private let dispatch = DispatchQueue(label: "paylink-sandbox.paybylink")
    private let running = Atomic<Bool>(false)
    /// Set once the store exists (the store and the batch engine need the worker first).
    private let sweep = Mutex<(@Sendable () -> Void)?>(nil)

    package func setSweep(_ body: @escaping @Sendable () -> Void) { sweep.withLock { $0 = body } }

    package func schedule(_ work: @escaping @Sendable () -> Void) { dispatch.async(execute: work) }

    /// Reading and checking the next records (`aside`) runs on a global queue while this queue
    /// creates the current ones (`here`).
    package func overlap(_ aside: @escaping @Sendable () -> Void, with here: () -> Void) {
        let group = DispatchGroup()
        DispatchQueue.global(qos: .userInitiated).async(group: group, execute: aside)
        here()
        group.wait()
    }

    package func start() {
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        dispatch.async { self.tick() }
    }

    /// Stops the sweep and returns once batch work already queued has run to its end (a batch
    /// runs whole in one queued job), so a state saved after it has no batch left half done.
    package func stop() {
        running.store(false, ordering: .releasing)
        dispatch.sync {}
    }

    private func tick() {
        guard running.load(ordering: .acquiring) else { return }
        sweep.withLock { $0 }?()
        dispatch.asyncAfter(deadline: .now() + .milliseconds(50)) { self.tick() }
    }
}
