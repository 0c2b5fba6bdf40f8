import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// A clock per merchant: `GET|POST|DELETE /__sandbox/merchants/{merchant_identifier}/clock`.
/// The bodies are `POST /__sandbox/clock`'s; the first POST gives the merchant a clock of its
/// own, started from the sandbox clock's reading; DELETE puts it back on the sandbox clock.
/// Its links' expiry, its orders' void window, the settlement of its uncertain payments, the
/// retries of its feedback, its batch files and every timestamp of its records follow it
/// (`MerchantClocks`).
extension ControlAPI {
    /// The merchant's reading, with `own_clock` saying whether it is its own or the sandbox's.
    func merchantClock(_ identifier: String) -> HTTPResponse {
        guard merchants[identifier] != nil else { return merchantNotFound(identifier) }
        let (reading, own) = engine.clocks.reading(for: identifier)
        return merchantClockReading(identifier, reading, own: own)
    }

    /// Moves the merchant's own clock (making it first); what that makes due for the merchant
    /// is recorded before the answer, as after a move of the sandbox clock.
    func moveMerchantClock(_ identifier: String, _ request: HTTPRequest) -> HTTPResponse {
        guard merchants[identifier] != nil else { return merchantNotFound(identifier) }
        let change: MerchantClocks.Change
        do { change = try clockChange(request, now: engine.clocks.now(for: identifier)) } catch { return error.response }
        // `clockChange` refuses a negative advance, so the change cannot fail.
        guard let reading = try? engine.clocks.change(identifier, change) else {
            return JSONResponses.error(400, "invalid_field", "advance_seconds must be a non-negative number", extra: ["field": "advance_seconds"])
        }
        if case .mode = change {} else { catchUp() }
        return merchantClockReading(identifier, reading, own: true)
    }

    /// Back on the sandbox clock (already there: nothing changes); answers the sandbox clock's reading.
    func dropMerchantClock(_ identifier: String) -> HTTPResponse {
        guard merchants[identifier] != nil else { return merchantNotFound(identifier) }
        if engine.clocks.remove(identifier) { catchUp() }
        return merchantClockReading(identifier, engine.clock.reading(), own: false)
    }

    private func merchantClockReading(_ identifier: String, _ reading: SandboxClock.Reading, own: Bool) -> HTTPResponse {
        JSONResponses.ok([
            "merchant_identifier": .string(identifier),
            "now": .string(ISO8601.formatUTC(reading.now)),
            "now_ms": .number(String(reading.now.millisecondsSince1970)),
            "mode": .string(reading.mode.rawValue),
            "own_clock": .bool(own),
        ])
    }
}
