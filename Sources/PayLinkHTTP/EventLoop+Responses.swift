/// Putting a handler's response on its connection, by transmission: at once, or held back or cut
/// short by a fault. None of them blocks the loop: a held response waits on a deadline that `run`
/// folds into its epoll timeout.
extension EventLoop {
    /// Queues `response` to the request `framing` describes, as its connection's state allows.
    func queue(_ response: HTTPResponse, on connection: Connection, framing: ResponseFraming) {
        switch response.transmission {
        case .normal:
            let close = writer.write(response, to: &connection.output, framing: framing)
            connection.state.responseQueued(then: close ? .close : .keepAlive)
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
}
