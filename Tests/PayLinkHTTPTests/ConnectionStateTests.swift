import Testing
@testable import PayLinkHTTP

/// The connection's lifecycle, driven by hand: no socket, no clock, no sleep. Times are plain
/// milliseconds; the policy's round numbers make each deadline easy to see.
@Suite("Connection state machine")
struct ConnectionStateTests {
    static let policy = ConnectionPolicy(headerTimeout: 100, idleTimeout: 1_000, lingerTimeout: 50,
                                         lingerDiscardLimit: 1_000, outputHighWater: 4_096)

    /// A fresh connection accepted at `now`.
    func connection(at now: Int64 = 0) -> ConnectionState {
        ConnectionState(policy: Self.policy, now: now)
    }

    /// The loop's part of reading `count` bytes that leave the parser with `unread`.
    func read(_ state: inout ConnectionState, _ count: Int = 10, leaving unread: ConnectionState.UnreadInput, at now: Int64) {
        #expect(state.bytesRead(count, now: now) == .answerRequests)
        state.requestsAnswered(leaving: unread, now: now)
    }

    /// Reads one complete request at `now` and queues its answer, which is then all sent.
    func serveOneRequest(_ state: inout ConnectionState, at now: Int64, then after: ConnectionState.AfterResponse = .keepAlive) -> ConnectionAction {
        #expect(state.bytesRead(40, now: now) == .answerRequests)
        state.responseQueued(then: after)
        state.requestsAnswered(leaving: .nothing, now: now)
        state.bytesWritten(now: now)
        return state.outputDrained(now: now)
    }

    // MARK: header timeout

    @Test func aHeadThatDoesNotComplete_isAnswered408_thenLingers_thenCloses() {
        var state = connection()
        read(&state, leaving: .partialHead, at: 20)
        // More bytes of the same head do not move its deadline: it counts from the first byte.
        read(&state, leaving: .partialHead, at: 90)
        #expect(state.tick(now: 119, pendingOutput: false) == .none)
        #expect(state.tick(now: 120, pendingOutput: false) == .answer(status: 408, message: "request timeout"))
        #expect(!state.isReadingRequests)
        #expect(state.interest(pendingOutput: 200, bufferedInput: 0) == .write)
        #expect(state.tick(now: 121, pendingOutput: true) == .none, "the 408 is being sent")
        #expect(state.outputDrained(now: 125) == .shutdownWritingAndLinger)
        #expect(state.interest(pendingOutput: 0, bufferedInput: 0) == .read)
        #expect(state.tick(now: 174, pendingOutput: false) == .none)
        #expect(state.tick(now: 175, pendingOutput: false) == .close)
        #expect(state.isClosed)
    }

    @Test func theHeaderDeadline_countsFromEachRequestsOwnFirstByte() {
        var state = connection()
        read(&state, leaving: .partialHead, at: 0)
        // At 60 the head completes, is answered, and the next request's head starts in the same read.
        #expect(state.bytesRead(100, now: 60) == .answerRequests)
        state.responseQueued(then: .keepAlive)
        state.requestsAnswered(leaving: .partialHead, now: 60)
        #expect(state.tick(now: 159, pendingOutput: false) == .none)
        #expect(state.tick(now: 160, pendingOutput: false) == .answer(status: 408, message: "request timeout"))
    }

    @Test func aConnectionThatSentNothing_isNotAnswered408_butClosedSilentlyWhenIdle() {
        var state = connection(at: 0)
        #expect(state.tick(now: 500, pendingOutput: false) == .none, "past the header timeout, but no request began")
        #expect(state.tick(now: 999, pendingOutput: false) == .none)
        #expect(state.tick(now: 1_000, pendingOutput: false) == .close)
    }

    @Test func aBodyThatStopsArriving_isAnswered408AfterTheIdleTimeout() {
        var state = connection()
        read(&state, leaving: .partialBody, at: 10)
        #expect(state.tick(now: 500, pendingOutput: false) == .none, "the header timeout does not apply to a body")
        read(&state, leaving: .partialBody, at: 600)
        #expect(state.tick(now: 1_599, pendingOutput: false) == .none)
        #expect(state.tick(now: 1_600, pendingOutput: false) == .answer(status: 408, message: "request timeout"))
    }

