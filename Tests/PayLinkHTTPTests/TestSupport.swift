import PayLinkHTTP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A parsed response read by `TestClient`.
struct TestResponse {
    var status: Int
    var reason: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    func headerCount(_ name: String) -> Int {
        headers.filter { $0.name.lowercased() == name.lowercased() }.count
    }
}

struct TestClientError: Error, CustomStringConvertible {
    var description: String
}

/// A tiny blocking TCP client with a receive timeout, so a broken server fails a test instead of hanging it.
final class TestClient {
    let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var sawEOF = false
    private(set) var sawReset = false

    /// `source` binds the client to another loopback address first (`127.0.0.2`), so a test
    /// can tell the peer's address from a default.
    init(port: Int, timeoutSeconds: Int = 5, source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestClientError(description: "socket: \(errno)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                let code = errno
                Glibc.close(fd)
                throw TestClientError(description: "bind \(source): \(code)")
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TestClientError(description: "connect: \(code)")
        }
    }

    deinit { Glibc.close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestClientError(description: "send: \(errno)") }
            offset += n
        }
    }

    /// Shuts our sending side (the server sees EOF).
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads more bytes into the buffer; false on EOF, reset or timeout.
    @discardableResult
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        if n == 0 { sawEOF = true } else if errno == ECONNRESET { sawReset = true }
        return false
    }

    /// Reads one response. `head` means the request was HEAD (no body whatever Content-Length says).
    func readResponse(head: Bool = false) -> TestResponse? {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = findHeadEnd()
            if headEnd == nil && !fill() { return nil }
        }
        guard let end = headEnd else { return nil }
        let headText = String(decoding: buffer[0..<end], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " ")
            headers.append((name: name, value: value))
        }
        buffer.removeFirst(end + 4)
        var response = TestResponse(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, body: [])
        if head || status < 200 || status == 204 || status == 304 { return response }
        if let lengthText = response.header("Content-Length"), let length = Int(lengthText) {
            while buffer.count < length {
                if !fill() { return nil }
            }
            response.body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        } else {
            while fill() {}
            response.body = buffer
            buffer = []
        }
        return response
    }

    /// True when bytes from the server are waiting to be read; never blocks.
    func hasBytesWaiting() -> Bool {
        if !buffer.isEmpty { return true }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) > 0
    }

    /// True when the server closed (EOF or reset) with no further bytes.
    func readsEOF() -> Bool {
        if !buffer.isEmpty { return false }
        return !fill() && (sawEOF || sawReset)
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }

    func components(separatedBy separator: String) -> [String] {
        var result: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            result.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        result.append(String(rest))
        return result
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String { String(self).trimmingCharacters(in: set) }
}

/// A handler built from a closure.
struct ClosureHandler: HTTPRequestHandler {
    let body: @Sendable (HTTPRequest) -> HTTPResponse
    init(_ body: @escaping @Sendable (HTTPRequest) -> HTTPResponse) { self.body = body }
    func handle(_ request: HTTPRequest) -> HTTPResponse { body(request) }
}

/// Echoes the request: `METHOD target|path|query|body`, plus a few routes for tests.
struct EchoHandler: HTTPRequestHandler {
    func handle(_ request: HTTPRequest) -> HTTPResponse {
        if request.path == "/big", let size = Int(request.query ?? "") {
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/octet-stream"],
                                body: (0..<size).map { UInt8(truncatingIfNeeded: $0 % 251) })
        }
        if request.path == "/close" {
            return HTTPResponse(status: 200, headers: ["Connection": "close"], body: Array("bye".utf8))
        }
        if request.path == "/empty" {
            return HTTPResponse(status: 204)
        }
        let text = "\(request.method) \(request.target)|\(request.path)|\(request.query ?? "-")|" + String(decoding: request.body, as: UTF8.self)
        var headers: HTTPHeaders = ["Content-Type": "text/plain"]
        if let value = request.headers["X-Echo"] { headers.add(name: "X-Echo", value: value) }
        return HTTPResponse(status: 200, headers: headers, body: Array(text.utf8))
    }
}

/// Starts a server on an ephemeral port, runs `body`, and always stops the server.
@discardableResult
func withServer<T>(
    _ configuration: HTTPServerConfiguration = HTTPServerConfiguration(port: 0),
    handler: any HTTPRequestHandler = EchoHandler(),
    _ body: (HTTPServer, Int) throws -> T
) throws -> T {
    var configuration = configuration
    configuration.port = 0
    let server = HTTPServer(configuration: configuration, handler: handler)
    let port = try server.start()
    defer { server.stop() }
    return try body(server, port)
}

func sleepMillis(_ ms: Int) {
    usleep(useconds_t(ms * 1000))
}

/// Milliseconds on the monotonic clock, for lower bounds on how long something took.
func monotonicNow() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}

/// Polls `condition` until it holds, for an outcome that surely comes but not at a known moment
/// (the server noticing a client left). Returns false only after `timeoutMillis`, which is long
/// enough that reaching it means the outcome is not coming.
func eventually(timeoutMillis: Int64 = 5_000, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = monotonicNow() + timeoutMillis
    while true {
        if try condition() { return true }
        if monotonicNow() >= deadline { return false }
        sleepMillis(5)
    }
}
