import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread of its own for work that runs for the sandbox's whole life and spends it blocked
/// (the state log's writer and flushers, the request log, the signal waiter, a start's snapshot
/// decoder).
///
/// Such loops must not sit on Dispatch's shared pool: on Linux it runs only as many threads as
/// there are cores and notices a blocked one only after a while, so a loop parked on a
/// semaphore holds a pool thread, and work queued behind it (another loop, an off-loop request,
/// a decoder the caller waits for) can wait up to a second. Measured: a start with 100,000 links
/// on one core took 1.3 s instead of 0.2 s while its decoder waited for a pool thread.
public enum DedicatedThread {
    /// Starts `body` on a new detached thread, with every signal blocked (as Dispatch's own
    /// threads have them), so SIGTERM and SIGINT reach only the thread that waits for them
    /// instead of killing the process through this one. Where the system refuses a thread, it
    /// runs on Dispatch's pool instead, which is slower to start but still runs it.
    public static func start(_ body: @escaping @Sendable () -> Void) {
        // A new thread inherits its creator's signal mask: block everything around the create.
        var everything = sigset_t()
        var previous = sigset_t()
        sigfillset(&everything)
        pthread_sigmask(SIG_SETMASK, &everything, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let box = Unmanaged.passRetained(Work(body: body)).toOpaque()
        #if os(Linux)
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            let work = Unmanaged<Work>.fromOpaque(context).takeRetainedValue()
            work.run()
            return nil
        }, box)
        #else
        var thread: pthread_t?
        let rc = pthread_create(&thread, nil, { context in
            let work = Unmanaged<Work>.fromOpaque(context).takeRetainedValue()
            work.run()
            return nil
        }, box)
        #endif
        guard rc == 0 else {
            Unmanaged<Work>.fromOpaque(box).release()
            DispatchQueue.global().async(execute: body)
            return
        }
        #if os(Linux)
        pthread_detach(thread)
        #else
        if let thread { pthread_detach(thread) }
        #endif
    }

    private final class Work: Sendable {
        let body: @Sendable () -> Void

        init(body: @escaping @Sendable () -> Void) { self.body = body }

        func run() { body() }
    }
}
