/// Values many links share (merchant identifiers; the combination of currency, language,
/// notification type, command and payment option a merchant's links mostly repeat), each kept
/// once and named by a four-byte code, where a `String` would take sixteen bytes and a heap copy
/// past fifteen. Code 0 is "none". Codes are dense and never reused: `values[code]` is the value.
package struct Interner<Value: Hashable & Sendable>: Sendable {
    private var codes: [Value: UInt32] = [:]
    private var values: [Value?] = [nil]
    /// The last value asked for: links made one after another mostly repeat it, and comparing
    /// is cheaper than hashing.
    private var last: (value: Value, code: UInt32)?

    package init() {}

    /// How many values are held.
    package var count: Int { values.count - 1 }

    /// The code of `value`, made on first sight; 0 for nil.
    package mutating func code(for value: Value?) -> UInt32 {
        guard let value else { return 0 }
        if let last, last.value == value { return last.code }
        if let known = codes[value] {
            last = (value, known)
            return known
        }
        let code = UInt32(values.count)
        values.append(value)
        codes[value] = code
        last = (value, code)
        return code
    }

    /// The code of `value` if it was ever seen (a lookup must not grow the table).
    package func existingCode(for value: Value) -> UInt32? { codes[value] }

    package func value(_ code: UInt32) -> Value? { values[Int(code)] }
}
