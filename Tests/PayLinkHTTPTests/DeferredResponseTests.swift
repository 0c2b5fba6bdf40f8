import Dispatch
import Synchronization
import Testing
@testable import PayLinkHTTP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Answers `/deferred…` with a deferred response whose promise the test completes (the gate),
/// `/complete-at-once` with a promise completed before it is returned, `/reuse` with the last
/// promise handed out, and echoes anything else at once.
final class DeferringHandler: HTTPRequestHandler {
    private let handedOut = Mutex<[(path: String, promise: HTTPResponsePromise)]>([])
    private let calls = Mutex<[String]>([])
    private let latest = Mutex<HTTPResponsePromise?>(nil)
    private let arrivals = DispatchSemaphore(value: 0)

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        calls.withLock { $0.append(request.path) }
        if request.path.hasPrefix("/deferred") {
            let promise = HTTPResponsePromise()
            handedOut.withLock { $0.append((request.path, promise)) }
            latest.withLock { $0 = promise }
            arrivals.signal()
            return .deferred(promise)
        }
        if request.path == "/complete-at-once" {
            let promise = HTTPResponsePromise()
            promise.complete(HTTPResponse(status: 201, body: Array("at once".utf8)))
            return .deferred(promise)
        }
        if request.path == "/reuse", let last = latest.withLock({ $0 }) {
            return .deferred(last)
        }
        return EchoHandler().handle(request)
    }

    /// The paths the handler was called with, in order.
    var paths: [String] { calls.withLock { $0 } }

    /// Waits until the handler has deferred one more request; returns its path and promise.
    func nextDeferred(sourceLocation: SourceLocation = #_sourceLocation) throws -> (path: String, promise: HTTPResponsePromise) {
        guard arrivals.wait(timeout: .now() + 5) == .success else {
            throw TestClientError(description: "the handler deferred nothing within 5 s")
        }
        return handedOut.withLock { $0.removeFirst() }
    }
}

/// Completes `promise` from another thread, as a worker finishing slow work would.
func completeElsewhere(_ promise: HTTPResponsePromise, with response: HTTPResponse) {
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        promise.complete(response)
        done.signal()
    }
    done.wait()
}

func text(_ body: String, status: Int = 200) -> HTTPResponse {
    HTTPResponse(status: status, headers: ["Content-Type": "text/plain"], body: Array(body.utf8))
}

