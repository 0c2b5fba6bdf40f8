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
    /// How the thread competes with the others for its core.
    public enum Scheduling: Sendable {
        /// As any thread: woken, it may take the core from the thread running there at once.
        case standard
        /// Work that follows the event loop's (the state log's writer and flushers, the
        /// request log's writer): on Linux `SCHED_BATCH`, so that waking it does not take the
        /// core from the thread that woke it. It runs once that thread waits (for the next
        /// requests, most often) or its time slice ends, with its full share of the core and
        /// the same priority; on a core of its own it runs at once as before. Why: with the
        /// sandbox on one core, the event loop's wake-up of the log writer at the end of each
        /// batch took the core from the loop there and then, a thread switch there and back
        /// for every round, and a round of whatever had gathered by then. Measured
        /// (2026-12-08, `bench/state.py --modes memory,fsync`, one core, 64 connections):
        /// `futex` calls per create 0.070 to 0.076 before, 0.015 to 0.018 after; creates per
        /// flush 20 to 21 before, 37 to 38 after; the log's threads 3.9 to 5.1 µs of CPU per
        /// create before, 2.4 to 2.6 after.
        case background
    }

    /// Starts `body` on a new detached thread, with every signal blocked (as Dispatch's own
    /// threads have them), so SIGTERM and SIGINT reach only the thread that waits for them
    /// instead of killing the process through this one. Where the system refuses a thread, it
    /// runs on Dispatch's pool instead, which is slower to start but still runs it.
    public static func start(_ scheduling: Scheduling = .standard, _ body: @escaping @Sendable () -> Void) {
        // A new thread inherits its creator's signal mask: block everything around the create.
        var everything = sigset_t()
        var previous = sigset_t()
        sigfillset(&everything)
        pthread_sigmask(SIG_SETMASK, &everything, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let box = Unmanaged.passRetained(Work(scheduling: scheduling, body: body)).toOpaque()
        #if os(Linux)
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            let work = Unmanaged<Work>.fromOpaque(context).takeRetainedValue()
            if work.scheduling == .background {
                // Refused (a seccomp profile, say), the thread runs as a standard one.
                var parameters = sched_param()
                _ = pthread_setschedparam(pthread_self(), DedicatedThread.linuxBatchPolicy, &parameters)
            }
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

    #if os(Linux)
    /// `SCHED_BATCH` of Linux's `sched.h`, which Swift's C import does not always show (musl's
    /// header hides it behind `_GNU_SOURCE`).
    static let linuxBatchPolicy: Int32 = 3
    #endif

    private final class Work: Sendable {
        let scheduling: Scheduling
        let body: @Sendable () -> Void

        init(scheduling: Scheduling, body: @escaping @Sendable () -> Void) {
            self.scheduling = scheduling
            self.body = body
        }

        func run() { body() }
    }
}
