import Dispatch
import PayLinkHTTP
import Synchronization

/// How far the log is on disk, and the answers waiting for it: a request that changed the
/// state is answered once the sequence of its last change is durable (group commit: one flush
/// answers every request of the batch it wrote).
final class DurableSequence: Sendable {
    private struct Waiting {
        var durable: UInt64
        var promises: [(sequence: UInt64, promise: HTTPResponsePromise, response: HTTPResponse)] = []
        var blocked: [(sequence: UInt64, semaphore: DispatchSemaphore)] = []
        /// Set when a flush failed: the answers it held are refused with this instead.
        var failure: String?
    }

    private let state: Mutex<Waiting>

    init(durable: UInt64) { state = Mutex(Waiting(durable: durable)) }

    var durable: UInt64 { state.withLock { $0.durable } }

    /// The log has stopped: nothing more will be written, so nobody waits any longer.
    func close() { release(upTo: .max, failure: nil) }

    /// `response` once `sequence` is durable: itself when it already is, else a deferred answer.
    func answer(_ response: HTTPResponse, after sequence: UInt64) -> HTTPResponse {
        let promise = HTTPResponsePromise()
        let ready = state.withLock { state -> Bool in
            guard state.durable < sequence else { return true }
            state.promises.append((sequence, promise, response))
            return false
        }
        return ready ? response : .deferred(promise)
    }

    /// Blocks the calling thread (never the event loop) until `sequence` is durable.
    func wait(for sequence: UInt64) {
        let semaphore = DispatchSemaphore(value: 0)
        let ready = state.withLock { state -> Bool in
            guard state.durable < sequence else { return true }
            state.blocked.append((sequence, semaphore))
            return false
        }
        if !ready { semaphore.wait() }
    }

    /// Everything up to `sequence` is on disk: the answers waiting for it go out.
    func advance(to sequence: UInt64) { release(upTo: sequence, failure: nil) }

    /// Writing up to `sequence` failed: the answers waiting for it are refused (503) with `reason`,
    /// as their changes may not survive a restart.
    func fail(upTo sequence: UInt64, reason: String) { release(upTo: sequence, failure: reason) }

    private func release(upTo sequence: UInt64, failure: String?) {
        let (promises, blocked) = state.withLock { state in
            if failure == nil { state.durable = max(state.durable, sequence) }
            let due = state.promises.filter { $0.sequence <= sequence }
            state.promises.removeAll { $0.sequence <= sequence }
            let blocked = state.blocked.filter { $0.sequence <= sequence }
            state.blocked.removeAll { $0.sequence <= sequence }
            return (due, blocked)
        }
        // Completed together: one post to the event loop for the whole group commit.
        HTTPResponsePromise.complete(promises.map { waiting in
            guard let failure else { return (waiting.promise, waiting.response) }
            let detail = "state not saved: \(failure)"
            return (waiting.promise, HTTPResponse(status: 503, headers: HTTPHeaders([("Content-Type", "text/plain"), (SandboxDetail.header, SandboxDetail.encode(detail))]),
                                                  body: Array((detail + "\n").utf8)))
        })
        for waiting in blocked { waiting.semaphore.signal() }
    }
}
