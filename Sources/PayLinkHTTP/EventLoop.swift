import CEpoll
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The event loop (epoll or poll(2), through `EventPoller`): accepts, reads, parses, calls the handler, writes, and runs timers.
/// Everything here runs on the loop's single thread. What happens to a connection is decided by
/// its `ConnectionState`; this type performs the system calls the state's actions ask for.
/// Its variables are `@exclusivity(unchecked)`, as `Connection`'s are and for the same reason.
final class EventLoop {
    static let listenerToken: UInt64 = 1 << 63
    static let wakeToken: UInt64 = (1 << 63) | 1

    /// A drained output buffer larger than this is released rather than kept.
    static let retainedOutputCapacity = 64 * 1024
    static let readBufferSize = 64 * 1024
    static let maxEvents: Int32 = 256
    /// How long an answer may wait for the rest of its batch (`queuedFlushes`). The coarse clock
    /// it is read with moves in steps of a few milliseconds.
    static let maxFlushDelayMillis: Int64 = 2
    /// How many times at most a batch that owes work to another thread
    /// (`HTTPRequestHandler.loopBatchOwesWork`) looks for more requests ready at once before
    /// its end pays it. Why: the state log's writer, woken at the end of every batch, took the
    /// core from the loop there and then on one core (the woken thread runs first), and wrote a
    /// round of one batch: under 64 clients the loop's batches held about 8 requests, and a
    /// flush carried about 20 creates. Taking the requests that are ready before waking it
    /// makes the round what the loop could do without waiting. The bound keeps the wait short
    /// on a loop that is never idle: the answers that wait for the log wait for it too.
    static let maxExtraPolls = 4

    let server: HTTPServer
    let handler: any HTTPRequestHandler
    let limits: HTTPParserLimits
    let policy: ConnectionPolicy
    let maxConnections: Int
    /// How often the deadlines of every connection are checked.
    let tick: Int64
    /// How other threads reach this one: deferred answers and the request to stop, announced on
    /// the eventfd (or pipe) registered under `wakeToken`.
    let mailbox: LoopMailbox

