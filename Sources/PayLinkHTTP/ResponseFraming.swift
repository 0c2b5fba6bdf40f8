/// What of a request shapes its response's bytes: a HEAD gets no body, and HTTP/1.0 or
/// `Connection: close` end the connection. Kept so an answer written later (a deferred
/// response) is framed exactly as one written at once.
struct ResponseFraming: Equatable {
    var isHead: Bool
    var version: HTTPVersion
    var keepAlive: Bool

    init(isHead: Bool, version: HTTPVersion, keepAlive: Bool) {
        self.isHead = isHead
        self.version = version
        self.keepAlive = keepAlive
    }

    init(for request: HTTPRequest) {
        self.init(isHead: request.method == "HEAD", version: request.version, keepAlive: request.keepAlive)
    }
}

extension ResponseWriter {
    /// Appends `response` framed for its request; true when the connection must close after it.
    func write(_ response: HTTPResponse, to out: inout [UInt8], framing: ResponseFraming) -> Bool {
        write(response, to: &out, isHead: framing.isHead, version: framing.version, keepAlive: framing.keepAlive)
    }
}
