/// A clock's setting as a value: the instant it showed at a moment of real time, and whether it
/// runs on from there. The arithmetic of a merchant's own clock (`MerchantClocks`), with no
/// lock and no time source of its own, so it is tested directly: every function takes the real
/// time it applies at.
package struct ClockAnchor: Sendable, Equatable {
    package var mode: SandboxClock.Mode
    /// What the clock showed at `real`.
    package var virtual: SandboxInstant
    package var real: SandboxInstant

    /// A clock showing `reading` at real time `real`.
    package init(_ reading: SandboxClock.Reading, real: SandboxInstant) {
        mode = reading.mode
        virtual = reading.now
        self.real = real
    }

    /// The time shown at real time `now`: frozen, what it was set to; running, that plus the
    /// real time gone by since (never less than it, should the real clock step back).
    package func now(real now: SandboxInstant) -> SandboxInstant {
        switch mode {
        case .frozen: virtual
        case .running: virtual.adding(milliseconds: max(0, now.millisecondsSince1970 - real.millisecondsSince1970))
        }
    }

    package func reading(real now: SandboxInstant) -> SandboxClock.Reading {
        SandboxClock.Reading(now: self.now(real: now), mode: mode)
    }

    /// Moved forward by `milliseconds` at real time `now`; a negative amount is refused, as
    /// the sandbox clock refuses it.
    package func advanced(milliseconds: Int64, real now: SandboxInstant) throws(ClockError) -> ClockAnchor {
        guard milliseconds >= 0 else { throw .negativeAdvance }
        return set(self.now(real: now).adding(milliseconds: milliseconds), real: now)
    }

    /// Showing `instant` from real time `now` on, forwards or backwards.
    package func set(_ instant: SandboxInstant, real now: SandboxInstant) -> ClockAnchor {
        ClockAnchor(SandboxClock.Reading(now: instant, mode: mode), real: now)
    }

    /// Running or frozen from real time `now`, without a jump.
    package func switched(to mode: SandboxClock.Mode, real now: SandboxInstant) -> ClockAnchor {
        ClockAnchor(SandboxClock.Reading(now: self.now(real: now), mode: mode), real: now)
    }
}
