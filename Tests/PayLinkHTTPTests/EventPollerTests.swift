import CEpoll
import Testing
@testable import PayLinkHTTP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Both backends of the event loop's wait report the same things for the same descriptors.
/// (`PAYLINK_EVENT_BACKEND=poll swift test` runs every server test against poll as well.)
@Suite("EventPoller, epoll and poll")
struct EventPollerTests {
    static let backends = EventBackend.allCases.filter(\.isAvailable)

    /// A pipe: (read end, write end), both closed at the end of `body`.
    private func withPipe(_ body: (Int32, Int32) throws -> Void) throws {
        var ends: [Int32] = [-1, -1]
        #expect(cepoll_pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        try body(ends[0], ends[1])
    }

    private func events(_ poller: EventPoller, timeout: Int32 = 0) -> [(UInt64, UInt32)] {
        let count = poller.wait(timeout: timeout)
        return (0..<max(0, count)).map { (poller.token(at: $0), poller.flags(at: $0)) }
    }

    @Test(arguments: backends)
    func readiness_followsInterest_andTokens(backend: EventBackend) throws {
        let poller = try EventPoller(backend: backend, capacity: 8)
        try withPipe { reading, writing in
            #expect(poller.add(reading, events: CEPOLL_IN, token: 7))
            #expect(events(poller).isEmpty, "nothing written yet")

            var byte: UInt8 = 1
            #expect(write(writing, &byte, 1) == 1)
            let ready = events(poller, timeout: 1_000)
            #expect(ready.count == 1)
            #expect(ready.first?.0 == 7)
            #expect((ready.first?.1 ?? 0) & CEPOLL_IN != 0)
            // Level-triggered: still readable until read.
            #expect(events(poller).count == 1)

            #expect(poller.modify(reading, events: 0, token: 8))
            #expect(events(poller).isEmpty, "no interest, no hang-up: nothing")
            #expect(poller.modify(reading, events: CEPOLL_IN, token: 9))
            #expect(events(poller).first?.0 == 9, "the new token")

            poller.remove(reading)
            if backend == .poll { #expect(events(poller).isEmpty, "removed") }
        }
    }

    @Test(arguments: backends)
    func aClosedWriteEnd_isAHangUp(backend: EventBackend) throws {
        let poller = try EventPoller(backend: backend, capacity: 8)
        var ends: [Int32] = [-1, -1]
        #expect(cepoll_pipe(&ends) == 0)
        defer { close(ends[0]) }
        #expect(poller.add(ends[0], events: CEPOLL_IN, token: 3))
        close(ends[1])
        let ready = events(poller, timeout: 1_000)
        #expect(ready.count == 1)
        #expect((ready.first?.1 ?? 0) & CEPOLL_HUP != 0)
    }

    @Test func theCapacity_boundsOneWait_andTheRestComesNext() throws {
        let poller = try EventPoller(backend: .poll, capacity: 2)
        var pipes: [[Int32]] = []
        defer { for ends in pipes { close(ends[0]); close(ends[1]) } }
        for token in 0..<5 {
            var ends: [Int32] = [-1, -1]
            #expect(cepoll_pipe(&ends) == 0)
            pipes.append(ends)
            #expect(poller.add(ends[0], events: CEPOLL_IN, token: UInt64(token)))
            var byte: UInt8 = 1
            #expect(write(ends[1], &byte, 1) == 1)
        }
        #expect(events(poller).count == 2)
        // Removing entries (swapped into their places) keeps every other one reachable.
        poller.remove(pipes[0][0])
        poller.remove(pipes[3][0])
        #expect(Set(events(poller, timeout: 0).map(\.0)).isSubset(of: [1, 2, 4]))
        #expect(!poller.add(pipes[1][0], events: CEPOLL_IN, token: 1), "added twice is refused")
        #expect(!poller.modify(pipes[0][0], events: CEPOLL_IN, token: 0), "a removed descriptor cannot be modified")
    }

    @Test func aServerOnPoll_servesManyKeepAliveConnections_andClosesThem() throws {
        try withServer(HTTPServerConfiguration(port: 0, eventBackend: .poll)) { _, port in
            let clients = try (0..<40).map { _ in try TestClient(port: port) }
            for round in 0..<3 {
                for (index, client) in clients.enumerated() {
                    try client.send("GET /c\(index)-\(round) HTTP/1.1\r\nHost: a\r\n\r\n")
                }
                for (index, client) in clients.enumerated() {
                    let response = try #require(client.readResponse())
                    #expect(response.text.hasPrefix("GET /c\(index)-\(round)|"))
                }
            }
            try clients[0].send("GET /close HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(clients[0].readResponse()?.text == "bye")
            #expect(clients[0].readsEOF())
            // A fresh connection after the others: descriptors are reused and still served.
            let late = try TestClient(port: port)
            try late.send("POST /late HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok")
            #expect(late.readResponse()?.text == "POST /late|/late|-|ok")
        }
    }
}
