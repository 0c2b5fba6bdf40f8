import Synchronization

/// A response completed later, from any thread, by `complete(_:)`.
///
/// A handler with slow work (an export, a bulk generation, a state import) returns
/// `HTTPResponse.deferred(promise)` at once, hands the promise to another thread, and that thread
/// calls `complete` when the answer is ready. Meanwhile the event loop serves every other
/// connection; the waiting connection answers nothing else, so pipelined requests keep their order.
public final class HTTPResponsePromise: Sendable {
    private enum State {
        /// Neither completed nor yet taken by the server.
        case fresh
        /// Completed before the server took it: by the handler itself, or by a quick worker.
        case completedEarly(HTTPResponse)
        /// The server waits for it on the connection `token` of the loop that owns `mailbox`.
        case awaited(mailbox: LoopMailbox, token: UInt64)
        /// Delivered, or taken twice; every later call is ignored.
        case finished
    }

    private let state = Mutex<State>(.fresh)

    public init() {}

    /// Delivers the response; the first call wins, later calls are ignored. Safe after the client left or the server stopped.
    public func complete(_ response: HTTPResponse) {
        // Posted outside this promise's lock, so the two locks are never held together.
        if let recipient = settle(with: response) {
            recipient.mailbox.post(LoopMailbox.Delivery(token: recipient.token, promise: self, response: response))
        }
    }

    /// Completes each promise with its response, as `complete` would one by one, but posts the
    /// answers bound for one event loop together: one lock and at most one wake-up of the loop
    /// for all of them, where posting each took the mailbox's lock against the loop collecting
    /// (a group commit releases dozens of answers at once).
    public static func complete(_ completions: [(promise: HTTPResponsePromise, response: HTTPResponse)]) {
        var batches: [(mailbox: LoopMailbox, deliveries: [LoopMailbox.Delivery])] = []
        for (promise, response) in completions {
            guard let recipient = promise.settle(with: response) else { continue }
            let delivery = LoopMailbox.Delivery(token: recipient.token, promise: promise, response: response)
            if let index = batches.firstIndex(where: { $0.mailbox === recipient.mailbox }) {
                batches[index].deliveries.append(delivery)
            } else {
                batches.append((recipient.mailbox, [delivery]))
            }
        }
        for batch in batches { batch.mailbox.post(contentsOf: batch.deliveries) }
    }

    /// Records the completion; where to post it when the server already waits for it.
    private func settle(with response: HTTPResponse) -> (mailbox: LoopMailbox, token: UInt64)? {
        state.withLock { state in
            switch state {
            case .fresh:
                state = .completedEarly(response)
                return nil
            case .awaited(let mailbox, let token):
                state = .finished
                return (mailbox, token)
            case .completedEarly, .finished:
                return nil
            }
        }
    }

    /// What the server finds when it takes a promise a handler returned.
    enum Claim {
        /// Not completed yet: its completion will be posted to the mailbox given.
        case pending
        /// Already completed: answer with this now.
        case completed(HTTPResponse)
        /// Returned for an earlier request already: a handler bug, as one answer cannot go to two requests.
        case alreadyClaimed
    }

    /// Called on the loop thread when a handler returned this promise for connection `token`.
    func claim(for token: UInt64, mailbox: LoopMailbox) -> Claim {
        state.withLock { state in
            switch state {
            case .fresh:
                state = .awaited(mailbox: mailbox, token: token)
                return .pending
            case .completedEarly(let response):
                state = .finished
                return .completed(response)
            case .awaited, .finished:
                return .alreadyClaimed
            }
        }
    }
}

extension HTTPResponse {
    /// A response that `promise.complete` delivers later: the connection answers nothing else meanwhile (pipelined requests keep their order); other connections are served as usual.
    ///
    /// Only its transmission matters: the status, headers and body of this placeholder are never
    /// sent. The completed response is sent as if the handler had returned it, faults included.
    /// Header and idle timeouts do not run while the server works on it; a client that
    /// disconnects meanwhile frees its connection at once, and the later completion is dropped.
    public static func deferred(_ promise: HTTPResponsePromise) -> HTTPResponse {
        var response = HTTPResponse(status: 202)
        response.transmission = .deferred(promise)
        return response
    }
}
