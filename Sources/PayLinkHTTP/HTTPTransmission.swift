/// How a response leaves the server. Everything but `.normal` exists to inject faults; none of
/// them blocks the event loop: waits are timers on the loop.
public enum HTTPTransmission: Sendable, Equatable {
    case normal
    /// The whole response, after this many milliseconds.
    case delayed(milliseconds: Int)
    /// No response: the connection is closed.
    case closeWithoutResponse
    /// The head (with the full `Content-Length`) and only this many body bytes, then close.
    case truncated(bodyBytes: Int)
    /// The response `bytes` at a time, `intervalMilliseconds` apart.
    case drip(bytes: Int, intervalMilliseconds: Int)
}