@Suite("Deferred responses")
struct DeferredResponseTests {
    @Test func whileOneConnectionWaitsOnADeferredResponse_anotherIsAnswered() throws {
        let handler = DeferringHandler()
        try withServer(handler: handler) { _, port in
            let waiting = try TestClient(port: port)
            try waiting.send("GET /deferred/export HTTP/1.1\r\nHost: x\r\n\r\n")
            let (_, promise) = try handler.nextDeferred()
            // The gate is closed: the export cannot be answered until the test completes it.
            let other = try TestClient(port: port)
            try other.send("GET /status HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(other.readResponse()?.text.hasPrefix("GET /status|") == true)
            #expect(!waiting.hasBytesWaiting(), "nothing is sent before the promise is completed")

            completeElsewhere(promise, with: text("exported"))
            let answer = waiting.readResponse()
            #expect(answer?.status == 200 && answer?.text == "exported")
            #expect(answer?.header("Content-Length") == "8")
            // The connection is kept alive and reads requests again.
            try waiting.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(waiting.readResponse()?.text.hasPrefix("GET /next|") == true)
        }
    }

    /// A group of promises completed together (a group commit's answers): each connection gets
    /// its own answer, a promise already completed keeps its first answer, and a promise not yet
    /// returned by the handler is answered at once when it is.
    @Test func promisesCompletedTogether_eachAnswerItsOwnConnection() throws {
        let handler = DeferringHandler()
        try withServer(handler: handler) { _, port in
            let clients = try (0..<3).map { _ in try TestClient(port: port) }
            var promises: [HTTPResponsePromise] = []
            for (index, client) in clients.enumerated() {
                try client.send("GET /deferred/\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                promises.append(try handler.nextDeferred().promise)
            }
            promises[2].complete(text("first answer"))
            #expect(clients[2].readResponse()?.text == "first answer")
            let fresh = HTTPResponsePromise()
            let done = DispatchSemaphore(value: 0)
            let group = [(promises[0], text("zero")), (promises[1], text("one")), (promises[2], text("ignored")), (fresh, text("completed early"))]
            DispatchQueue.global().async {
                HTTPResponsePromise.complete(group)
                done.signal()
            }
            done.wait()
            #expect(clients[0].readResponse()?.text == "zero")
            #expect(clients[1].readResponse()?.text == "one")
            #expect(!clients[2].hasBytesWaiting(), "a promise answers once")
            guard case .completed(let early) = fresh.claim(for: 1, mailbox: LoopMailbox(wakeFD: -1)) else {
                Issue.record("a promise completed in a group before it was returned is not answered at once")
                return
            }
            #expect(early.body == Array("completed early".utf8))
        }
    }

    @Test func pipelinedRequestsBehindADeferredResponse_keepTheirOrder() throws {
        let handler = DeferringHandler()
        try withServer(handler: handler) { _, port in
            let client = try TestClient(port: port)
            try client.send("GET /deferred/1 HTTP/1.1\r\n\r\nGET /now/2 HTTP/1.1\r\n\r\nGET /deferred/3 HTTP/1.1\r\n\r\nHEAD /now/4 HTTP/1.1\r\n\r\n")
            let first = try handler.nextDeferred()
            #expect(first.path == "/deferred/1")
            #expect(handler.paths == ["/deferred/1"], "nothing behind a deferred answer is handled meanwhile")
            completeElsewhere(first.promise, with: text("one"))
            #expect(client.readResponse()?.text == "one")
            #expect(client.readResponse()?.text.hasPrefix("GET /now/2|") == true)
            let third = try handler.nextDeferred()
            #expect(third.path == "/deferred/3")
            completeElsewhere(third.promise, with: text("three"))
            #expect(client.readResponse()?.text == "three")
            let head = client.readResponse(head: true)
            #expect(head?.status == 200 && head?.body.isEmpty == true)
            #expect(handler.paths == ["/deferred/1", "/now/2", "/deferred/3", "/now/4"])
        }
    }

    /// While an answer is deferred the connection goes on reading (its poller interest is not
    /// changed for every deferred answer), buffering what comes up to a limit and leaving the
    /// rest in the socket: requests sent meanwhile, one larger than the limit among them, are
    /// answered after it, in order.
    @Test func requestsSentWhileAnAnswerIsDeferred_areAnsweredAfterIt_inOrder() throws {
        let handler = DeferringHandler()
        try withServer(handler: handler) { _, port in
            let client = try TestClient(port: port)
            try client.send("GET /deferred/1 HTTP/1.1\r\n\r\n")
            let first = try handler.nextDeferred()
            let body = String(repeating: "b", count: 3 * ConnectionPolicy.defaultDeferredInputLimit / 2)
            try client.send("POST /now/2 HTTP/1.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)GET /now/3 HTTP/1.1\r\n\r\n")
            completeElsewhere(first.promise, with: text("one"))
            #expect(client.readResponse()?.text == "one")
            #expect(client.readResponse()?.text.hasPrefix("POST /now/2|") == true)
            #expect(client.readResponse()?.text.hasPrefix("GET /now/3|") == true)
            #expect(handler.paths == ["/deferred/1", "/now/2", "/now/3"])
        }
    }

    @Test func aDeferredAnswerToAHeadOrHTTP10Request_isFramedForThatRequest() throws {
        let handler = DeferringHandler()
        try withServer(handler: handler) { _, port in
            let head = try TestClient(port: port)
            try head.send("HEAD /deferred/h HTTP/1.1\r\n\r\n")
            completeElsewhere(try handler.nextDeferred().promise, with: text("body"))
            let headAnswer = head.readResponse(head: true)
            #expect(headAnswer?.header("Content-Length") == "4")
            try head.send("GET /after HTTP/1.1\r\n\r\n")
            #expect(head.readResponse()?.text.hasPrefix("GET /after|") == true, "no body bytes were sent for the HEAD")

            let old = try TestClient(port: port)
            try old.send("GET /deferred/old HTTP/1.0\r\n\r\n")
            completeElsewhere(try handler.nextDeferred().promise, with: text("old"))
            let oldAnswer = old.readResponse()
            #expect(oldAnswer?.text == "old" && oldAnswer?.header("Connection") == "close")
            #expect(old.readsEOF())
        }
    }

    @Test func aPromiseCompletedBeforeItIsReturned_isAnsweredAtOnce_andLaterCompletionsAreIgnored() throws {
        let handler = DeferringHandler()
        try withServer(handler: handler) { _, port in
            let client = try TestClient(port: port)
            try client.send("GET /complete-at-once HTTP/1.1\r\n\r\n")
            let answer = client.readResponse()
            #expect(answer?.status == 201 && answer?.text == "at once")

            try client.send("GET /deferred/twice HTTP/1.1\r\n\r\n")
            let promise = try handler.nextDeferred().promise
            completeElsewhere(promise, with: text("first"))
            completeElsewhere(promise, with: text("second"))
            #expect(client.readResponse()?.text == "first")
            try client.send("GET /after HTTP/1.1\r\n\r\n")
            #expect(client.readResponse()?.text.hasPrefix("GET /after|") == true, "the second completion was dropped")
        }
    }

    @Test func aPromiseReturnedForTwoRequests_failsTheSecond() throws {
        let handler = DeferringHandler()
        try withServer(handler: handler) { _, port in
            let first = try TestClient(port: port)
            try first.send("GET /deferred/shared HTTP/1.1\r\n\r\n")
            let promise = try handler.nextDeferred().promise
            let second = try TestClient(port: port)
            try second.send("GET /reuse HTTP/1.1\r\n\r\n")
            ServerTests.expectJSONError(second.readResponse(), status: 500)
            completeElsewhere(promise, with: text("shared"))
            #expect(first.readResponse()?.text == "shared")
        }
    }

    @Test func aClientThatLeavesWhileWaiting_freesItsConnection_andTheLaterCompletionIsDropped() throws {
        let handler = DeferringHandler()
        let configuration = HTTPServerConfiguration(port: 0, maxConnections: 1)
        try withServer(configuration, handler: handler) { _, port in
            var leaving: TestClient? = try TestClient(port: port)
            try leaving?.send("GET /deferred/abandoned HTTP/1.1\r\n\r\n")
            let promise = try handler.nextDeferred().promise
            leaving = nil  // closes the socket
            // With a cap of one connection, a newcomer is served only once the server has let
            // the waiting connection go; it likely reuses the same descriptor number.
            var newcomer: TestClient?
            let served = try eventually {
                let client = try TestClient(port: port)
                try? client.send("GET /newcomer HTTP/1.1\r\n\r\n")
                guard client.readResponse()?.status == 200 else { return false }
                newcomer = client
                return true
            }
            #expect(served, "the abandoned connection kept its slot")
            completeElsewhere(promise, with: text("stale"))
            try newcomer?.send("GET /mine HTTP/1.1\r\n\r\n")
            #expect(newcomer?.readResponse()?.text.hasPrefix("GET /mine|") == true, "the stale answer went nowhere")
        }
    }

    @Test func stoppingTheServer_doesNotWaitForAPendingPromise_andALaterCompletionIsIgnored() throws {
        let handler = DeferringHandler()
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0), handler: handler)
        let port = try server.start()
        let client = try TestClient(port: port)
        try client.send("GET /deferred/forever HTTP/1.1\r\n\r\n")
        let promise = try handler.nextDeferred().promise
        server.stop()
        #expect(server.port == nil)
        #expect(client.readsEOF())
        completeElsewhere(promise, with: text("too late"))

        // A restarted server has a new loop; the old promise cannot reach it.
        let again = try server.start()
        defer { server.stop() }
        let next = try TestClient(port: again)
        try next.send("GET /fresh HTTP/1.1\r\n\r\n")
        #expect(next.readResponse()?.text.hasPrefix("GET /fresh|") == true)
    }

