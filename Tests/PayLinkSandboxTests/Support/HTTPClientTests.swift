import Foundation
import Testing
@testable import PayLinkSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one blocking client against a raw listener that answers exactly what each test says:
/// what a merchant endpoint or a faulted sandbox can do to it.
struct HTTPClientTests {
    /// Accepts one connection, reads the request head, writes `reply`, then closes or holds the
    /// connection open until the test is over.
    final class CannedServer: Sendable {
        let port: UInt16
        private let listener: Int32

        init(reply: [UInt8], holdOpen: Bool = false) throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let port = try Self.bindToAFreePort(fd)
            guard listen(fd, 1) == 0 else { throw HTTPClient.URLError(description: "cannot listen") }
            self.listener = fd
            self.port = port
            Thread {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                var buffer = [UInt8](repeating: 0, count: 4096)
                _ = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                _ = reply.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if holdOpen { _ = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) } }
                close(client)
            }.start()
        }

        deinit { close(listener) }

        static func bindToAFreePort(_ fd: Int32) throws -> UInt16 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard bound else { throw HTTPClient.URLError(description: "cannot bind") }
            return UInt16(bigEndian: address.sin_port)
        }

        var target: HTTPClient.Target { HTTPClient.Target(host: "127.0.0.1", port: port, path: "/notify") }
    }

    @Test func aWholeResponse_isReadToTheEnd() throws {
        let server = try CannedServer(reply: Array("HTTP/1.1 201 Created\r\nContent-Length: 2\r\nX-A: b\r\n\r\nok".utf8))
        guard case .response(let response) = HTTPClient(timeoutMilliseconds: 2_000).send("POST", to: server.target, body: [1]) else {
            Issue.record("no response")
            return
        }
        #expect(response.status == 201 && response.header("x-a") == "b" && response.body == Array("ok".utf8))
    }

    @Test func aBodyShortOfItsLength_isTruncated() throws {
        let server = try CannedServer(reply: Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf".utf8))
        guard case .truncated(let response) = HTTPClient(timeoutMilliseconds: 2_000).send("GET", to: server.target) else {
            Issue.record("not reported as truncated")
            return
        }
        #expect(response.status == 200 && response.body == Array("half".utf8))
    }

    @Test func anAnswerThatIsNotHTTP_isSaidSo_inBothReadings() throws {
        for reading in [HTTPClient.Reading.whole, .statusLine] {
            let server = try CannedServer(reply: Array("SSH-2.0-OpenSSH\r\n\r\n".utf8))
            let outcome = HTTPClient(timeoutMilliseconds: 2_000).send("POST", to: server.target, reading: reading)
            guard case .notHTTP = outcome else {
                Issue.record("\(reading): \(outcome.transport)")
                continue
            }
        }
    }

    @Test func aConnectionClosedWithoutAnswer_isClosed() throws {
        let server = try CannedServer(reply: [])
        guard case .closed = HTTPClient(timeoutMilliseconds: 2_000).send("GET", to: server.target) else {
            Issue.record("not reported as closed")
            return
        }
    }

    /// A merchant that answers and keeps the connection open: the status line is enough, the
    /// delivery does not wait for the timeout.
    @Test func theStatusLineReading_doesNotWaitForAHeldConnection() throws {
        let server = try CannedServer(reply: Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".utf8), holdOpen: true)
        let started = ContinuousClock.now
        let outcome = HTTPClient(timeoutMilliseconds: 5_000).send("POST", to: server.target, reading: .statusLine)
        #expect(outcome.response?.status == 200)
        #expect(ContinuousClock.now - started < .seconds(4), "it waited for the timeout")
    }

    @Test func nobodyListening_isAFailedConnection() throws {
        // A port bound and closed again, never listened on: connecting is refused.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let port = try CannedServer.bindToAFreePort(fd)
        close(fd)
        guard case .failed(let why) = HTTPClient(timeoutMilliseconds: 2_000).send("GET", to: .init(host: "127.0.0.1", port: port, path: "/")) else {
            Issue.record("not reported as a failed connection")
            return
        }
        #expect(why.contains("connecting to 127.0.0.1"))
    }
}
