import Dispatch
import PayLinkCore
import Synchronization

/// Where batch files of both dialects are validated and processed: a serial queue of its own,
/// so a 100,000-line file never holds up notifications. `settle` waits for it.
package final class BatchQueue: BatchScheduler {
    private let dispatch = DispatchQueue(label: "paylink-sandbox.batches")
    /// Jobs scheduled and not yet finished.
    private let pending = Atomic<Int>(0)

    package init() {}

    package func schedule(_ work: @escaping @Sendable () -> Void) {
        pending.add(1, ordering: .relaxed)
        dispatch.async {
            work()
            self.pending.subtract(1, ordering: .releasing)
        }
    }

    /// Reading and checking the next records (`aside`) runs on a global queue while this queue
    /// creates the current ones (`here`).
    package func overlap(_ aside: @escaping @Sendable () -> Void, with here: () -> Void) {
        let group = DispatchGroup()
        DispatchQueue.global(qos: .userInitiated).async(group: group, execute: aside)
        here()
        group.wait()
    }

    /// Waits for the jobs queued so far; returns how many there were.
    package func drain() -> Int {
        let count = pending.load(ordering: .acquiring)
        guard count > 0 else { return 0 }
        dispatch.sync {}
        return count
    }

    /// Returns once the jobs already queued have run.
    package func stop() { dispatch.sync {} }
}
