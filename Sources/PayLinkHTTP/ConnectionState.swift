/// The life of one connection as a value: what it is doing (`phase`) and the times its deadlines
/// count from. The event loop reports what happened (bytes read, a response queued, output
/// drained, the peer closed, the time) and performs the `ConnectionAction` each transition
/// returns. Nothing here touches a socket or reads a clock: times are milliseconds on any
/// monotonic clock, the loop's own in production and plain numbers in tests.
///
/// The phases, and the usual ways between them:
///
///     reading ──fault holds the answer──▶ holding ──all released──▶ reading
///     reading ──handler defers──▶ awaitingDeferred ──promise completed──▶ reading
///     reading ──last answer queued (close, HTTP/1.0, parse error, 408, dropping fault)──▶ closing
///     closing ──output drained──▶ lingering ──peer closed, deadline or discard cap──▶ closed
///     closing ──output drained, after a dropping fault or the peer's close──▶ closed
struct ConnectionState {
    enum Phase {
        /// Reading requests and answering each at once.
        case reading(RequestProgress)
        /// A fault holds the current answer back (`.delayed`, `.drip`). Requests after it are not
        /// answered until it is all out, so pipelined answers keep their order.
        case holding(HeldResponse, then: AfterResponse)
        /// The handler answers later through this promise; requests after it wait, as when holding.
        /// The framing is the request's, to write the answer as if it had come at once.
        case awaitingDeferred(HTTPResponsePromise, ResponseFraming)
        /// No more requests are answered; finishing once the output is sent: by lingering, or by
        /// closing at once when the peer is gone or a fault cuts the connection.
        case closing(lingers: Bool)
        /// Our sending side is shut down; reading and discarding until the peer closes, the
        /// deadline passes or it sends more than the policy's discard limit.
        case lingering(until: Int64, discarded: Int)
        case closed
    }

    /// Where a reading connection is within the request it reads, for its deadlines.
    enum RequestProgress: Equatable {
        /// Keep-alive idle: subject to the idle timeout, closed silently.
        case betweenRequests
        /// Part of a head arrived at `startedAt`: subject to the header timeout, answered 408.
        case head(startedAt: Int64)
        /// The head is complete and the body arriving: a stalled body is answered 408.
        case body
    }

    /// What the parser still holds after the loop answered every complete request.
    enum UnreadInput {
        case nothing
        case partialHead
        case partialBody
    }

    /// What happens to the connection once a response is out.
    enum AfterResponse: Equatable {
        /// Read the next request.
        case keepAlive
        /// No more requests; linger once the output is sent (`Connection: close`, HTTP/1.0).
        case close
        /// No more requests; close at once, unlingering, once the output is sent (a fault that
        /// drops or truncates the response).
        case drop
    }

    let policy: ConnectionPolicy
    private(set) var phase: Phase
    /// The last time bytes moved in either direction; idle and stall deadlines count from it.
    private(set) var lastActivity: Int64

    init(policy: ConnectionPolicy, now: Int64) {
        self.policy = policy
        self.phase = .reading(.betweenRequests)
        self.lastActivity = now
    }

    // MARK: questions the loop asks

    /// True while requests are answered; the loop stops taking requests from the parser otherwise.
    var isReadingRequests: Bool {
        if case .reading = phase { return true }
        return false
    }

    var isHolding: Bool {
        if case .holding = phase { return true }
        return false
    }

    var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    /// When the held response's next part is due, for the loop's wait timeout.
    var nextRelease: Int64? {
        if case .holding(let held, _) = phase { return held.releaseAt }
        return nil
    }

    /// The events to wait for, given the unsent output and the input the parser holds unread.
    func interest(pendingOutput: Int, bufferedInput: Int) -> ConnectionInterest {
        switch phase {
        case .reading:
            // Over the high-water mark, reading pauses until the client takes its answers.
            var interest: ConnectionInterest = pendingOutput <= policy.outputHighWater ? .read : []
            if pendingOutput > 0 { interest.insert(.write) }
            return interest
        case .awaitingDeferred where bufferedInput < policy.deferredInputLimit:
            // Still reading (the bytes are only buffered, and a peer that goes away shows as a
            // read of 0), so the poller's interest stays what it was while reading: a deferred
            // answer (every change with the state log on) would otherwise change it twice, two
            // `epoll_ctl` calls, about 1.3 µs of each create with `--state-dir`.
            return pendingOutput > 0 ? [.read, .write] : .read
        case .holding, .awaitingDeferred:
            return pendingOutput > 0 ? [.hangUp, .write] : .hangUp
        case .closing:
            return pendingOutput > 0 ? .write : []
        case .lingering:
            return .read
        case .closed:
            return []
        }
    }

    // MARK: input

    /// `count` bytes arrived.
    mutating func bytesRead(_ count: Int, now: Int64) -> ConnectionAction {
        switch phase {
        case .lingering(let until, let discarded):
            let total = discarded + count
            if total > policy.lingerDiscardLimit { return close() }
            phase = .lingering(until: until, discarded: total)
            return .none
        case .closed:
            return .none
        case .reading, .holding, .awaitingDeferred, .closing:
            // Outside `reading` the parser only buffers them: they are answered once it reads again.
            lastActivity = now
            return .answerRequests
        }
    }

