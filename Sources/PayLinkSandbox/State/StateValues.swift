import PayLinkCore
import PayLinkJSON

/// How a snapshot writes the values that have more than one possible spelling, so a round
/// trip gives the same bytes.
enum StateValues {
    /// `2026-01-01T00:00:00.250Z`: always UTC, always with milliseconds, because a running
    /// clock stamps sub-second instants and `ISO8601.formatUTC` drops them.
    static func instant(_ instant: SandboxInstant) -> JSONValue {
        let seconds = instant.secondsSince1970
        let millis = Int(instant.millisecondsSince1970 - seconds * 1000)
        let whole = ISO8601.formatUTC(SandboxInstant(secondsSince1970: seconds))
        let fraction = String(millis + 1000).dropFirst()
        return .string(String(whole.dropLast()) + "." + fraction + "Z")
    }

    static func instant(_ instant: SandboxInstant?) -> JSONValue { instant.map { Self.instant($0) } ?? .null }

    static func instant(_ value: JSONValue, path: String) throws(StateImportError) -> SandboxInstant {
        guard case .string(let text) = value, let instant = ISO8601.parseDateTime(text) else {
            throw StateImportError(path: path, message: "must be an ISO 8601 date-time with a zone, such as 2026-01-01T00:00:00.000Z")
        }
        return instant
    }

    static func string(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }

    static func integer(_ value: Int?) -> JSONValue { value.map { .number($0) } ?? .null }

    /// No run of more than six digits: a masked number shows the first six and the last four.
    static func isMasked(_ text: String) -> Bool {
        var run = 0
        for byte in text.utf8 {
            run = byte >= 48 && byte <= 57 ? run + 1 : 0
            if run > 6 { return false }
        }
        return true
    }
}
