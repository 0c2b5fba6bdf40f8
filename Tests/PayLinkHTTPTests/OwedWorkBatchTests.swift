import PayLinkHTTP
import Synchronization
import Testing

/// A handler whose batches owe work to another thread (`loopBatchOwesWork`, the state log's
/// writer in the sandbox) has the loop look for more requests before the batch ends; the batch
/// must still end, every request inside one, and no answer may wait for the end.
struct OwedWorkBatchTests {
    final class OwingHandler: HTTPRequestHandler {
        struct Counts {
            var started = 0
            var ended = 0
            var open = false
            var handledOutsideABatch = 0
            var handled = 0
        }

        let counts = Mutex(Counts())

        func handle(_ request: HTTPRequest) -> HTTPResponse {
            counts.withLock { counts in
                counts.handled += 1
                if !counts.open { counts.handledOutsideABatch += 1 }
            }
            return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Array(request.path.utf8))
        }

        func loopBatchWillStart() { counts.withLock { $0.started += 1; $0.open = true } }
        func loopBatchDidEnd() { counts.withLock { $0.ended += 1; $0.open = false } }
        /// Always: the loop's bound, not the handler, ends each batch.
        var loopBatchOwesWork: Bool { true }
    }

    @Test func batchesThatAlwaysOweWork_stillEnd_andEveryRequestIsAnsweredInOne() throws {
        let handler = OwingHandler()
        try withServer(handler: handler) { _, port in
            let clients = try (0..<4).map { _ in try TestClient(port: port) }
            for round in 0..<25 {
                for (index, client) in clients.enumerated() {
                    try client.send("GET /c\(index)-r\(round) HTTP/1.1\r\nHost: a\r\n\r\n")
                }
                for (index, client) in clients.enumerated() {
                    let response = try #require(client.readResponse())
                    #expect(response.text == "/c\(index)-r\(round)")
                }
            }
        }
        // The server has stopped: its loop's last batch is over.
        let counts = handler.counts.withLock { $0 }
        #expect(counts.handled == 100)
        #expect(counts.handledOutsideABatch == 0)
        #expect(counts.started == counts.ended && !counts.open)
        #expect(counts.ended >= 1)
    }
}