    /// The loop answered every complete request it could; `unread` is what the parser still holds.
    mutating func requestsAnswered(leaving unread: UnreadInput, now: Int64) {
        guard case .reading(let progress) = phase else { return }
        switch unread {
        case .nothing:
            phase = .reading(.betweenRequests)
        case .partialHead:
            // The header deadline counts from the head's first byte, not from its latest one.
            if case .head = progress { return }
            phase = .reading(.head(startedAt: now))
        case .partialBody:
            phase = .reading(.body)
        }
    }

    /// The parser rejected the input: answer its status and close (lingering, so that the client
    /// can read the error even while it is still sending).
    mutating func requestFailed(_ error: HTTPParserError) -> ConnectionAction {
        phase = .closing(lingers: true)
        return .answer(status: error.status, message: error.message)
    }

    /// The peer closed its sending side (a read returned 0).
    mutating func peerClosed(pendingOutput: Bool) -> ConnectionAction {
        switch phase {
        case .closed:
            return .none
        case .lingering, .holding, .awaitingDeferred:
            // Lingering waited for exactly this; a held or deferred answer has nobody to go to.
            return close()
        case .reading, .closing:
            // A half-closed client still gets the answers already made.
            if !pendingOutput { return close() }
            phase = .closing(lingers: false)
            return .flush
        }
    }

    /// The poller reported a hang-up (RDHUP, HUP or ERR). Only a connection that is not reading acts on
    /// it here; a reading one learns the same from its next read.
    mutating func peerHungUp() -> ConnectionAction {
        switch phase {
        case .holding, .awaitingDeferred:
            return close()
        case .reading, .closing, .lingering, .closed:
            return .none
        }
    }

    // MARK: answers

    /// The response to the current request is in the output.
    mutating func responseQueued(then after: AfterResponse) {
        guard case .reading = phase else { return }
        switch after {
        case .keepAlive: phase = .reading(.betweenRequests)
        case .close: phase = .closing(lingers: true)
        case .drop: phase = .closing(lingers: false)
        }
    }

    /// A fault holds the response to the current request back.
    mutating func responseHeld(_ held: HeldResponse, then after: AfterResponse) {
        phase = .holding(held, then: after)
    }

    /// The part of the held response due at `now`, if any. Once it is all out, the connection
    /// goes on as `after` says: reading again (and answering what was buffered meanwhile), or closing.
    mutating func releaseDue(now: Int64) -> ConnectionAction {
        guard case .holding(var held, let after) = phase, held.releaseAt <= now else { return .none }
        let part = held.releaseDue(now: now)
        lastActivity = now
        if held.isFullyReleased {
            phase = .reading(.betweenRequests)
            responseQueued(then: after)
        } else {
            phase = .holding(held, then: after)
        }
        return .send(part)
    }

    /// The handler returned `HTTPResponse.deferred(promise)` for the current request.
    mutating func responseDeferred(to promise: HTTPResponsePromise, framing: ResponseFraming) {
        phase = .awaitingDeferred(promise, framing)
    }

    /// `promise` delivered. Returns the framing to write its response with, the connection reading
    /// again as if the handler had just returned it; nil when the connection does not wait for it.
    mutating func deferredResponseArrived(from promise: HTTPResponsePromise, now: Int64) -> ResponseFraming? {
        guard case .awaitingDeferred(let awaited, let framing) = phase, awaited === promise else { return nil }
        phase = .reading(.betweenRequests)
        lastActivity = now
        return framing
    }

    // MARK: output

    /// Some output went out.
    mutating func bytesWritten(now: Int64) {
        lastActivity = now
    }

    /// All queued output is sent.
    mutating func outputDrained(now: Int64) -> ConnectionAction {
        guard case .closing(let lingers) = phase else { return .none }
        guard lingers else { return close() }
        phase = .lingering(until: now + policy.lingerTimeout, discarded: 0)
        return .shutdownWritingAndLinger
    }

    // MARK: time

    /// The loop's periodic sweep at `now`: the header, idle, stall and linger deadlines.
    mutating func tick(now: Int64, pendingOutput: Bool) -> ConnectionAction {
        switch phase {
        case .closed, .holding, .awaitingDeferred:
            // A held or deferred answer is the server's own wait, not the client's: no deadline runs.
            return .none
        case .lingering(let until, _):
            return now >= until ? close() : .none
        case .closing:
            if pendingOutput { return closeIfStalled(now: now) }
            // Nothing left to send, yet not finished: never keep such a connection.
            return close()
        case .reading(let progress):
            if pendingOutput { return closeIfStalled(now: now) }
            switch progress {
            case .betweenRequests:
                return now - lastActivity >= policy.idleTimeout ? close() : .none
            case .head(let startedAt):
                return now - startedAt >= policy.headerTimeout ? timeOut() : .none
            case .body:
                return now - lastActivity >= policy.idleTimeout ? timeOut() : .none
            }
        }
    }

    // MARK: private

    /// The client stopped reading its answers.
    private mutating func closeIfStalled(now: Int64) -> ConnectionAction {
        now - lastActivity >= policy.idleTimeout ? close() : .none
    }

    private mutating func timeOut() -> ConnectionAction {
        phase = .closing(lingers: true)
        return .answer(status: 408, message: "request timeout")
    }

    private mutating func close() -> ConnectionAction {
        phase = .closed
        return .close
    }
}
