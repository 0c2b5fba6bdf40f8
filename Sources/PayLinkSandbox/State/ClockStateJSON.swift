import PayLinkCore
import PayLinkJSON

/// The sandbox clock in a state snapshot: the instant it shows and whether it runs.
enum ClockStateJSON {
    static let keys = ["now", "mode"]
    static let modes: [(String, SandboxClock.Mode)] = [("running", .running), ("frozen", .frozen)]

    /// A running clock is restored to the instant it showed when exported and runs on from
    /// there; a frozen one stays put.
    static func encode(_ reading: SandboxClock.Reading) -> JSONValue {
        ["now": StateValues.instant(reading.now), "mode": .string(reading.mode.rawValue)]
    }

    static func decode(_ value: JSONValue, path: String) throws(StateImportError) -> SandboxClock.Reading {
        let r = try JSONReader(value, path: path, keys: keys)
        return .restored(now: try r.instant("now"), mode: try r.choice("mode", modes))
    }
}
