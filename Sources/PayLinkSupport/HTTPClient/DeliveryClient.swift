#if canImport(Glibc)
import Glibc
#endif

/// Posts one notification and reports the merchant's HTTP status: a tiny blocking HTTP/1.1
/// client on a socket, used only from the delivery worker thread, never from the event loop.
/// Plain `http://` only: an offline sandbox has no certificates to offer, so `https://` URLs
/// fail with a clear error rather than pretending.
package struct DeliveryClient: Sendable {
    package var timeoutMilliseconds: Int32 = 5_000

    package struct Target: Sendable, Equatable {
        package var host: String
        package var port: UInt16
        package var path: String
    }

    package enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case unsupportedURL(String)
        case connect(String)
        case timeout
        case badResponse

        package var description: String {
            switch self {
            case .unsupportedURL(let why): "unsupported URL: \(why)"
            case .connect(let why): "connection failed: \(why)"
            case .timeout: "timed out waiting for the merchant"
            case .badResponse: "the answer was not an HTTP response"
            }
        }
    }

    package static func parse(_ url: String) -> Result<Target, Failure> {
        guard url.hasPrefix("http://") else {
            return .failure(.unsupportedURL(url.hasPrefix("https://") ? "https is not available offline; use http://" : "not an http:// URL"))
        }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let path = slash == rest.endIndex ? "/" : String(rest[slash...])
        var host = String(authority), port: UInt16 = 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let parsed = UInt16(authority[authority.index(after: colon)...]) else { return .failure(.unsupportedURL("bad port")) }
            host = String(authority[..<colon])
            port = parsed
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return .failure(.unsupportedURL("no host")) }
        return .success(Target(host: host == "localhost" ? "127.0.0.1" : host, port: port, path: path))
    }

    /// POSTs `body` and returns the status code of the answer.
    package func post(url: String, contentType: String, body: [UInt8]) -> Result<Int, Failure> {
        let target: Target
        switch Self.parse(url) {
        case .success(let t): target = t
        case .failure(let f): return .failure(f)
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(target.host, String(target.port), &hints, &list) == 0, let info = list else {
            return .failure(.connect("cannot resolve \(target.host)"))
        }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(.connect("socket: errno \(errno)")) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: Int(timeoutMilliseconds / 1000), tv_usec: Int(timeoutMilliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            return .failure(errno == EINPROGRESS || errno == EAGAIN ? .timeout : .connect("errno \(errno) connecting to \(target.host):\(target.port)"))
        }
        let head = "POST \(target.path) HTTP/1.1\r\nHost: \(target.host):\(target.port)\r\nUser-Agent: paylink-sandbox\r\n"
            + "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let request = Array(head.utf8) + body
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return .failure(errno == EAGAIN ? .timeout : .connect("send: errno \(errno)")) }
            sent += n
        }
        // Only the status line matters: "the response body is ignored".
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1_024)
        while !received.contains(UInt8(ascii: "\n")) && received.count < 8_192 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure(errno == EAGAIN ? .timeout : .connect("recv: errno \(errno)")) }
            if n == 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        let line = String(decoding: received.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else { return .failure(.badResponse) }
        return .success(status)
    }

    package init(timeoutMilliseconds: Int32 = 5_000) {
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}
