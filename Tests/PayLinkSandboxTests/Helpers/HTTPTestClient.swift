import Foundation
import PayLinkHTTP
@testable import PayLinkSandbox
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deliberately plain HTTP/1.1 client over a blocking socket: one request per connection,
/// read to EOF. Independent of the server's own code, so tests see the bytes a client sees.
/// Made with a service instead of a port, it hands each request to `SandboxService.handle` in
/// memory: the same test then runs without a socket (see `TestTransport`).
struct HTTPTestClient {
    let port: Int
    /// Set for the in-memory transport.
    let service: SandboxService?
    /// Another loopback address to send from (`127.0.0.2`), so a test can tell the address the
    /// server saw from a default; nil sends from the system's choice.
    var sourceAddress: String?

    init(port: Int) {
        self.port = port
        service = nil
    }

    init(service: SandboxService) {
        port = 0
        self.service = service
    }

    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    struct ClientError: Error, CustomStringConvertible { let description: String }

    func request(_ method: String, _ path: String, body: [UInt8] = [], headers: [(String, String)] = []) throws -> Response {
        if let service {
            var fields = HTTPHeaders()
            for (name, value) in headers { fields.add(name: name, value: value) }
            let answer = service.handleInline(HTTPRequest(method: method, target: path, headers: fields, body: body))
            return Response(status: answer.status, headers: answer.headers.map { ($0.name, $0.value) }, body: method == "HEAD" ? [] : answer.body)
        }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let raw = try exchange(Array(head.utf8) + body)
        return try Self.parse(raw)
    }

    func post(_ path: String, json: String) throws -> Response {
        try request("POST", path, body: Array(json.utf8), headers: [("Content-Type", "application/json")])
    }

    func get(_ path: String) throws -> Response { try request("GET", path) }

    /// `POST /__sandbox/settle`: returns once every piece of background work due now on the
    /// sandbox clock (deliveries, settlements, batch files, expiries) has run.
    func settle() throws {
        let response = try post("/__sandbox/settle", json: "")
        guard response.status == 200 else { throw ClientError(description: "settle answered \(response.status): \(response.text)") }
    }

    /// Sends raw bytes and returns everything the server sent until it closed.
    func exchange(_ bytes: [UInt8]) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let sourceAddress {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(sourceAddress)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw ClientError(description: "bind to \(sourceAddress) failed: errno \(errno)") }
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ClientError(description: "connect to port \(port) failed: errno \(errno)") }
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ClientError(description: "send failed: errno \(errno)") }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { received.append(contentsOf: buffer[0..<n]) } else { break }
        }
        return received
    }

    static func parse(_ raw: [UInt8]) throws -> Response {
        guard let end = raw.firstRange(of: Array("\r\n\r\n".utf8)) else {
            throw ClientError(description: "no complete response head in \(raw.count) bytes: \(String(decoding: raw, as: UTF8.self))")
        }
        let head = String(decoding: raw[..<end.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw ClientError(description: "bad status line in \(head)") }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Array(raw[end.upperBound...])
        if let length = headers.first(where: { $0.0.lowercased() == "content-length" }).flatMap({ Int($0.1) }) {
            body = Array(body.prefix(length))
        }
        return Response(status: status, headers: headers, body: body)
    }
}
