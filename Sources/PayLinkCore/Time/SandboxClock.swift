import Synchronization

/// The sandbox's virtual clock. Every time-dependent rule (link expiry, later retries and
/// delays) reads this clock, so a test can jump it forward instead of waiting.
///
/// `running` moves with real time from an anchor; `frozen` moves only when told.
public final class SandboxClock: Sendable {
    public enum Mode: String, Sendable { case running, frozen }

    public struct Reading: Sendable, Equatable {
        public var now: SandboxInstant
        public var mode: Mode
    }

    private struct State {
        var mode: Mode
        var anchorVirtual: SandboxInstant
        var anchorReal: SandboxInstant
    }

    private let source: any RealTimeSource
    private let state: Mutex<State>
    /// Told every setting (advance, set, mode) under the lock (`--state-dir`'s log).
    private let recorder: (any StateChangeRecorder)?

    /// - Parameters:
    ///   - start: the sandbox time at creation; nil means the real time now.
    public convenience init(start: SandboxInstant? = nil, mode: Mode = .running, source: any RealTimeSource = SystemTimeSource()) {
        self.init(start: start, mode: mode, source: source, recorder: nil)
    }

    package init(start: SandboxInstant? = nil, mode: Mode = .running, source: any RealTimeSource = SystemTimeSource(),
                 recorder: (any StateChangeRecorder)?) {
        self.recorder = recorder
        self.source = source
        let real = source.now()
        state = Mutex(State(mode: mode, anchorVirtual: start ?? real, anchorReal: real))
    }

    public func now() -> SandboxInstant { reading().now }

    /// Where the clock reads real time: the merchants' own clocks (`MerchantClocks`) read it too.
    package var realTime: any RealTimeSource { source }

    public func reading() -> Reading {
        let real = source.now()
        return state.withLock { Reading(now: Self.now(in: $0, real: real), mode: $0.mode) }
    }

    /// Moves the clock forward; a negative amount is refused so expiry never runs backwards by accident.
    @discardableResult
    public func advance(milliseconds: Int64) throws(ClockError) -> Reading {
        guard milliseconds >= 0 else { throw .negativeAdvance }
        let real = source.now()
        return state.withLock { state in
            state.anchorVirtual = Self.now(in: state, real: real).adding(milliseconds: milliseconds)
            state.anchorReal = real
            recorder?.record(.clock(Reading(now: state.anchorVirtual, mode: state.mode), realTime: real))
            return Reading(now: state.anchorVirtual, mode: state.mode)
        }
    }

    /// Sets the clock to an instant, forwards or backwards.
    @discardableResult
    public func set(_ instant: SandboxInstant) -> Reading {
        let real = source.now()
        return state.withLock { state in
            state.anchorVirtual = instant
            state.anchorReal = real
            recorder?.record(.clock(Reading(now: instant, mode: state.mode), realTime: real))
            return Reading(now: instant, mode: state.mode)
        }
    }

    /// Switches between running and frozen without a jump.
    @discardableResult
    public func setMode(_ mode: Mode) -> Reading {
        let real = source.now()
        return state.withLock { state in
            state.anchorVirtual = Self.now(in: state, real: real)
            state.anchorReal = real
            state.mode = mode
            recorder?.record(.clock(Reading(now: state.anchorVirtual, mode: mode), realTime: real))
            return Reading(now: state.anchorVirtual, mode: mode)
        }
    }

    /// Puts the clock at a reading taken earlier (a state snapshot): the instant and the mode
    /// in one step, so a running clock does not move between the two.
    @discardableResult
    public func restore(_ reading: Reading) -> Reading {
        let real = source.now()
        return state.withLock { state in
            state = State(mode: reading.mode, anchorVirtual: reading.now, anchorReal: real)
            return reading
        }
    }

    private static func now(in state: State, real: SandboxInstant) -> SandboxInstant {
        switch state.mode {
        case .frozen: state.anchorVirtual
        case .running: state.anchorVirtual.adding(milliseconds: real.millisecondsSince1970 - state.anchorReal.millisecondsSince1970)
        }
    }
}

public enum ClockError: Error, Sendable, Equatable {
    case negativeAdvance
}
