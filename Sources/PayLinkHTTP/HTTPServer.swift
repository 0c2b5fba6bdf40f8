import CEpoll
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the server could not start.
public enum HTTPServerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// `start()` was called while the server is running.
    case alreadyRunning
    /// The host could not be resolved, or the port is outside 0...65535.
    case invalidAddress(host: String, port: Int, reason: String)
    /// Another socket is bound to this address (EADDRINUSE).
    case addressInUse(host: String, port: Int)
    /// Binding is not permitted (EACCES), e.g. a port below 1024 without privileges.
    case permissionDenied(host: String, port: Int)
    /// Another failure while binding or listening.
    case bindFailed(host: String, port: Int, errno: Int32)
    /// A system call needed to run the loop failed (epoll or poll, eventfd or pipe, thread creation).
    case systemCallFailed(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .alreadyRunning:
            return "HTTP server is already running"
        case .invalidAddress(let host, let port, let reason):
            return "invalid listen address \(host):\(port): \(reason)"
        case .addressInUse(let host, let port):
            return "cannot listen on \(host):\(port): address already in use (is another server running on port \(port)?)"
        case .permissionDenied(let host, let port):
            return "cannot listen on \(host):\(port): permission denied"
        case .bindFailed(let host, let port, let code):
            return "cannot listen on \(host):\(port): \(errnoDescription(code))"
        case .systemCallFailed(let call, let code):
            return "\(call) failed: \(errnoDescription(code))"
        }
    }
}

func errnoDescription(_ code: Int32) -> String {
    guard let message = strerror(code) else { return "errno \(code)" }
    return "\(String(cString: message)) (errno \(code))"
}

/// An HTTP/1.1 server on one event-loop thread (epoll, or poll(2): `HTTPServerConfiguration.eventBackend`). Requests are handed to the handler
/// synchronously on that thread; slow work answers later through `HTTPResponse.deferred(_:)`.
/// Several servers can run in one process.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    let handler: any HTTPRequestHandler

    enum Phase: Sendable { case idle, starting, running, stopped }

    struct State: Sendable {
        var phase = Phase.idle
        var port: Int?
        /// The running loop's mailbox: how `stop()` (and deferred answers) wake it. Closed by the
        /// loop thread on exit.
        var mailbox: LoopMailbox?
        var thread: pthread_t?
        /// Someone (stop() or the exiting thread itself) took charge of joining or detaching the thread.
        var threadClaimed = false
    }

    /// Lock order: this lock, then the loop mailbox's (`stop()` and the loop's exit take both).
    /// A promise's lock is never held while taking another.
    let state = Mutex(State())
    /// Entered when a loop starts, left when it has exited and released its sockets.
    let running = DispatchGroup()

    public init(configuration: HTTPServerConfiguration, handler: any HTTPRequestHandler) {
        self.configuration = configuration
        self.handler = handler
    }

    /// The bound port while running.
    public var port: Int? { state.withLock { $0.port } }

    /// Binds, listens and starts the loop thread. Returns the bound port (the real one when the configured port is 0).
    @discardableResult
    public func start() throws(HTTPServerError) -> Int {
        try state.withLock { (s: inout State) throws(HTTPServerError) in
            guard s.phase == .idle || s.phase == .stopped else { throw .alreadyRunning }
            s.phase = .starting
        }
        do {
            return try launch()
        } catch {
            state.withLock { $0.phase = .idle }
            throw error
        }
    }

    private func launch() throws(HTTPServerError) -> Int {
        cepoll_ignore_sigpipe()
        let (listenFD, boundPort) = try bindListener(host: configuration.host, port: configuration.port)
        let poller: EventPoller
        do { poller = try EventPoller(backend: configuration.eventBackend, capacity: EventLoop.maxEvents) } catch {
            close(listenFD)
            throw error
        }
        let (wakeFD, wakeReadFD): (Int32, Int32)
        #if os(Linux)
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        wakeReadFD = wakeFD
        let wakeCall = "eventfd"
        #else
        var ends: [Int32] = [-1, -1]
        if cepoll_pipe(&ends) != 0 { ends = [-1, -1] }
        (wakeReadFD, wakeFD) = (ends[0], ends[1])
        let wakeCall = "pipe"
        #endif
        if wakeFD < 0 {
            let code = errno
            close(listenFD)
            throw .systemCallFailed(call: wakeCall, errno: code)
        }
        if !poller.add(listenFD, events: CEPOLL_IN, token: EventLoop.listenerToken)
            || !poller.add(wakeReadFD, events: CEPOLL_IN, token: EventLoop.wakeToken) {
            let code = errno
            close(listenFD)
            close(wakeFD)
            if wakeReadFD != wakeFD { close(wakeReadFD) }
            throw .systemCallFailed(call: configuration.eventBackend == .epoll ? "epoll_ctl" : "poll", errno: code)
        }
        let mailbox = LoopMailbox(wakeFD: wakeFD, readFD: wakeReadFD)
        let loop = EventLoop(server: self, listenFD: listenFD, poller: poller, mailbox: mailbox)
        state.withLock {
            $0.mailbox = mailbox
            $0.port = boundPort
            $0.threadClaimed = false
        }
        running.enter()
        var thread = pthread_t()
        let context = Unmanaged.passRetained(loop).toOpaque()
        let rc = pthread_create(&thread, nil, { context in
            // The loop object is handed to its thread and used only there from now on.
            guard let context else { return nil }
            let loop = Unmanaged<EventLoop>.fromOpaque(context).takeRetainedValue()
            loop.run()
            return nil
        }, context)
        if rc != 0 {
            Unmanaged<EventLoop>.fromOpaque(context).release()
            loop.closeAll()
            mailbox.close()
            state.withLock {
                $0.mailbox = nil
                $0.port = nil
            }
            running.leave()
            throw .systemCallFailed(call: "pthread_create", errno: rc)
        }
        state.withLock {
            $0.thread = thread
            $0.phase = .running
        }
        return boundPort
    }

    /// Stops the server: wakes the loop, which closes the listener and every connection; then joins
    /// the loop thread. Thread-safe and idempotent; returns once the port is released (except when
    /// called from a handler on the loop thread itself, where it only requests the stop).
    public func stop() {
        let self_ = pthread_self()
        let (toJoin, onLoopThread, shouldWait): (pthread_t?, Bool, Bool) = state.withLock { s in
            let onLoop = s.thread.map { pthread_equal($0, self_) != 0 } ?? false
            guard s.phase == .running else { return (nil, onLoop, false) }
            s.mailbox?.requestStop()
            guard !s.threadClaimed, let thread = s.thread else { return (nil, onLoop, true) }
            s.threadClaimed = true
            return (thread, onLoop, true)
        }
        if onLoopThread {
            if let toJoin { pthread_detach(toJoin) }
            return
        }
        if let toJoin { pthread_join(toJoin, nil) }
        if shouldWait { running.wait() }
    }

    /// Blocks the caller until the server has stopped (returns at once when it is not running).
    public func waitUntilStopped() {
        running.wait()
    }

    /// Called by the loop thread after it closed every socket.
    func loopDidExit() {
        let self_ = pthread_self()
        state.withLock { s in
            s.mailbox?.close()
            s.mailbox = nil
            if !s.threadClaimed {
                // The loop ended without stop(): nobody will join, so detach.
                s.threadClaimed = true
                pthread_detach(self_)
            }
            s.thread = nil
            s.port = nil
            s.phase = .stopped
        }
        running.leave()
    }
}

