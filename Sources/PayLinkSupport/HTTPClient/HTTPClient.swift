#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The sandbox's one HTTP client: blocking, one request per connection (`Connection: close`),
/// plain `http://` only, with a timeout on every step. Used off the event loop only: by the
/// delivery service posting notifications to merchants, and by the scenario runner talking to
/// the sandbox under test. It reports what a client would see, failures included (no answer,
/// a body cut short, no answer in time), since faults make those on purpose.
package struct HTTPClient: Sendable {
    package var timeoutMilliseconds: Int

    package init(timeoutMilliseconds: Int = 5_000) { self.timeoutMilliseconds = timeoutMilliseconds }

    /// Where a URL points.
    package struct Target: Sendable, Equatable {
        package var host: String
        package var port: UInt16
        /// With the query, as the request line carries it.
        package var path: String

        package init(host: String, port: UInt16, path: String) {
            self.host = host
            self.port = port
            self.path = path
        }
    }

    package struct Response: Sendable {
        package var status: Int
        package var headers: [(String, String)]
        package var body: [UInt8]

        package func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    package enum Outcome: Sendable {
        case response(Response)
        /// The connection closed before a complete head arrived.
        case closed
        /// The head arrived but the body stopped short of its `Content-Length`.
        case truncated(Response)
        case timeout
        /// An answer came, but not an HTTP one.
        case notHTTP
        /// No connection, or it broke; the message says how.
        case failed(String)

        /// The outcome's kind, for transcripts.
        package var transport: String {
            switch self {
            case .response: "response"
            case .closed: "closed"
            case .truncated: "truncated"
            case .timeout: "timeout"
            case .notHTTP, .failed: "failed"
            }
        }

        /// The response, whole or cut short.
        package var response: Response? {
            switch self {
            case .response(let response), .truncated(let response): response
            default: nil
            }
        }
    }

    /// How much of the answer to read: all of it, or just the status line (a merchant's
    /// notification endpoint: "the response body is ignored", and one that holds the
    /// connection open must not make the delivery wait for the timeout).
    package enum Reading: Sendable { case whole, statusLine }

    package struct URLError: Error, Sendable, Equatable, CustomStringConvertible {
        package let description: String
    }

    /// `http://host[:port][/path]`; `localhost` is 127.0.0.1. An offline sandbox has no
    /// certificates to offer, so `https://` is refused with a clear reason rather than faked.
    package static func parse(_ url: String) throws(URLError) -> Target {
        guard url.hasPrefix("http://") else {
            throw URLError(description: url.hasPrefix("https://") ? "https is not available offline; use http://" : "not an http:// URL")
        }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let path = slash == rest.endIndex ? "/" : String(rest[slash...])
        var host = String(authority), port: UInt16 = 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let parsed = UInt16(authority[authority.index(after: colon)...]) else { throw URLError(description: "bad port") }
            host = String(authority[..<colon])
            port = parsed
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw URLError(description: "no host") }
        return Target(host: host == "localhost" ? "127.0.0.1" : host, port: port, path: path)
    }

    /// Sends one request and reads the answer as `reading` says.
    package func send(_ method: String, to target: Target, headers: [(String, String)] = [], body: [UInt8] = [],
                      reading: Reading = .whole) -> Outcome {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(target.host, String(target.port), &hints, &list) == 0, let info = list else {
            return .failed("cannot resolve \(target.host)")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failed("socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: (timeoutMilliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            return code == EINPROGRESS || code == EAGAIN ? .timeout : .failed("\(String(cString: strerror(code)).lowercased()) (errno \(code)) connecting to \(target.host):\(target.port)")
        }
        var head = "\(method) \(target.path) HTTP/1.1\r\nHost: \(target.host):\(target.port)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "Connection: close\r\n\r\n"
        let request = Array(head.utf8) + body
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return errno == EAGAIN ? .timeout : .failed("send: errno \(errno)") }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while reading == .whole || (!received.contains(UInt8(ascii: "\n")) && received.count < 8_192) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                guard errno != EAGAIN && errno != EWOULDBLOCK else { return .timeout }
                if reading == .statusLine || received.isEmpty { return .failed("recv: errno \(errno)") }
                break
            }
            if n == 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        return reading == .whole ? Self.interpret(received) : Self.statusLine(received)
    }

    private static func statusLine(_ raw: [UInt8]) -> Outcome {
        let line = String(decoding: raw.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else { return .notHTTP }
        return .response(Response(status: status, headers: [], body: []))
    }

    /// A response read to EOF (the request said `Connection: close`).
    package static func interpret(_ raw: [UInt8]) -> Outcome {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = raw.indices.dropLast(3).first(where: { raw[$0..<($0 + 4)].elementsEqual(separator) }) else { return .closed }
        let lines = String(decoding: raw[..<end], as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return .notHTTP }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" })))
        }
        let body = Array(raw[(end + 4)...])
        let response = Response(status: status, headers: headers, body: body)
        if let length = response.header("Content-Length").flatMap(Int.init), body.count < length { return .truncated(response) }
        return .response(response)
    }
}
