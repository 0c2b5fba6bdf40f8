#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import PayLinkHTTP
import Testing

/// Fault transmissions: held, cut or dripped responses, none of which stalls other clients.
/// Elapsed times are only checked from below (a wait can take longer under load, never shorter).
struct TransmissionTests {
    /// Answers `/delay`, `/drop`, `/truncate`, `/drip` with that transmission, anything else at
    /// once; signals `longDelayHandled` each time it holds a `/long-delay` answer for a minute.
    struct FaultyHandler: HTTPRequestHandler {
        let longDelayHandled = DispatchSemaphore(value: 0)

        func handle(_ request: HTTPRequest) -> HTTPResponse {
            var response = HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Array(String(repeating: "x", count: 100).utf8))
            switch request.path {
            case "/delay": response.transmission = .delayed(milliseconds: 300)
            case "/long-delay":
                response.transmission = .delayed(milliseconds: 60_000)
                longDelayHandled.signal()
            case "/drop": response.transmission = .closeWithoutResponse
            case "/truncate": response.transmission = .truncated(bodyBytes: 40)
            case "/drip": response.transmission = .drip(bytes: 10, intervalMilliseconds: 20)
            case "/now-and-close":
                response.transmission = .delayed(milliseconds: 0)
                response.headers.add(name: "Connection", value: "close")
            default: break
            }
            return response
        }

        func waitForLongDelay() -> Bool {
            longDelayHandled.wait(timeout: .now() + 5) == .success
        }
    }

    @Test func aHeldResponse_doesNotKeepOtherClientsWaiting() throws {
        let handler = FaultyHandler()
        try withServer(handler: handler) { _, port in
            let held = try TestClient(port: port)
            try held.send("GET /long-delay HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(handler.waitForLongDelay())
            // Held for a minute: answered now, the other client was not queued behind it.
            let other = try TestClient(port: port)
            try other.send("GET /now HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(other.readResponse()?.status == 200)
            #expect(!held.hasBytesWaiting())
        }
    }

    @Test func aDelayedResponse_arrivesWholeAfterItsDelay() throws {
        try withServer(handler: FaultyHandler()) { _, port in
            let slow = try TestClient(port: port)
            let started = monotonicNow()
            try slow.send("GET /delay HTTP/1.1\r\nHost: x\r\n\r\n")
            let late = slow.readResponse()
            #expect(late?.status == 200 && late?.body.count == 100)
            #expect(monotonicNow() - started >= 290)
        }
    }

    @Test func pipelinedRequests_keepTheirOrder_behindAHeldResponse() throws {
        try withServer(handler: FaultyHandler()) { _, port in
            let client = try TestClient(port: port)
            try client.send("GET /delay HTTP/1.1\r\nHost: x\r\n\r\nGET /now HTTP/1.1\r\nHost: x\r\n\r\n")
            let first = client.readResponse(), second = client.readResponse()
            #expect(first?.status == 200 && second?.status == 200)
        }
    }

    /// A closing response released in the same batch as an answer before it: the connection
    /// is half-closed and lingers, so bytes the client sent after it do not make the kernel
    /// reset the connection (and discard the answers) before the client reads them.
    @Test func aClosingResponseReleasedAtOnce_stillLingers() throws {
        try withServer(handler: FaultyHandler()) { _, port in
            for _ in 0..<20 {
                let client = try TestClient(port: port)
                // More than one read takes, so bytes are still unread in the kernel when the
                // connection is finished.
                let trailing = "POST /unread HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n" + String(repeating: "u", count: 200_000)
                try client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /now-and-close HTTP/1.1\r\nHost: x\r\n\r\n" + trailing)
                usleep(20_000)  // both answers are sent and the connection finished before we read
                #expect(client.readResponse()?.status == 200)
                let closing = client.readResponse()
                #expect(closing?.status == 200 && closing?.header("Connection") == "close")
                #expect(client.readsEOF())
                #expect(client.sawEOF && !client.sawReset, "half-closed and lingering, not reset")
                // A connection closed with unread bytes would have been reset: sending fails.
                #expect((try? client.send("still lingering")) != nil, "the server reset the connection instead of lingering")
            }
        }
    }

    @Test func droppedAndTruncatedResponses_closeTheConnection() throws {
        try withServer(handler: FaultyHandler()) { _, port in
            let dropped = try TestClient(port: port)
            try dropped.send("GET /drop HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(dropped.readsEOF())
            let truncated = try TestClient(port: port)
            try truncated.send("GET /truncate HTTP/1.1\r\nHost: x\r\n\r\n")
            var raw: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = chunk.withUnsafeMutableBytes { recv(truncated.fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                raw += chunk[0..<n]
            }
            let text = String(decoding: raw, as: UTF8.self)
            #expect(text.contains("Content-Length: 100"))
            #expect(text.hasSuffix(String(repeating: "x", count: 40)) && !text.hasSuffix(String(repeating: "x", count: 41)))
        }
    }

    @Test func aDrippedResponse_comesInPieces_andWhole() throws {
        try withServer(handler: FaultyHandler()) { _, port in
            let client = try TestClient(port: port)
            let started = monotonicNow()
            try client.send("GET /drip HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = client.readResponse()
            #expect(response?.body.count == 100)
            // The head and body together are well over 100 bytes: more than ten 20 ms steps.
            #expect(monotonicNow() - started >= 200)
        }
    }

    @Test func aClientThatLeavesDuringAHold_freesItsConnectionAtOnce() throws {
        var configuration = HTTPServerConfiguration(port: 0)
        configuration.maxConnections = 2
        let handler = FaultyHandler()
        try withServer(configuration, handler: handler) { _, port in
            for _ in 0..<2 {
                let impatient = try TestClient(port: port)
                try impatient.send("GET /long-delay HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(handler.waitForLongDelay())
                // Dropped here, its answer held: the client gives up on its 60-second answer.
            }
            // Had the held connections stayed, the cap of two would turn every newcomer away.
            let served = try eventually {
                let next = try TestClient(port: port)
                try? next.send("GET /now HTTP/1.1\r\nHost: x\r\n\r\n")
                return next.readResponse()?.status == 200
            }
            #expect(served)
        }
    }
}
