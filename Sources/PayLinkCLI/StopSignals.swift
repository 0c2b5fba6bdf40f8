import Dispatch
import PayLinkSupport
import Synchronization
import PayLinkSandbox
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT and SIGTERM for `serve`: blocked from the start and taken by one thread with
/// `sigwait`, so a signal sent the moment "listening on" is printed (or even earlier) waits
/// to be handled instead of being lost. (A Dispatch signal source registers asynchronously;
/// a supervisor that stopped the sandbox right after start once left it running.)
final class StopSignals: Sendable {
    private struct State {
        var sandbox: Sandbox?
        var pending: Int32?
    }
    private let state = Mutex(State())
    private let onSignal: @Sendable (Int32, Sandbox) -> Void

    /// Call before anything starts a thread, so every thread inherits the blocked mask.
    init(onSignal: @escaping @Sendable (Int32, Sandbox) -> Void) {
        self.onSignal = onSignal
        var set = Self.signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        DedicatedThread.start { [self] in
            var set = Self.signalSet()
            var number: Int32 = 0
            while sigwait(&set, &number) == 0 { deliver(number) }
        }
    }

    /// The sandbox to stop; a signal that came before it is acted on now.
    func attach(_ sandbox: Sandbox) {
        let pending = state.withLock { state -> Int32? in
            state.sandbox = sandbox
            defer { state.pending = nil }
            return state.pending
        }
        if let pending { onSignal(pending, sandbox) }
    }

    private func deliver(_ number: Int32) {
        let sandbox = state.withLock { state -> Sandbox? in
            if state.sandbox == nil { state.pending = number }
            return state.sandbox
        }
        if let sandbox { onSignal(number, sandbox) }
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        return set
    }
}
