/// A response a fault holds back: released whole after a delay, or a few bytes at a time.
struct HeldResponse {
    var bytes: [UInt8]
    var sent = 0
    var releaseAt: Int64
    /// Bytes per release; nil releases everything at once.
    var chunk: Int?
    var interval: Int64
}

/// Fault transmissions (`HTTPTransmission`): none blocks the loop. A held response waits on a
/// deadline that `run` folds into its epoll timeout.
extension EventLoop {
    func stage(_ response: HTTPResponse, on connection: Connection, isHead: Bool, version: HTTPVersion, keepAlive: Bool) {
        var bytes: [UInt8] = []
        let close = writer.write(response, to: &bytes, isHead: isHead, version: version, keepAlive: keepAlive)
        switch response.transmission {
        case .normal:
            connection.output.append(contentsOf: bytes)
            if close { connection.closeAfterFlush = true }
        case .closeWithoutResponse:
            connection.closeAfterFlush = true
            connection.dropWhenFlushed = true
        case .truncated(let bodyBytes):
            let headLength = bytes.count - (isHead ? 0 : response.body.count)
            connection.output.append(contentsOf: bytes.prefix(headLength + max(0, min(bodyBytes, response.body.count - 1))))
            connection.closeAfterFlush = true
            connection.dropWhenFlushed = true
        case .delayed(let ms):
            hold(HeldResponse(bytes: bytes, releaseAt: now + Int64(max(0, ms)), chunk: nil, interval: 0), on: connection, close: close)
        case .drip(let chunk, let interval):
            hold(HeldResponse(bytes: bytes, releaseAt: now, chunk: max(1, chunk), interval: Int64(max(1, interval))), on: connection, close: close)
        }
    }

    private func hold(_ held: HeldResponse, on connection: Connection, close: Bool) {
        connection.held = held
        if close { connection.closeAfterFlush = true }
        heldConnections[connection.fd] = connection
    }

    /// The soonest release among held responses.
    var nextHeldRelease: Int64? { heldConnections.values.compactMap { $0.held?.releaseAt }.min() }

    /// Moves due held bytes to the output and sends them; a finished connection goes back to
    /// answering its buffered requests.
    func releaseDueHeld() {
        for connection in Array(heldConnections.values) {
            guard var held = connection.held, held.releaseAt <= now, isOpen(connection) else { continue }
            let count = min(held.chunk ?? held.bytes.count, held.bytes.count - held.sent)
            connection.output.append(contentsOf: held.bytes[held.sent..<(held.sent + count)])
            held.sent += count
            if held.sent < held.bytes.count {
                held.releaseAt = now + held.interval
                connection.held = held
            } else {
                connection.held = nil
                heldConnections[connection.fd] = nil
            }
            connection.lastActivity = now
            if connection.held == nil && !connection.closeAfterFlush {
                service(connection)
            } else {
                flush(connection)
                if isOpen(connection) { updateInterest(connection) }
            }
        }
    }
}
