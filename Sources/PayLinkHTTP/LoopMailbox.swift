import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where other threads leave work for the loop thread: responses completed through
/// `HTTPResponsePromise`, and the request to stop.
///
/// Posting writes the loop's eventfd (a pipe where there is none), so a loop blocked in its
/// wait wakes. The descriptor is
/// written and closed only under the lock: a completion racing the loop's exit never writes to a
/// descriptor number the process has meanwhile reused for something else.
final class LoopMailbox: Sendable {
    /// A deferred response for connection `token`, from `promise`.
    struct Delivery: Sendable {
        let token: UInt64
        let promise: HTTPResponsePromise
        let response: HTTPResponse
    }

    private struct Contents {
        /// The loop's eventfd, or the write end of its pipe; -1 once the loop has exited.
        var wakeFD: Int32
        /// What the loop reads: the same eventfd, or the pipe's read end.
        var readFD: Int32
        var deliveries: [Delivery] = []
        var stopRequested = false
        /// The eventfd was written and the loop has not collected since: one wake-up covers any
        /// number of posts, so a burst of completions costs one system call.
        var wakePending = false
    }

    private let contents: Mutex<Contents>

    /// `readFD` is the pipe's read end when `wakeFD` is a pipe's write end; an eventfd is both.
    init(wakeFD: Int32, readFD: Int32? = nil) {
        contents = Mutex(Contents(wakeFD: wakeFD, readFD: readFD ?? wakeFD))
    }

    /// Leaves `delivery` for the loop; false (and dropped) when the loop has exited.
    @discardableResult
    func post(_ delivery: Delivery) -> Bool {
        contents.withLock { contents in
            guard contents.wakeFD >= 0 else { return false }
            contents.deliveries.append(delivery)
            Self.wake(&contents)
            return true
        }
    }

    /// Leaves every one of `deliveries` for the loop at once; false (and dropped) when the loop has exited.
    @discardableResult
    func post(contentsOf deliveries: [Delivery]) -> Bool {
        contents.withLock { contents in
            guard contents.wakeFD >= 0 else { return false }
            contents.deliveries.append(contentsOf: deliveries)
            Self.wake(&contents)
            return true
        }
    }

    /// Asks the loop to close everything and exit.
    func requestStop() {
        contents.withLock { contents in
            guard contents.wakeFD >= 0 else { return }
            contents.stopRequested = true
            Self.wake(&contents)
        }
    }

    /// On the loop thread, when the eventfd is readable: takes what was posted and re-arms the wake-up.
    func collect() -> (stopRequested: Bool, deliveries: [Delivery]) {
        contents.withLock { contents in
            if contents.wakeFD >= 0 {
                // One wake-up is written per collection (`wakePending`): eight bytes, which this
                // read takes whole from an eventfd or a pipe.
                var counter: UInt64 = 0
                _ = read(contents.readFD, &counter, 8)
            }
            contents.wakePending = false
            let deliveries = contents.deliveries
            contents.deliveries = []
            return (contents.stopRequested, deliveries)
        }
    }

    /// The loop has exited: closes the eventfd; later posts are dropped.
    func close() {
        contents.withLock { contents in
            if contents.wakeFD >= 0 {
                closeDescriptor(contents.wakeFD)
                if contents.readFD != contents.wakeFD { closeDescriptor(contents.readFD) }
            }
            contents.wakeFD = -1
            contents.readFD = -1
            contents.deliveries = []
        }
    }

    private static func wake(_ contents: inout Contents) {
        guard !contents.wakePending else { return }
        contents.wakePending = true
        var one: UInt64 = 1
        _ = write(contents.wakeFD, &one, 8)
    }
}

/// `close(2)`, named apart from the `close()` methods that shadow it inside classes.
func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
