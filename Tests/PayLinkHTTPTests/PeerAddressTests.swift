import Testing
@testable import PayLinkHTTP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Each request carries the address of the connection it came on (`HTTPRequest.peerAddress`).
@Suite("Peer address")
struct PeerAddressTests {
    static let echoPeer = ClosureHandler { request in
        HTTPResponse(status: 200, body: Array((request.peerAddress ?? "none").utf8))
    }

    @Test func everyRequest_carriesTheClientsIPv4Address() throws {
        try withServer(handler: Self.echoPeer) { _, port in
            let client = try TestClient(port: port, source: "127.0.0.2")
            for _ in 0..<2 {
                try client.send("GET /who HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try #require(client.readResponse()).text == "127.0.0.2")
            }
            let other = try TestClient(port: port)
            try other.send("GET /who HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try #require(other.readResponse()).text == "127.0.0.1")
        }
    }

    @Test(.enabled(if: Self.ipv6LoopbackWorks())) func anIPv6Client_isGivenInIPv6Text() throws {
        try withServer(HTTPServerConfiguration(host: "::1", port: 0), handler: Self.echoPeer) { _, port in
            let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
            #expect(fd >= 0)
            defer { close(fd) }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            address.sin6_addr = in6addr_loopback
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
            #expect(connected == 0)
            let request = Array("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".utf8)
            _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 { received.append(contentsOf: buffer[0..<n]) } else { break }
            }
            #expect(String(decoding: received, as: UTF8.self).hasSuffix("\r\n\r\n::1"))
        }
    }

    @Test func aRequestMadeInMemory_hasNoPeer() {
        #expect(HTTPRequest(method: "GET", target: "/").peerAddress == nil)
    }

    static func ipv6LoopbackWorks() -> Bool {
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        } == 0
    }
}
