import Synchronization

/// The sandbox clock and the merchants' own clocks, like Stripe's test clocks: a merchant
/// given a clock (`POST /__sandbox/merchants/{id}/clock`) starts from the sandbox clock's
/// reading and from then on moves only when told, so one test's time travel never expires,
/// retries or settles another test's links on a shared server. Everything about a merchant's
/// links, orders and feedback asks `now(for:)` (or a `times()` reading, for many merchants at
/// once): the time is one lookup.
///
/// The merchants' clocks are values (`ClockAnchor`) under one lock of their own, taken only to
/// read or change them, never while holding another owner's lock, and never the other way
/// round: the engine reads the times before taking its own lock, as it reads the sandbox clock.
package final class MerchantClocks: Sendable {
    /// What one merchant's clock can be told: the bodies of `POST /__sandbox/clock`.
    package enum Change: Sendable, Equatable {
        case advance(milliseconds: Int64)
        case set(SandboxInstant)
        case mode(SandboxClock.Mode)
    }

    /// One merchant's clock in a state snapshot: its reading (instant and mode).
    package struct Entry: Sendable, Equatable {
        package var merchantIdentifier: String
        package var reading: SandboxClock.Reading

        package init(merchantIdentifier: String, reading: SandboxClock.Reading) {
            self.merchantIdentifier = merchantIdentifier
            self.reading = reading
        }
    }

    /// The sandbox clock, which merchants without a clock of their own follow.
    package let global: SandboxClock
    private let own = Mutex<[String: ClockAnchor]>([:])
    /// Told every change under the lock (`--state-dir`'s log), with every clock's reading.
    private let recorder: (any StateChangeRecorder)?

    package init(global: SandboxClock, recorder: (any StateChangeRecorder)? = nil) {
        self.global = global
        self.recorder = recorder
    }

    /// Every clock's time now.
    /// The real time is read only when some merchant has a clock of its own: the usual case
    /// costs what reading the sandbox clock did, plus an uncontended lock.
    package func times() -> ClockTimes {
        let source = global.realTime
        let own = own.withLock { clocks -> [String: SandboxInstant]? in
            guard !clocks.isEmpty else { return nil }
            let real = source.now()
            return clocks.mapValues { $0.now(real: real) }
        }
        return ClockTimes(global: global.now(), own: own ?? [:])
    }

    /// The time for `merchant`: its own clock's, else the sandbox clock's. Called on every
    /// request, so with no merchant clock it hashes nothing.
    package func now(for merchant: String) -> SandboxInstant {
        let source = global.realTime
        return own.withLock { clocks in clocks.isEmpty ? nil : clocks[merchant]?.now(real: source.now()) } ?? global.now()
    }

    /// `merchant`'s reading, and whether it is its own clock's.
    package func reading(for merchant: String) -> (reading: SandboxClock.Reading, own: Bool) {
        let real = global.realTime.now()
        if let reading = own.withLock({ $0[merchant]?.reading(real: real) }) { return (reading, true) }
        return (global.reading(), false)
    }

    /// Changes `merchant`'s clock, giving it one first (started from the sandbox clock's reading)
    /// when it follows the sandbox clock. A negative advance is refused and gives no clock.
    @discardableResult
    package func change(_ merchant: String, _ change: Change) throws(ClockError) -> SandboxClock.Reading {
        let start = global.reading()
        let real = global.realTime.now()
        return try own.withLock { (clocks: inout [String: ClockAnchor]) throws(ClockError) -> SandboxClock.Reading in
            let current = clocks[merchant] ?? ClockAnchor(start, real: real)
            let next: ClockAnchor
            switch change {
            case .advance(let milliseconds): next = try current.advanced(milliseconds: milliseconds, real: real)
            case .set(let instant): next = current.set(instant, real: real)
            case .mode(let mode): next = current.switched(to: mode, real: real)
            }
            clocks[merchant] = next
            tell(clocks, real: real)
            return next.reading(real: real)
        }
    }

    /// Puts `merchant` back on the sandbox clock; false when it had no clock of its own.
    @discardableResult
    package func remove(_ merchant: String) -> Bool {
        let real = global.realTime.now()
        return own.withLock { clocks in
            guard clocks.removeValue(forKey: merchant) != nil else { return false }
            tell(clocks, real: real)
            return true
        }
    }

    /// Every merchant back on the sandbox clock (a reset).
    package func removeAll() {
        let real = global.realTime.now()
        own.withLock { clocks in
            guard !clocks.isEmpty else { return }
            clocks.removeAll()
            tell(clocks, real: real)
        }
    }

    /// The merchants' own clocks, by identifier.
    package func snapshot() -> [Entry] {
        let real = global.realTime.now()
        return own.withLock { Self.entries($0, real: real) }
    }

    /// Replaces the merchants' own clocks with `entries`, each running on (or frozen) from its
    /// reading. Not told to the recorder: an import or a recovery takes a snapshot of its own.
    package func restore(_ entries: [Entry]) {
        let real = global.realTime.now()
        var clocks: [String: ClockAnchor] = [:]
        for entry in entries { clocks[entry.merchantIdentifier] = ClockAnchor(entry.reading, real: real) }
        own.withLock { $0 = clocks }
    }

    private func tell(_ clocks: [String: ClockAnchor], real: SandboxInstant) {
        recorder?.record(.merchantClocks(Self.entries(clocks, real: real), realTime: real))
    }

    private static func entries(_ clocks: [String: ClockAnchor], real: SandboxInstant) -> [Entry] {
        clocks.map { Entry(merchantIdentifier: $0.key, reading: $0.value.reading(real: real)) }
            .sorted { $0.merchantIdentifier < $1.merchantIdentifier }
    }
}