    // MARK: keep-alive idle

    @Test func anIdleKeepAliveConnection_isClosedSilently_andActivityPostponesIt() {
        var state = connection()
        #expect(serveOneRequest(&state, at: 10) == .none)
        #expect(state.isReadingRequests)
        #expect(state.interest(pendingOutput: 0, bufferedInput: 0) == .read)
        #expect(state.tick(now: 1_009, pendingOutput: false) == .none)
        #expect(serveOneRequest(&state, at: 1_009) == .none)
        #expect(state.tick(now: 2_008, pendingOutput: false) == .none)
        #expect(state.tick(now: 2_009, pendingOutput: false) == .close)
    }

    @Test func aClientThatStopsReading_isClosedAfterTheIdleTimeout_andPausesReadingWhenFarBehind() {
        var state = connection()
        #expect(state.bytesRead(40, now: 0) == .answerRequests)
        state.responseQueued(then: .keepAlive)
        state.requestsAnswered(leaving: .nothing, now: 0)
        #expect(state.interest(pendingOutput: 4_096, bufferedInput: 0) == [.read, .write])
        #expect(state.interest(pendingOutput: 4_097, bufferedInput: 0) == .write, "over the high-water mark reading pauses")
        state.bytesWritten(now: 300)
        #expect(state.tick(now: 1_299, pendingOutput: true) == .none)
        #expect(state.tick(now: 1_300, pendingOutput: true) == .close)
    }

    // MARK: close after flush

    @Test func connectionClose_answersThenLingersThenCloses() {
        var state = connection()
        #expect(state.bytesRead(40, now: 0) == .answerRequests)
        state.responseQueued(then: .close)
        #expect(!state.isReadingRequests, "requests after it are not answered")
        state.requestsAnswered(leaving: .partialHead, now: 0)
        #expect(state.tick(now: 500, pendingOutput: true) == .none, "no 408 for bytes after the last request")
        #expect(state.outputDrained(now: 500) == .shutdownWritingAndLinger)
        // Lingering reads and discards, so that unread bytes do not reset the connection.
        #expect(state.bytesRead(100, now: 510) == .none)
        #expect(state.peerClosed(pendingOutput: false) == .close)
    }

    @Test func http10WithoutKeepAlive_closesAfterItsAnswer() {
        let writer = ResponseWriter(serverName: "")
        var output: [UInt8] = []
        let old = ResponseFraming(for: HTTPRequest(method: "GET", target: "/", version: .http1_0))
        let closes = writer.write(HTTPResponse(status: 200), to: &output, framing: old)
        #expect(closes)
        var state = connection()
        #expect(state.bytesRead(20, now: 0) == .answerRequests)
        state.responseQueued(then: closes ? .close : .keepAlive)
        #expect(state.outputDrained(now: 1) == .shutdownWritingAndLinger)

        let kept = ResponseFraming(for: HTTPRequest(method: "GET", target: "/", version: .http1_0, headers: ["Connection": "keep-alive"]))
        #expect(!writer.write(HTTPResponse(status: 200), to: &output, framing: kept))
    }

    @Test func aParseError_isAnsweredWithItsStatus_thenLingersThenCloses() {
        for error in [HTTPParserError.headerBlockTooLarge, .bodyTooLarge, .invalidRequestLine, .unsupportedVersion] {
            var state = connection()
            #expect(state.bytesRead(70_000, now: 0) == .answerRequests)
            #expect(state.requestFailed(error) == .answer(status: error.status, message: error.message))
            #expect(!state.isReadingRequests)
            #expect(state.outputDrained(now: 5) == .shutdownWritingAndLinger)
            #expect(state.tick(now: 55, pendingOutput: false) == .close)
        }
    }

    // MARK: lingering

