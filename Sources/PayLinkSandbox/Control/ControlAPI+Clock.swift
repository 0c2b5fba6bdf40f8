import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkAPS
import PayLinkSupport

/// The clock and health: `GET /__sandbox/health`, `GET|POST /__sandbox/clock`.
extension ControlAPI {
    /// `GET /__sandbox/health`: up, with the version and sandbox time.
    func health() -> HTTPResponse {
        let reading = engine.clock.reading()
        return JSONResponses.ok([
            "status": "ok", "version": .string(version), "now": .string(ISO8601.formatUTC(reading.now)),
            "clock_mode": .string(reading.mode.rawValue),
        ])
    }

    /// What a clock move makes due is recorded before the answer (uncertain payments settled,
    /// expiries seen), so the next request sees it; notifications go out as background work.
    func catchUp() {
        checkout.resolveDueUncertainPayments()
        engine.sweepExpiries()
    }

    /// The clock's range: the instants a four-digit year can show in UTC, 0000-01-01T00:00:00Z
    /// to 9999-12-31T23:59:59.999Z. Every time the sandbox shows is ISO 8601 with a four-digit
    /// year; past 9999 it would not be, and no client (nor `set`, nor a state import) could
    /// read it back.
    static let earliestTime = SandboxInstant(millisecondsSince1970: -62_167_219_200_000)
    static let latestTime = SandboxInstant(millisecondsSince1970: 253_402_300_799_999)

    func clockReading(_ reading: SandboxClock.Reading) -> HTTPResponse {
        JSONResponses.ok([
            "now": .string(ISO8601.formatUTC(reading.now)),
            "now_ms": .number(String(reading.now.millisecondsSince1970)),
            "mode": .string(reading.mode.rawValue),
        ])
    }

    /// `POST /__sandbox/clock` with one of `{"advance_seconds": N}`, `{"set": "2026-01-01T00:00:00Z"}`
    /// or `{"mode": "frozen"|"running"}`. Moving the clock past a link's expiry expires it at once.
    func moveClock(_ request: HTTPRequest) -> HTTPResponse {
        let change: MerchantClocks.Change
        let clock = engine.clock
        do { change = try clockChange(request, now: clock.now()) } catch { return error.response }
        switch change {
        case .advance(let milliseconds):
            // Validated non-negative, so advancing cannot fail.
            let reading = (try? clock.advance(milliseconds: milliseconds)) ?? clock.reading()
            catchUp()
            return clockReading(reading)
        case .set(let instant):
            let reading = clock.set(instant)
            catchUp()
            return clockReading(reading)
        case .mode(let mode):
            return clockReading(clock.setMode(mode))
        }
    }

    /// What a clock body asks for (`POST /__sandbox/clock` and a merchant's clock): exactly one
    /// of `advance_seconds` (a non-negative number), `set` (ISO 8601 with a time zone) or `mode`,
    /// keeping the clock, now at `now`, within `earliestTime` ... `latestTime`.
    func clockChange(_ request: HTTPRequest, now: SandboxInstant) throws(HTTPErrorResponse) -> MerchantClocks.Change {
        let body = try JSONResponses.objectBody(request)
        let known: Set<String> = ["advance_seconds", "set", "mode"]
        if let unknown = body.keys.first(where: { !known.contains($0) }) {
            throw HTTPErrorResponse(JSONResponses.error(400, "invalid_field", "unknown field \(unknown); use advance_seconds, set or mode", extra: ["field": .string(unknown)]))
        }
        let actions = body.keys.filter(known.contains)
        guard actions.count == 1 else {
            throw HTTPErrorResponse(JSONResponses.error(400, "invalid_body", "send exactly one of advance_seconds, set or mode"))
        }
        switch (body.members[0].key, body.members[0].value) {
        case ("advance_seconds", .number(let literal)):
            guard let seconds = Double(literal), seconds >= 0, seconds < 1e11 else {
                throw HTTPErrorResponse(JSONResponses.error(400, "invalid_field", "advance_seconds must be a non-negative number", extra: ["field": "advance_seconds"]))
            }
            let milliseconds = Int64((seconds * 1000).rounded())
            guard now.millisecondsSince1970 <= Self.latestTime.millisecondsSince1970 - milliseconds else {
                throw HTTPErrorResponse(JSONResponses.error(400, "invalid_field", "advance_seconds would take the clock past \(ISO8601.formatUTC(Self.latestTime))",
                                                            extra: ["field": "advance_seconds"]))
            }
            return .advance(milliseconds: milliseconds)
        case ("set", .string(let text)):
            guard let instant = ISO8601.parseDateTime(text) else {
                throw HTTPErrorResponse(JSONResponses.error(400, "invalid_field", "set must be ISO 8601 with a time zone, e.g. 2026-01-01T00:00:00Z", extra: ["field": "set"]))
            }
            // An offset can carry a four-digit year past either end in UTC (`9999-12-31T23:00:00-05:00`).
            guard instant >= Self.earliestTime, instant <= Self.latestTime else {
                throw HTTPErrorResponse(JSONResponses.error(400, "invalid_field", "set must lie from \(ISO8601.formatUTC(Self.earliestTime)) to \(ISO8601.formatUTC(Self.latestTime)) in UTC",
                                                            extra: ["field": "set"]))
            }
            return .set(instant)
        case ("mode", .string(let text)):
            guard let mode = SandboxClock.Mode(rawValue: text) else {
                throw HTTPErrorResponse(JSONResponses.error(400, "invalid_field", "mode must be running or frozen", extra: ["field": "mode"]))
            }
            return .mode(mode)
        case (let key, _):
            throw HTTPErrorResponse(JSONResponses.error(400, "invalid_field", "\(key) has the wrong type", extra: ["field": .string(key)]))
        }
    }
}
