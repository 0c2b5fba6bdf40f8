/// Short strings many links share (merchant identifiers, currencies, languages, commands,
/// payment options), each kept once and named by a small code, so a link holds four bytes
/// where a `String` would hold sixteen (and a heap copy past fifteen bytes). Code 0 is "none".
/// Codes are dense and never reused: `strings[code]` is the string.
package struct StringInterner: Sendable {
    private var codes: [String: UInt32] = [:]
    private var strings: [String] = [""]

    package init() {}

    /// How many strings are held (none not counted).
    package var count: Int { strings.count - 1 }

    /// The code of `string`, made on first sight; 0 for nil.
    package mutating func code(for string: String?) -> UInt32 {
        guard let string else { return 0 }
        if let known = codes[string] { return known }
        let code = UInt32(strings.count)
        strings.append(string)
        codes[string] = code
        return code
    }

    /// The code of `string` if it was ever seen (a lookup must not grow the table).
    package func existingCode(for string: String) -> UInt32? { codes[string] }

    package func string(_ code: UInt32) -> String? { code == 0 ? nil : strings[Int(code)] }
}
