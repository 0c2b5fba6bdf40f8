/// Literal conformances so responses can be written as Swift literals:
///
///     let body: JSONValue = ["id": "pl_123", "amount": 1000, "paid": false, "refunds": [], "note": nil]
///
/// There is deliberately no `ExpressibleByFloatLiteral`: a Swift `Double` cannot say `1.50`
/// (it would become `1.5`), and amounts are exactly where the literal form matters. Write
/// `.number("1.50")` instead.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// `42` becomes `.number("42")`.
    public init(integerLiteral value: Int) { self = .number(String(value)) }
}

extension JSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Members keep the order written in the literal.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { JSONObject.Member(key: $0.0, value: $0.1) }))
    }
}

extension JSONValue {
    /// A number from an integer, written in plain decimal (`1000`, `-5`).
    public static func number(_ int: Int) -> JSONValue { .number(String(int)) }

    /// A number from any fixed-width integer, for the `Int64`/`UInt64` amounts of other APIs.
    public static func number<T: FixedWidthInteger>(_ integer: T) -> JSONValue { .number(String(integer)) }
}