    @Test func lingering_endsAtItsDeadline() {
        var state = connection()
        #expect(serveOneRequest(&state, at: 0, then: .close) == .shutdownWritingAndLinger)
        #expect(state.tick(now: 49, pendingOutput: false) == .none)
        #expect(state.tick(now: 50, pendingOutput: false) == .close)
    }

    @Test func lingering_endsWhenThePeerSendsMoreThanTheDiscardLimit() {
        var state = connection()
        #expect(serveOneRequest(&state, at: 0, then: .close) == .shutdownWritingAndLinger)
        #expect(state.bytesRead(600, now: 1) == .none)
        #expect(state.bytesRead(400, now: 2) == .none, "exactly at the limit is still discarded")
        #expect(state.bytesRead(1, now: 3) == .close)
        #expect(state.isClosed)
    }

    // MARK: peer half-close

    @Test func aHalfClosedPeer_stillGetsPendingAnswers_thenTheConnectionClosesWithoutLingering() {
        var state = connection()
        #expect(state.bytesRead(40, now: 0) == .answerRequests)
        state.responseQueued(then: .keepAlive)
        state.requestsAnswered(leaving: .nothing, now: 0)
        #expect(state.peerClosed(pendingOutput: true) == .flush)
        #expect(!state.isReadingRequests)
        #expect(state.interest(pendingOutput: 100, bufferedInput: 0) == .write)
        #expect(state.outputDrained(now: 5) == .close, "no lingering: the peer has nothing more to send")
    }

    @Test func aHalfClosedPeer_withNothingPending_isClosedAtOnce() {
        var state = connection()
        #expect(serveOneRequest(&state, at: 0) == .none)
        #expect(state.peerClosed(pendingOutput: false) == .close)
    }

    @Test func aPeerThatClosesDuringAClosingAnswer_isNotLingeredFor() {
        var state = connection()
        #expect(state.bytesRead(40, now: 0) == .answerRequests)
        state.responseQueued(then: .close)
        #expect(state.peerClosed(pendingOutput: true) == .flush)
        #expect(state.outputDrained(now: 1) == .close)
    }

    // MARK: held responses

    @Test func aDelayedResponse_blocksPipelinedAnswersUntilReleased_andNoDeadlineRunsMeanwhile() {
        var state = connection()
        let bytes = Array("HTTP/1.1 200 OK\r\n\r\n".utf8)
        #expect(state.bytesRead(80, now: 0) == .answerRequests)
        state.responseHeld(.delayed(bytes, until: 300), then: .keepAlive)
        #expect(!state.isReadingRequests, "the pipelined request behind it waits in the parser")
        state.requestsAnswered(leaving: .partialHead, now: 0)
        #expect(state.interest(pendingOutput: 0, bufferedInput: 0) == .hangUp)
        #expect(state.interest(pendingOutput: 10, bufferedInput: 0) == [.hangUp, .write])
        #expect(state.nextRelease == 300)
        #expect(state.tick(now: 250, pendingOutput: false) == .none, "the header timeout does not run while we hold")
        #expect(state.releaseDue(now: 299) == .none)
        #expect(state.releaseDue(now: 300) == .send(bytes[...]))
        #expect(state.isReadingRequests, "released: the buffered request is answered next")
        #expect(state.nextRelease == nil)
        #expect(state.releaseDue(now: 400) == .none)
    }

    @Test func aDrippedResponse_isReleasedAPartAtATime() {
        var state = connection()
        let bytes = Array("0123456789".utf8)
        #expect(state.bytesRead(40, now: 0) == .answerRequests)
        state.responseHeld(.dripped(bytes, chunk: 4, interval: 20, from: 0), then: .close)
        #expect(state.releaseDue(now: 0) == .send(bytes[0..<4]))
        #expect(state.nextRelease == 20)
        #expect(state.releaseDue(now: 19) == .none)
        #expect(state.releaseDue(now: 25) == .send(bytes[4..<8]))
        #expect(!state.isReadingRequests)
        #expect(state.releaseDue(now: 45) == .send(bytes[8..<10]))
        #expect(!state.isReadingRequests, "a closing response closes once released")
        #expect(state.outputDrained(now: 46) == .shutdownWritingAndLinger)
    }

