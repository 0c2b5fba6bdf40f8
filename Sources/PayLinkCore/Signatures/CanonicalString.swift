import PayLinkJSON

/// How top-level parameters with an empty value (`""` or `null`) enter the signed string.
///
/// APS's own behaviour is unconfirmed: the official .NET SDK drops them, the PHP clients
/// include `key=`. The emulator verifies requests under either convention by default
/// (`.either`) and never returns empty values, so its own signatures agree with both.
public enum EmptyValuePolicy: String, Sendable, CaseIterable {
    /// Leave `name=` out of the string (the .NET SDK's way).
    case omit
    /// Put `name=` in the string (the PHP clients' way).
    case include
    /// Accept a request signed either way.
    case either
}

/// Builds the string APS hashes: every parameter but `signature`, sorted by byte order of the
/// names, `name=value` joined with nothing, the phrase at both ends.
public enum CanonicalString {
    /// The pairs only, without the phrase: what a debugging user diffs against their own.
    public static func pairs(of parameters: JSONObject, includeEmpty: Bool) -> String {
        var selected: [(key: [UInt8], text: String)] = []
        selected.reserveCapacity(parameters.count)
        for (key, value) in parameters where key != "signature" {
            if isEmpty(value) && !includeEmpty { continue }
            selected.append((Array(key.utf8), render(value, topLevel: true)))
        }
        // Byte order, as PHP's ksort and Java's compareTo give for these names: `_` sorts after
        // `A-Z` but before `a-z`, which a case-insensitive sort gets wrong.
        selected.sort { $0.key.lexicographicallyPrecedes($1.key) }
        var out = ""
        for (key, text) in selected {
            out += String(decoding: key, as: UTF8.self)
            out += "="
            out += text
        }
        return out
    }

    /// The full string to hash: `PHRASE` + pairs + `PHRASE`.
    public static func string(for parameters: JSONObject, phrase: String, includeEmpty: Bool) -> String {
        phrase + pairs(of: parameters, includeEmpty: includeEmpty) + phrase
    }

    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: true
        case .string(let s): s.isEmpty
        default: false
        }
    }

    /// Renders a value as the official clients do: nested objects as `{k=v, k=v}` with the inner
    /// keys in the order received, lists as `[a, b]`, numbers in plain digits.
    static func render(_ value: JSONValue, topLevel: Bool = false) -> String {
        switch value {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .number(let literal): return plainNumber(literal)
        case .string(let s): return s
        case .array(let items): return "[" + items.map { render($0) }.joined(separator: ", ") + "]"
        case .object(let object):
            return "{" + object.members.map { $0.key + "=" + render($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// `1000` stays `1000`; `1000.0` and `1e3` become `1000`, as a PHP or Java client's string
    /// conversion of the amount would give. Non-integral numbers keep their literal text.
    public static func plainNumber(_ literal: String) -> String {
        guard literal.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
        else { return literal }
        guard let value = Double(literal), value.rounded() == value, abs(value) < 9_007_199_254_740_992
        else { return literal }
        return String(Int64(value))
    }
}
