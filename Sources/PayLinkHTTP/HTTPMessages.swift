/// The HTTP versions the server speaks.
public enum HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    case http1_0
    case http1_1

    public var description: String {
        switch self {
        case .http1_0: return "HTTP/1.0"
        case .http1_1: return "HTTP/1.1"
        }
    }
}

/// One complete request as received.
public struct HTTPRequest: Sendable, Equatable {
    /// As sent, e.g. "POST".
    public var method: String
    /// The request-target as sent, e.g. "/a/b?x=1".
    public var target: String
    /// The target up to '?', not percent-decoded. For an absolute-form target
    /// ("http://host/a?x") this is the path part ("/a").
    public var path: String
    /// After the first '?', raw; nil when the target has no '?'.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The client's IP address as text (`127.0.0.1`, `::1`), set by the server from the
    /// connection; nil for a request that did not come over a socket.
    public var peerAddress: String?

    // The initializers are in an extension so that the struct keeps its memberwise one
    // (internal), which the parser calls with `path` and `query` already known. An initializer
    // that sets the members one by one built the request in a temporary and copied it out (a
    // retain and a release of each of its seven references, about 390 instructions); the
    // memberwise one makes the value at once.
}

extension HTTPRequest {
    /// Derives `path` and `query` from `target`.
    public init(method: String, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        let (path, query) = HTTPRequest.splitTarget(target)
        self.init(method: method, target: target, path: path, query: query, version: version, headers: headers, body: body)
    }

    static func splitTarget(_ target: String) -> (path: String, query: String?) {
        // On the UTF-8 bytes: String.UTF8View index arithmetic cost more than the rest of the
        // request line. Offsets found here are byte offsets into `target`.
        var target = target
        let (pathStart, mark): (Int, Int?) = target.withUTF8 { utf8 in
            var pathStart = 0
            // absolute-form: scheme "://" authority path
            if utf8.count > 7, let schemeEnd = utf8.firstIndex(of: UInt8(ascii: ":")),
               utf8[0..<schemeEnd].allSatisfy({ isSchemeChar($0) }),
               utf8[schemeEnd...].starts(with: "://".utf8) {
                let authorityStart = schemeEnd + 3
                pathStart = utf8[authorityStart...].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) ?? utf8.count
            }
            return (pathStart, utf8[pathStart...].firstIndex(of: UInt8(ascii: "?")))
        }
        let utf8 = target.utf8
        if let mark {
            let path = String(target[utf8.index(utf8.startIndex, offsetBy: pathStart)..<utf8.index(utf8.startIndex, offsetBy: mark)])
            return (path.isEmpty ? "/" : path, String(target[utf8.index(utf8.startIndex, offsetBy: mark + 1)...]))
        }
        if pathStart == 0 { return (target, nil) }
        let path = String(target[utf8.index(utf8.startIndex, offsetBy: pathStart)...])
        return (path.isEmpty ? "/" : path, nil)
    }

    /// Whether the client asked to keep the connection open after this request:
    /// HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool {
        var close = false, keepAlive = false
        headers.forEachValueBytes(of: "connection") { value in
            forEachListElement(value) { token in
                if bytesEqualLowercase(token, "close") { close = true }
                else if bytesEqualLowercase(token, "keep-alive") { keepAlive = true }
            }
        }
        if close { return false }
        return version == .http1_1 || keepAlive
    }
}

@inline(__always)
private func isSchemeChar(_ c: UInt8) -> Bool {
    switch c {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
         UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
        return true
    default:
        return false
    }
}

/// A response from the handler. The server adds `Content-Length`, `Date` and `Connection` as needed;
/// `Content-Type` is the handler's.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// How the bytes go out: normally, or held back, cut off or dripped (fault injection).
    public var transmission: HTTPTransmission = .normal

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with `Content-Type: application/json`.
    public static func json(status: Int, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
    }
}

/// Called on the event-loop thread for every complete request, synchronously;
/// it must be fast and must not block. Slow work returns `HTTPResponse.deferred(_:)` at once and
/// completes the promise from another thread.
public protocol HTTPRequestHandler: Sendable {
    func handle(_ request: HTTPRequest) -> HTTPResponse
    /// Called on the event-loop thread before and after the requests of one wake of the loop
    /// (the events one wait of the poller returned): what the handler does for all of them at once,
    /// such as waking a log writer once for every change they made, goes in `loopBatchDidEnd`.
    func loopBatchWillStart()
    func loopBatchDidEnd()
    /// Whether `loopBatchDidEnd` would hand work to another thread (wake a log writer). The loop
    /// then looks for requests ready at once and takes them into the same batch first.
    var loopBatchOwesWork: Bool { get }
}

extension HTTPRequestHandler {
    public func loopBatchWillStart() {}
    public func loopBatchDidEnd() {}
    public var loopBatchOwesWork: Bool { false }
}

// MARK: - small byte helpers shared by the parser and the server

/// Calls `body` with each comma-separated element of an HTTP list value, OWS trimmed, empty elements skipped.
func forEachListElement(_ value: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    var index = 0
    let count = value.count
    while index < count {
        var end = index
        while end < count && value[end] != UInt8(ascii: ",") { end += 1 }
        var s = index, e = end
        while s < e && isOWS(value[s]) { s += 1 }
        while e > s && isOWS(value[e - 1]) { e -= 1 }
        if e > s { body(UnsafeBufferPointer(rebasing: value[s..<e])) }
        index = end + 1
    }
}

@inline(__always)
func isOWS(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

/// ASCII case-insensitive comparison of bytes against a lowercase ASCII literal.
@inline(__always)
func bytesEqualLowercase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercaseLiteral: StaticString) -> Bool {
    guard bytes.count == lowercaseLiteral.utf8CodeUnitCount else { return false }
    let literal = lowercaseLiteral.utf8Start
    for index in 0..<bytes.count where asciiLower(bytes[index]) != literal[index] {
        return false
    }
    return true
}