    @Test func aClientThatHangsUpDuringAHold_isClosedAtOnce() {
        var state = connection()
        #expect(state.bytesRead(40, now: 0) == .answerRequests)
        state.responseHeld(.delayed([1, 2, 3], until: 60_000), then: .keepAlive)
        #expect(state.peerHungUp() == .close)
        #expect(state.isClosed)

        var reading = connection()
        #expect(reading.peerHungUp() == .none, "a reading connection learns of it from its next read")
    }

    // MARK: dropping faults

    @Test func aDroppedOrTruncatedResponse_closesWithoutLingering() {
        var state = connection()
        #expect(serveOneRequest(&state, at: 0, then: .drop) == .close)
        #expect(state.isClosed)
    }

    // MARK: deferred responses

    @Test func aDeferredResponse_blocksTheConnection_withoutDeadlines_untilItsOwnPromiseDelivers() {
        var state = connection()
        let promise = HTTPResponsePromise()
        let framing = ResponseFraming(isHead: false, version: .http1_1, keepAlive: true)
        #expect(state.bytesRead(40, now: 0) == .answerRequests)
        state.responseDeferred(to: promise, framing: framing)
        #expect(!state.isReadingRequests)
        state.requestsAnswered(leaving: .partialHead, now: 0)
        #expect(state.interest(pendingOutput: 0, bufferedInput: 0) == .read, "the interest stays what it was while reading")
        #expect(state.interest(pendingOutput: 10, bufferedInput: 100) == [.read, .write])
        #expect(state.interest(pendingOutput: 0, bufferedInput: ConnectionPolicy.defaultDeferredInputLimit) == .hangUp,
                "past the limit what the client sends stays in the socket")
        #expect(state.bytesRead(500, now: 10) == .answerRequests, "a pipelined request is read and buffered")
        #expect(!state.isReadingRequests, "and answered only after the deferred answer")
        #expect(state.tick(now: 100_000, pendingOutput: false) == .none, "the server's own work is not the client's timeout")
        #expect(state.tick(now: 100_000, pendingOutput: true) == .none)
        #expect(state.deferredResponseArrived(from: HTTPResponsePromise(), now: 100_000) == nil, "another promise's answer is not ours")
        #expect(state.deferredResponseArrived(from: promise, now: 100_000) == framing)
        #expect(state.isReadingRequests)
        #expect(state.deferredResponseArrived(from: promise, now: 100_001) == nil, "delivered once")
    }

    @Test func aClientThatHangsUpWhileADeferredResponseIsPending_isClosedAtOnce() {
        var state = connection()
        let promise = HTTPResponsePromise()
        #expect(state.bytesRead(40, now: 0) == .answerRequests)
        state.responseDeferred(to: promise, framing: ResponseFraming(isHead: false, version: .http1_1, keepAlive: true))
        #expect(state.peerHungUp() == .close)
        #expect(state.deferredResponseArrived(from: promise, now: 5) == nil, "the later answer is dropped")
    }
}

@Suite("Held response")
struct HeldResponseTests {
    @Test func aDelayedResponse_comesWholeWhenDue() {
        var held = HeldResponse.delayed([1, 2, 3], until: 10)
        #expect(held.releaseDue(now: 9).isEmpty)
        #expect(Array(held.releaseDue(now: 10)) == [1, 2, 3])
        #expect(held.isFullyReleased)
    }

    @Test func aDrippedResponse_clampsItsChunkAndInterval() {
        var held = HeldResponse.dripped([1, 2, 3], chunk: 0, interval: -5, from: 0)
        #expect(Array(held.releaseDue(now: 0)) == [1])
        #expect(held.releaseAt == 1)
        #expect(Array(held.releaseDue(now: 1)) == [2])
    }
}
