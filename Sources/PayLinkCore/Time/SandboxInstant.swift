/// A point in sandbox time: milliseconds since 1970-01-01T00:00:00Z.
///
/// Our own type rather than Foundation's `Date` so that the core stays free of Foundation on the
/// request path and so that arithmetic is exact (expiry comparisons never suffer rounding).
public struct SandboxInstant: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) { self.millisecondsSince1970 = millisecondsSince1970 }
    public init(secondsSince1970: Int64) { self.millisecondsSince1970 = secondsSince1970 * 1000 }

    public var secondsSince1970: Int64 {
        // Floor division so instants before 1970 still round towards the past.
        let (q, r) = millisecondsSince1970.quotientAndRemainder(dividingBy: 1000)
        return r < 0 ? q - 1 : q
    }

    public func adding(milliseconds: Int64) -> SandboxInstant {
        SandboxInstant(millisecondsSince1970: millisecondsSince1970 &+ milliseconds)
    }

    public func adding(seconds: Int64) -> SandboxInstant { adding(milliseconds: seconds &* 1000) }

    public static func < (lhs: SandboxInstant, rhs: SandboxInstant) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    /// ISO 8601 in UTC with a `Z`, as APS returns `request_expiry_date` (`2025-12-27T06:55:42Z`).
    public var description: String { ISO8601.formatUTC(self) }
}

extension SandboxInstant {
    /// The UTC calendar date of the instant (card expiry compares against year and month).
    public var utcDate: (year: Int, month: Int, day: Int) {
        let seconds = millisecondsSince1970 >= 0 ? millisecondsSince1970 / 1000 : (millisecondsSince1970 - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = ISO8601.civilFromDays(days)
        return (year, month, day)
    }
}