// MARK: - listening socket

private func bindListener(host: String, port: Int) throws(HTTPServerError) -> (Int32, Int) {
    guard (0...65535).contains(port) else {
        throw .invalidAddress(host: host, port: port, reason: "port must be in 0...65535")
    }
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
    var list: UnsafeMutablePointer<addrinfo>?
    let rc = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &list)
    guard rc == 0, let first = list else {
        let reason = rc == 0 ? "no address" : String(cString: gai_strerror(rc))
        throw .invalidAddress(host: host, port: port, reason: reason)
    }
    defer { freeaddrinfo(first) }

    var lastError: Int32 = EADDRNOTAVAIL
    var current: UnsafeMutablePointer<addrinfo>? = first
    while let info = current {
        current = info.pointee.ai_next
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | CEPOLL_SOCK_NONBLOCK_CLOEXEC, 0)
        if fd < 0 {
            lastError = errno
            continue
        }
        #if !os(Linux)
        // No SOCK_NONBLOCK or SOCK_CLOEXEC for socket() here: the same flags, set afterwards.
        if cepoll_set_nonblocking_cloexec(fd) != 0 {
            lastError = errno
            close(fd)
            continue
        }
        #endif
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 || listen(fd, 4096) != 0 {
            lastError = errno
            close(fd)
            continue
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let boundPort: Int = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                guard getsockname(fd, address, &length) == 0 else { return port }
                switch Int32(address.pointee.sa_family) {
                case AF_INET:
                    return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
                case AF_INET6:
                    return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
                default:
                    return port
                }
            }
        }
        return (fd, boundPort)
    }
    switch lastError {
    case EADDRINUSE: throw .addressInUse(host: host, port: port)
    case EACCES, EPERM: throw .permissionDenied(host: host, port: port)
    default: throw .bindFailed(host: host, port: port, errno: lastError)
    }
}
