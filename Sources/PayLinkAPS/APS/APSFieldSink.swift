import PayLinkCore

/// Where a command puts the fields of its answer, in order: straight into the response being
/// written (`APSResponseWriter`), or into a list of pairs (`FieldList`) for callers that want
/// them as values. Keys are literals. The writer leaves an empty value out, as `finish` always
/// did with a command's fields: responses never carry one.
protocol APSFieldSink: ~Copyable {
    mutating func set(_ key: StaticString, _ value: String)
    /// The same, for a value known to need no JSON escaping when `plain` (the writer skips
    /// its own check then; a list of pairs has nothing to check).
    mutating func set(_ key: StaticString, _ value: String, plain: Bool)
    /// The number in plain decimal digits, as `String(value)` writes it.
    mutating func set(_ key: StaticString, decimal value: Int64)
    /// The instant as `ISO8601.formatUTC` writes it.
    mutating func set(_ key: StaticString, utc instant: SandboxInstant)
}

extension APSResponseWriter: APSFieldSink {}

/// Fields as `(key, value)` pairs, for `APSCommandResult`.
struct FieldList: APSFieldSink {
    private(set) var pairs: [(String, String)] = []

    init() { pairs.reserveCapacity(14) }

    mutating func set(_ key: StaticString, _ value: String) {
        pairs.append((String(describing: key), value))
    }

    mutating func set(_ key: StaticString, _ value: String, plain: Bool) { set(key, value) }

    mutating func set(_ key: StaticString, decimal value: Int64) {
        pairs.append((String(describing: key), String(value)))
    }

    mutating func set(_ key: StaticString, utc instant: SandboxInstant) {
        pairs.append((String(describing: key), ISO8601.formatUTC(instant)))
    }
}
