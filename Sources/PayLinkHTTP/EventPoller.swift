import CEpoll
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How the event loop waits for its sockets.
public enum EventBackend: String, Sendable, Equatable, CaseIterable {
    /// `epoll(7)`: Linux only; the default there.
    case epoll
    /// `poll(2)`: every POSIX system; the default where epoll does not exist (macOS). Its wait
    /// costs time in proportion to the open connections, which is fine for a test server.
    case poll

    /// epoll where it exists, poll elsewhere.
    public static var platformDefault: EventBackend {
        #if os(Linux)
        .epoll
        #else
        .poll
        #endif
    }

    /// The default of `HTTPServerConfiguration.eventBackend`: `platformDefault`, unless the
    /// process was started with `PAYLINK_EVENT_BACKEND=poll` (or `epoll`). The variable exists so
    /// the whole test suite, which makes hundreds of servers, can run against the poll backend
    /// without threading a setting through each; it is read, never written, by the library.
    public static var processDefault: EventBackend {
        guard let text = getenv("PAYLINK_EVENT_BACKEND"), let chosen = EventBackend(rawValue: String(cString: text)),
              chosen.isAvailable else { return platformDefault }
        return chosen
    }

    /// Whether this system has it.
    public var isAvailable: Bool {
        #if os(Linux)
        true
        #else
        self == .poll
        #endif
    }
}

/// The descriptors the event loop watches and its wait for them, over either backend.
///
/// Interest and readiness are `CEPOLL_*` bits: epoll's on Linux, which poll(2) shares there
/// (POLLIN, POLLOUT, POLLERR, POLLHUP, POLLRDHUP have the same values), and poll's elsewhere.
/// Readiness is level-triggered under both, so an event left over from one wait is reported by
/// the next. Used only on the loop's thread.
final class EventPoller {
    let backend: EventBackend
    /// At most this many events come back from one wait.
    let capacity: Int32

    #if os(Linux)
    private var epollFD: Int32 = -1
    private let epollEvents: UnsafeMutablePointer<epoll_event>
    #endif

    // poll(2): one `pollfd` per watched descriptor, its token at the same index, and each
    // descriptor's index (by descriptor number; -1 when not watched).
    private var pollEntries: [pollfd] = []
    private var pollTokens: [UInt64] = []
    private var pollIndex: [Int] = []
    private var readyTokens: [UInt64] = []
    private var readyFlags: [UInt32] = []

    init(backend: EventBackend, capacity: Int32) throws(HTTPServerError) {
        self.backend = backend
        self.capacity = capacity
        #if os(Linux)
        epollEvents = cepoll_events_alloc(capacity)
        if backend == .epoll {
            epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
            if epollFD < 0 {
                let code = errno
                cepoll_events_free(epollEvents)
                throw .systemCallFailed(call: "epoll_create1", errno: code)
            }
        }
        #else
        guard backend == .poll else { throw .systemCallFailed(call: "epoll_create1", errno: ENOSYS) }
        #endif
        readyTokens.reserveCapacity(Int(capacity))
        readyFlags.reserveCapacity(Int(capacity))
    }

    deinit {
        close()
        #if os(Linux)
        cepoll_events_free(epollEvents)
        #endif
    }

    /// Starts watching `fd` for `events`; false (errno set) when the system refuses.
    func add(_ fd: Int32, events: UInt32, token: UInt64) -> Bool {
        #if os(Linux)
        if backend == .epoll { return cepoll_ctl(epollFD, EPOLL_CTL_ADD, fd, events, token) == 0 }
        #endif
        let slot = Int(fd)
        if slot >= pollIndex.count { pollIndex.append(contentsOf: repeatElement(-1, count: slot - pollIndex.count + 64)) }
        guard pollIndex[slot] < 0 else { errno = EEXIST; return false }
        pollIndex[slot] = pollEntries.count
        pollEntries.append(pollfd(fd: fd, events: Self.pollEvents(events), revents: 0))
        pollTokens.append(token)
        return true
    }

    /// Changes what `fd` is watched for; false (errno set) when it is not watched.
    func modify(_ fd: Int32, events: UInt32, token: UInt64) -> Bool {
        #if os(Linux)
        if backend == .epoll { return cepoll_ctl(epollFD, EPOLL_CTL_MOD, fd, events, token) == 0 }
        #endif
        let slot = Int(fd)
        guard slot < pollIndex.count, pollIndex[slot] >= 0 else { errno = ENOENT; return false }
        pollEntries[pollIndex[slot]].events = Self.pollEvents(events)
        pollTokens[pollIndex[slot]] = token
        return true
    }

    /// Stops watching `fd`; call it before closing the descriptor (closing removes it from an
    /// epoll set by itself, but poll would go on reporting the number, or whatever reuses it).
    func remove(_ fd: Int32) {
        guard backend == .poll else { return }
        let slot = Int(fd)
        guard slot < pollIndex.count, pollIndex[slot] >= 0 else { return }
        let index = pollIndex[slot]
        let last = pollEntries.count - 1
        if index != last {
            pollEntries[index] = pollEntries[last]
            pollTokens[index] = pollTokens[last]
            pollIndex[Int(pollEntries[index].fd)] = index
        }
        pollEntries.removeLast()
        pollTokens.removeLast()
        pollIndex[slot] = -1
    }

    /// Waits up to `timeout` milliseconds (-1: until something happens) and returns how many
    /// events are ready (read them with `token(at:)` and `flags(at:)`), or -1 with errno set.
    func wait(timeout: Int32) -> Int32 {
        #if os(Linux)
        if backend == .epoll { return epoll_wait(epollFD, epollEvents, capacity, timeout) }
        #endif
        readyTokens.removeAll(keepingCapacity: true)
        readyFlags.removeAll(keepingCapacity: true)
        let count = pollEntries.withUnsafeMutableBufferPointer { entries in
            poll(entries.baseAddress, nfds_t(entries.count), timeout)
        }
        guard count > 0 else { return count }
        for index in pollEntries.indices where pollEntries[index].revents != 0 {
            var flags = UInt32(UInt16(bitPattern: pollEntries[index].revents))
            // A descriptor poll calls invalid is an error to the loop, which then closes it.
            if flags & CEPOLL_NVAL != 0 { flags |= CEPOLL_ERR }
            readyTokens.append(pollTokens[index])
            readyFlags.append(flags)
            if readyTokens.count == Int(capacity) { break }
        }
        return Int32(readyTokens.count)
    }

    /// The token of the `index`th event of the last wait.
    func token(at index: Int32) -> UInt64 {
        #if os(Linux)
        if backend == .epoll { return cepoll_event_data(epollEvents, index) }
        #endif
        return readyTokens[Int(index)]
    }

    /// The readiness bits (`CEPOLL_*`) of the `index`th event of the last wait.
    func flags(at index: Int32) -> UInt32 {
        #if os(Linux)
        if backend == .epoll { return cepoll_event_flags(epollEvents, index) }
        #endif
        return readyFlags[Int(index)]
    }

    /// Releases the epoll descriptor; the poller watches nothing afterwards.
    func close() {
        #if os(Linux)
        if epollFD >= 0 { closeDescriptor(epollFD); epollFD = -1 }
        #endif
        pollEntries.removeAll()
        pollTokens.removeAll()
        pollIndex.removeAll()
    }

    private static func pollEvents(_ events: UInt32) -> Int16 {
        Int16(truncatingIfNeeded: events)
    }
}