    @exclusivity(unchecked) var listenFD: Int32
    @exclusivity(unchecked) var spareFD: Int32
    @exclusivity(unchecked) var connections: [Connection?] = []
    @exclusivity(unchecked) var connectionCount = 0
    @exclusivity(unchecked) var generation: UInt64 = 0
    @exclusivity(unchecked) var now: Int64 = 0
    @exclusivity(unchecked) var nextSweep: Int64 = 0
    @exclusivity(unchecked) var acceptPausedUntil: Int64?
    @exclusivity(unchecked) var writer: ResponseWriter
    /// Connections whose state holds a response back for a fault, by descriptor.
    @exclusivity(unchecked) var heldConnections: [Int32: Connection] = [:]
    /// Connections answered in the current batch of events, to send once it is done.
    @exclusivity(unchecked) var queuedFlushes: [Connection] = []
    let poller: EventPoller
    let readBuffer: UnsafeMutableRawBufferPointer
    let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    init(server: HTTPServer, listenFD: Int32, poller: EventPoller, mailbox: LoopMailbox) {
        let configuration = server.configuration
        self.server = server
        self.handler = server.handler
        self.limits = configuration.parserLimits
        self.policy = ConnectionPolicy(configuration: configuration)
        self.maxConnections = max(1, configuration.maxConnections)
        self.tick = max(10, min(250, min(policy.headerTimeout, policy.idleTimeout) / 4))
        self.mailbox = mailbox
        self.listenFD = listenFD
        self.poller = poller
        self.spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
        self.writer = ResponseWriter(serverName: configuration.serverName)
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 16)
        self.now = monotonicMillis()
        self.nextSweep = now + tick
    }

    deinit {
        readBuffer.deallocate()
    }

    // MARK: run

    func run() {
        var stopping = false
        while !stopping {
            let timeout: Int32
            if connectionCount == 0 && acceptPausedUntil == nil {
                timeout = -1
            } else if let due = nextHeldRelease {
                timeout = Int32(max(0, min(nextSweep - now, tick, due - now)))
            } else {
                timeout = Int32(max(0, min(nextSweep - now, tick)))
            }
            let count = poller.wait(timeout: timeout)
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            now = monotonicMillis()
            writer.refreshDate(now: time(nil))
            handler.loopBatchWillStart()
            var ready = count
            var extraPolls = 0
            while true {
                if handleEvents(ready) { stopping = true }
                // Work the batch's end would hand to another thread (the state log's writer)
                // waits while more requests are ready at once, so that one wake and one write
                // serve them all (see `HTTPRequestHandler.loopBatchOwesWork`).
                guard !stopping, extraPolls < Self.maxExtraPolls, handler.loopBatchOwesWork else { break }
                flushQueued()
                ready = poller.wait(timeout: 0)
                guard ready > 0 else { break }
                extraPolls += 1
                now = monotonicMillis()
            }
            handler.loopBatchDidEnd()
            if !heldConnections.isEmpty { releaseDueHeld() }
            flushQueued()
            if now >= nextSweep {
                sweep()
                nextSweep = now + tick
            }
        }
        closeAll()
        server.loopDidExit()
    }

    /// Handles the first `count` events the poller returned; true when told to stop.
    private func handleEvents(_ count: Int32) -> Bool {
        var stopping = false
        for index in 0..<count {
            let token = poller.token(at: index)
            let flags = poller.flags(at: index)
            switch token {
            case Self.listenerToken: acceptConnections()
            case Self.wakeToken: if collectMail() { stopping = true }
            default: connectionEvent(token: token, flags: flags)
            }
            // Answers wait for the batch only while it is quick: behind a slow handler
            // (a large state export, a bulk form) they go out at once.
            if !queuedFlushes.isEmpty && monotonicMillis() - now >= Self.maxFlushDelayMillis { flushQueued() }
        }
        return stopping
    }

    /// Closes the listener, every connection, the spare descriptor and the poller.
    func closeAll() {
        for index in connections.indices {
            if let connection = connections[index] { closeConnection(connection) }
        }
        if listenFD >= 0 { poller.remove(listenFD); close(listenFD); listenFD = -1 }
        if spareFD >= 0 { close(spareFD); spareFD = -1 }
        poller.close()
    }

    /// Takes what other threads posted: deferred answers are written now. True when asked to stop.
    private func collectMail() -> Bool {
        let mail = mailbox.collect()
        for delivery in mail.deliveries { deliverDeferred(delivery) }
        return mail.stopRequested
    }

    // MARK: accepting

    private func acceptConnections() {
        var accepted = 0
        while accepted < 256 {
            var peerAddress: String?
            let fd = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
                let fd = cepoll_accept_peer(listenFD, buffer.baseAddress!, buffer.count)
                if fd >= 0, buffer[0] != 0 { peerAddress = String(cString: buffer.baseAddress!) }
                return fd
            }
            if fd < 0 {
                switch errno {
                case EAGAIN, EWOULDBLOCK:
                    return
                case EINTR, ECONNABORTED, EPROTO:
                    continue
                case EMFILE, ENFILE:
                    shedOneConnection()
                    return
                default:
                    // ENOBUFS, ENOMEM and anything unexpected: back off instead of spinning.
                    pauseAccepting()
                    return
                }
            }
            accepted += 1
            if connectionCount >= maxConnections {
                reject(fd)
                continue
            }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            generation = (generation &+ 1) & 0x7FFF_FFFF
            let token = (generation << 32) | UInt64(UInt32(bitPattern: fd))
            if !poller.add(fd, events: CEPOLL_IN, token: token) {
                close(fd)
                continue
            }
            let index = Int(fd)
            if index >= connections.count {
                connections.append(contentsOf: repeatElement(nil, count: index - connections.count + 64))
            }
            connections[index] = Connection(fd: fd, token: token, limits: limits, policy: policy, interest: CEPOLL_IN, now: now,
                                            peerAddress: peerAddress)
            connectionCount += 1
        }
    }

    /// Out of descriptors: use the spare one to accept and close a pending connection, so the
    /// listener does not stay readable forever; if even that fails, stop accepting for a moment.
    private func shedOneConnection() {
        if spareFD >= 0 {
            close(spareFD)
            spareFD = -1
            let fd = cepoll_accept(listenFD)
            if fd >= 0 { reject(fd) }
            spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
        }
        if spareFD < 0 { pauseAccepting() }
    }

    private func pauseAccepting() {
        guard acceptPausedUntil == nil else { return }
        _ = poller.modify(listenFD, events: 0, token: Self.listenerToken)
        acceptPausedUntil = now + 100
    }

    /// Over the connection limit: a best-effort 503, then close.
    private func reject(_ fd: Int32) {
        var bytes: [UInt8] = []
        writer.writeError(status: 503, message: "too many connections", to: &bytes)
        bytes.withUnsafeBytes { _ = send(fd, $0.baseAddress, $0.count, CEPOLL_MSG_NOSIGNAL_DONTWAIT) }
        close(fd)
    }

    // MARK: connection events

    /// The open connection `token` names, or nil when it has closed (and its descriptor may be reused).
    func connection(for token: UInt64) -> Connection? {
        let index = Int(token & 0xFFFF_FFFF)
        guard index < connections.count, let connection = connections[index], connection.token == token else { return nil }
        return connection
    }

    private func connectionEvent(token: UInt64, flags: UInt32) {
        guard let connection = connection(for: token) else { return }
        if flags & (CEPOLL_RDHUP | CEPOLL_HUP | CEPOLL_ERR) != 0 {
            if case .close = connection.state.peerHungUp() {
                closeConnection(connection)
                return
            }
        }
        let wantsRead = connection.interest & CEPOLL_IN != 0
        if wantsRead && flags & (CEPOLL_IN | CEPOLL_HUP | CEPOLL_ERR) != 0 {
            readable(connection)
            guard isOpen(connection) else { return }
        }
        if connection.pendingOutput > 0 && flags & (CEPOLL_OUT | CEPOLL_HUP | CEPOLL_ERR) != 0 {
            writable(connection)
        } else if !wantsRead && connection.pendingOutput == 0 && flags & (CEPOLL_HUP | CEPOLL_ERR) != 0 {
            closeConnection(connection)
        }
    }

    func isOpen(_ connection: Connection) -> Bool {
        let index = Int(connection.fd)
        return index < connections.count && connections[index] === connection
    }

    private func readable(_ connection: Connection) {
        let n = recv(connection.fd, readBuffer.baseAddress, readBuffer.count, 0)
        if n > 0 {
            let action = connection.state.bytesRead(n, now: now)
            if case .answerRequests = action {
                connection.parser.feed(UnsafeRawBufferPointer(rebasing: readBuffer[0..<n]))
            }
            perform(action, on: connection)
        } else if n == 0 {
            perform(connection.state.peerClosed(pendingOutput: connection.pendingOutput > 0), on: connection)
        } else {
            switch errno {
            case EAGAIN, EWOULDBLOCK, EINTR: return
            default: closeConnection(connection)
            }
        }
    }

    private func writable(_ connection: Connection) {
        flush(connection)
        guard isOpen(connection) else { return }
        if connection.pendingOutput == 0 && connection.state.isReadingRequests && connection.parser.bufferedByteCount > 0 {
            // Reading was paused for backpressure; answer what is already buffered.
            service(connection)
        } else {
            updateInterest(connection)
        }
    }

    /// Does what a state transition asked for.
    func perform(_ action: ConnectionAction, on connection: Connection) {
        switch action {
        case .none:
            return
        case .answerRequests:
            service(connection)
        case .send(let bytes):
            connection.output.append(contentsOf: bytes)
            resumeAfterAnswer(connection)
        case .answer(let status, let message):
            writer.writeError(status: status, message: message, to: &connection.output)
            flush(connection)
            if isOpen(connection) { updateInterest(connection) }
        case .flush:
            flush(connection)
            if isOpen(connection) { updateInterest(connection) }
        case .shutdownWritingAndLinger:
            shutdown(connection.fd, Int32(SHUT_WR))
            connection.parser = HTTPRequestParser(limits: limits)  // drop buffered bytes
            updateInterest(connection)
        case .close:
            closeConnection(connection)
        }
    }

    /// After an answer that came out of band (a held response released, a deferred one
    /// delivered): answer what was buffered meanwhile if the connection reads again, else send.
    func resumeAfterAnswer(_ connection: Connection) {
        if connection.state.isReadingRequests {
            service(connection)
        } else {
            flush(connection)
            if isOpen(connection) { updateInterest(connection) }
        }
    }

    /// Answers every complete request in the parser (up to the output high-water mark). The
    /// answers are sent when the batch of events ends (`flushQueued`), unless the output backlog
    /// is already large.
    func service(_ connection: Connection) {
        while true {
            let pausedForBackpressure = answerRequests(connection)
            if !pausedForBackpressure && connection.pendingOutput > 0 {
                if !connection.isQueuedForFlush {
                    connection.isQueuedForFlush = true
                    queuedFlushes.append(connection)
                }
                return
            }
            flush(connection)
            guard isOpen(connection) else { return }
            if !(pausedForBackpressure && connection.pendingOutput == 0) { break }
        }
        updateInterest(connection)
    }

    /// Sends what this batch of events answered, back to back.
    ///
    /// Why not send each answer as it is made: a `send` on loopback wakes the client's thread,
    /// and waking a thread whose core has gone idle costs far more than the send itself (in a VM,
    /// an inter-processor interrupt through the hypervisor). Sent one by one between requests
    /// that take microseconds each to answer, nearly every answer pays that wake-up; sent
    /// together, the first wakes the client and the rest find it running. At 64 connections this
    /// cut the server's kernel time from 9.6 to 7.4 µs a request (nginx: 6.8) and raised
    /// throughput by a fifth. A lone connection is answered as before, at the end of its own
    /// one-event batch.
    private func flushQueued() {
        guard !queuedFlushes.isEmpty else { return }
        for connection in queuedFlushes {
            connection.isQueuedForFlush = false
            // A fault's release may have flushed and finished it already in this batch.
            guard isOpen(connection) else { continue }
            flush(connection)
            if isOpen(connection) { updateInterest(connection) }
        }
        queuedFlushes.removeAll(keepingCapacity: true)
    }

    /// Returns true when it stopped because the output backlog is large.
    private func answerRequests(_ connection: Connection) -> Bool {
        defer { connection.state.requestsAnswered(leaving: connection.unreadInput, now: now) }
        while connection.state.isReadingRequests {
            if connection.pendingOutput > policy.outputHighWater { return true }
            switch connection.parser.next() {
            case .needMoreData:
                return false
            case .continueExpected:
                connection.output.append(contentsOf: continueBytes)
            case .request(var request):
                request.peerAddress = connection.peerAddress
                let response = handler.handle(request)
                queue(response, on: connection, framing: ResponseFraming(for: request))
            case .error(let error):
                // Written here and sent with the batch, like any other answer.
                if case .answer(let status, let message) = connection.state.requestFailed(error) {
                    let limit = error == .bodyTooLarge ? ": more than \(connection.parser.bodyLimit) bytes" : ""
                    writer.writeError(status: status, message: message + limit, to: &connection.output)
                }
            }
        }
        return false
    }

    /// Sends as much pending output as the socket takes; one `send` when it all fits.
    func flush(_ connection: Connection) {
        while connection.pendingOutput > 0 {
            let sent = connection.output.withUnsafeBytes { bytes in
                send(connection.fd, bytes.baseAddress! + connection.outputSent, bytes.count - connection.outputSent, CEPOLL_MSG_NOSIGNAL)
            }
            if sent > 0 {
                connection.outputSent += sent
                connection.state.bytesWritten(now: now)
            } else if sent < 0 {
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK: return
                default:
                    closeConnection(connection)
                    return
                }
            } else {
                return
            }
        }
        if connection.output.capacity > Self.retainedOutputCapacity {
            connection.output = []
        } else {
            connection.output.removeAll(keepingCapacity: true)
        }
        connection.outputSent = 0
        perform(connection.state.outputDrained(now: now), on: connection)
    }

    func updateInterest(_ connection: Connection) {
        let interest = connection.state.interest(pendingOutput: connection.pendingOutput, bufferedInput: connection.parser.bufferedByteCount)
        var wanted: UInt32 = 0
        if interest.contains(.read) { wanted |= CEPOLL_IN }
        if interest.contains(.write) { wanted |= CEPOLL_OUT }
        if interest.contains(.hangUp) { wanted |= CEPOLL_RDHUP }
        if wanted != connection.interest {
            if !poller.modify(connection.fd, events: wanted, token: connection.token) {
                closeConnection(connection)
                return
            }
            connection.interest = wanted
        }
    }

    func closeConnection(_ connection: Connection) {
        let index = Int(connection.fd)
        guard index < connections.count, connections[index] === connection else { return }
        connections[index] = nil
        connectionCount -= 1
        if !heldConnections.isEmpty { heldConnections[connection.fd] = nil }
        poller.remove(connection.fd)  // before the number can be reused (epoll forgets it at close)
        close(connection.fd)
    }

    // MARK: timers

    /// Runs every `tick`: each connection's deadlines (header 408, idle, stalled peers, lingering
    /// closes), and the end of a pause in accepting.
    private func sweep() {
        if let until = acceptPausedUntil, now >= until {
            acceptPausedUntil = nil
            if spareFD < 0 { spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC) }
            _ = poller.modify(listenFD, events: CEPOLL_IN, token: Self.listenerToken)
        }
        guard connectionCount > 0 else { return }
        for index in connections.indices {
            guard let connection = connections[index] else { continue }
            perform(connection.state.tick(now: now, pendingOutput: connection.pendingOutput > 0), on: connection)
        }
    }
}

/// Milliseconds on the coarse monotonic clock: a few milliseconds' resolution is plenty for
/// deadlines, and reading it costs no system call.
func monotonicMillis() -> Int64 {
    var ts = timespec()
    #if os(Linux)
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts)
    #else
    clock_gettime(CLOCK_MONOTONIC, &ts)
    #endif
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}
