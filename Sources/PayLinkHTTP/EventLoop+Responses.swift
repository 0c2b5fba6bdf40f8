/// Putting a handler's response on its connection, by transmission: at once, held back or cut
/// short by a fault, or deferred until a promise delivers it. None of them blocks the loop: a
/// held response waits on a deadline that `run` folds into its wait timeout, a deferred one on
/// the mailbox's wake-up.
extension EventLoop {
    /// Queues `response` to the request `framing` describes, as its connection's state allows.
    func queue(_ response: HTTPResponse, on connection: Connection, framing: ResponseFraming) {
        switch response.transmission {
        case .normal:
            let close = writer.write(response, to: &connection.output, framing: framing)
            connection.state.responseQueued(then: close ? .close : .keepAlive)
        case .deferred(let promise):
            switch promise.claim(for: connection.token, mailbox: mailbox) {
            case .pending:
                connection.state.responseDeferred(to: promise, framing: framing)
            case .completed(let completed):
                queue(completed, on: connection, framing: framing)
            case .alreadyClaimed:
                // The same promise returned for two requests: one answer cannot serve both.
                writer.writeError(status: 500, message: "response promise returned twice", to: &connection.output)
                connection.state.responseQueued(then: .close)
            }
        case .closeWithoutResponse:
            connection.state.responseQueued(then: .drop)
        case .truncated(let bodyBytes):
            var bytes: [UInt8] = []
            _ = writer.write(response, to: &bytes, framing: framing)
            let headLength = bytes.count - (framing.isHead ? 0 : response.body.count)
            connection.output.append(contentsOf: bytes.prefix(headLength + max(0, min(bodyBytes, response.body.count - 1))))
            connection.state.responseQueued(then: .drop)
        case .delayed(let milliseconds):
            var bytes: [UInt8] = []
            let close = writer.write(response, to: &bytes, framing: framing)
            hold(.delayed(bytes, until: now + Int64(max(0, milliseconds))), on: connection, close: close)
        case .drip(let chunk, let interval):
            var bytes: [UInt8] = []
            let close = writer.write(response, to: &bytes, framing: framing)
            hold(.dripped(bytes, chunk: chunk, interval: Int64(interval), from: now), on: connection, close: close)
        }
    }

    private func hold(_ held: HeldResponse, on connection: Connection, close: Bool) {
        connection.state.responseHeld(held, then: close ? .close : .keepAlive)
        heldConnections[connection.fd] = connection
    }

    /// The soonest release among held responses.
    var nextHeldRelease: Int64? { heldConnections.values.compactMap { $0.state.nextRelease }.min() }

    /// Sends the parts of held responses that are due.
    func releaseDueHeld() {
        for connection in Array(heldConnections.values) {
            guard isOpen(connection) else { continue }
            let action = connection.state.releaseDue(now: now)
            if !connection.state.isHolding { heldConnections[connection.fd] = nil }
            perform(action, on: connection)
        }
    }

    /// A promise was completed on another thread. Dropped when its connection has closed (the
    /// client left, or the descriptor now belongs to a newer connection, which the token tells
    /// apart); otherwise answered as if the handler had just returned the response.
    func deliverDeferred(_ delivery: LoopMailbox.Delivery) {
        guard let connection = connection(for: delivery.token),
              let framing = connection.state.deferredResponseArrived(from: delivery.promise, now: now) else { return }
        queue(delivery.response, on: connection, framing: framing)
        resumeAfterAnswer(connection)
    }
}
