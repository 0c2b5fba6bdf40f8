import Dispatch
import PayLinkHTTP
import PayLinkSupport
import Synchronization

/// Where requests too slow for the event loop are answered: exports, bulk generation, state
/// import and export, scenario loads, settling, large listings. One serial queue per sandbox,
/// so two of them never race each other (two imports) and memory holds one export at a time;
/// the event loop hands each one over as a deferred response and serves everyone else
/// meanwhile.
package final class SlowWork: Sendable {
    private let queue = DispatchQueue(label: "paylink-sandbox.slow-work")
    /// Runs first in each piece of work: lets a test hold the work while it is in progress.
    private let starting = Mutex<(@Sendable () -> Void)?>(nil)
    /// Set when the sandbox stops: work not yet started is not started (its client is gone
    /// with the server, and nothing of it was acknowledged).
    private let stopped = Atomic<Bool>(false)

    package init() {}

    /// The response `work` makes, answered from the slow-work queue.
    package func answer(_ work: @escaping @Sendable () -> HTTPResponse) -> HTTPResponse {
        let promise = HTTPResponsePromise()
        queue.async {
            guard !self.stopped.load(ordering: .acquiring) else {
                promise.complete(JSONResponses.error(503, "stopping", "the sandbox is stopping"))
                return
            }
            self.starting.withLock { $0 }?()
            promise.complete(work())
        }
        return .deferred(promise)
    }

    /// For tests: `hook` runs at the start of each piece of work, on the slow-work queue.
    package func onStart(_ hook: (@Sendable () -> Void)?) { starting.withLock { $0 = hook } }

    /// Starts no more work and returns once the piece in progress, if any, has ended.
    package func stop() {
        startNoMore()
        drain()
    }

    /// Work queued from now on, or queued and not yet started, is answered 503 unstarted.
    package func startNoMore() { stopped.store(true, ordering: .releasing) }

    /// Returns once the work queued so far has run (or been turned away).
    package func drain() { queue.sync {} }
}
