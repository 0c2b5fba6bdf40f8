/// How a response leaves the server. `.deferred` answers later, from another thread; every other
/// case but `.normal` exists to inject faults. None of them blocks the event loop: waits are
/// timers on the loop, and a deferred answer wakes it when it arrives.
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
    /// The response the promise is completed with; see `HTTPResponse.deferred(_:)`.
    case deferred(HTTPResponsePromise)

    /// Deferred transmissions are equal when they wait on the same promise.
    public static func == (lhs: HTTPTransmission, rhs: HTTPTransmission) -> Bool {
        switch (lhs, rhs) {
        case (.normal, .normal), (.closeWithoutResponse, .closeWithoutResponse):
            return true
        case (.delayed(let a), .delayed(let b)):
            return a == b
        case (.truncated(let a), .truncated(let b)):
            return a == b
        case (.drip(let a, let x), .drip(let b, let y)):
            return a == b && x == y
        case (.deferred(let a), .deferred(let b)):
            return a === b
        case (.normal, _), (.delayed, _), (.closeWithoutResponse, _), (.truncated, _), (.drip, _), (.deferred, _):
            return false
        }
    }
}