    @Test func noTimeoutRunsWhileTheServerWorksOnADeferredAnswer() throws {
        let handler = DeferringHandler()
        let configuration = HTTPServerConfiguration(port: 0, headerTimeout: .milliseconds(30), idleTimeout: .milliseconds(30))
        try withServer(configuration, handler: handler) { _, port in
            let waiting = try TestClient(port: port)
            // A partial head pipelined behind it: its header deadline must not run either.
            try waiting.send("GET /deferred/slow HTTP/1.1\r\n\r\nGET /next HTTP/1.1\r\nHost:")
            let promise = try handler.nextDeferred().promise
            // A witness connected after the deferred request was handled: when the server times
            // it out, every deadline of the waiting connection has passed too, in the same sweep
            // or an earlier one.
            let witness = try TestClient(port: port)
            try witness.send("GET /witness HTTP/1.1\r\n")
            ServerTests.expectJSONError(witness.readResponse(), status: 408)
            completeElsewhere(promise, with: text("worth the wait"))
            #expect(waiting.readResponse()?.text == "worth the wait")
            // Reading again, the partial head now has its own deadline.
            ServerTests.expectJSONError(waiting.readResponse(), status: 408)
        }
    }

    @Test func aDeferredResponse_canCarryAFault_whichActsAsIfTheHandlerReturnedIt() throws {
        let handler = DeferringHandler()
        try withServer(handler: handler) { _, port in
            // Delayed: held for its delay after completion, and the request behind it waits.
            let delayed = try TestClient(port: port)
            try delayed.send("GET /deferred/delayed HTTP/1.1\r\n\r\nGET /behind HTTP/1.1\r\n\r\n")
            let promise = try handler.nextDeferred().promise
            var late = text("late")
            late.transmission = .delayed(milliseconds: 100)
            let completedAt = monotonicNow()
            completeElsewhere(promise, with: late)
            #expect(delayed.readResponse()?.text == "late")
            #expect(monotonicNow() - completedAt >= 90, "held for its delay after completion")
            #expect(delayed.readResponse()?.text.hasPrefix("GET /behind|") == true)

            // Closed without a response.
            let dropped = try TestClient(port: port)
            try dropped.send("GET /deferred/drop HTTP/1.1\r\n\r\n")
            var drop = text("never sent")
            drop.transmission = .closeWithoutResponse
            completeElsewhere(try handler.nextDeferred().promise, with: drop)
            #expect(dropped.readsEOF())

            // Deferred again: a second promise takes over.
            let chained = try TestClient(port: port)
            try chained.send("GET /deferred/chain HTTP/1.1\r\n\r\n")
            let outer = try handler.nextDeferred().promise
            let inner = HTTPResponsePromise()
            completeElsewhere(outer, with: .deferred(inner))
            completeElsewhere(inner, with: text("via two promises"))
            #expect(chained.readResponse()?.text == "via two promises")
        }
    }

    @Test func deferredTransmissionsAreEqualOnlyForTheSamePromise() {
        let promise = HTTPResponsePromise()
        #expect(HTTPResponse.deferred(promise) == HTTPResponse.deferred(promise))
        #expect(HTTPResponse.deferred(promise) != HTTPResponse.deferred(HTTPResponsePromise()))
        #expect(HTTPTransmission.deferred(promise) != .normal)
    }
}
