import PayLinkJSON

/// SplitMix64: a tiny seeded generator, so the random tests are reproducible run to run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random JSON values that stress what the parser and writer must get right: escapes,
/// every UTF-8 length, number forms, nesting, empty containers.
struct RandomJSON {
    var rng: SplitMix64

    /// Characters drawn for strings: plain ASCII, the characters that need escaping, and
    /// one-to-four-byte UTF-8 including Arabic and an emoji.
    static let alphabet: [Character] = Array("abcXYZ019 _-.:/@#") + [
        "\"", "\\", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{0}", "\u{01}", "\u{1F}", "\u{7F}",
        "é", "ß", "م", "ر", "ح", "ب", "ا", "€", "中", "\u{2028}", "😀", "𝄞",
    ]

    static let numbers: [String] = [
        "0", "-0", "1", "-1", "42", "1000", "9007199254740993", "-123456789012345678901234567890",
        "1.50", "0.001", "-2.5", "3.14159", "1e5", "1E+2", "2.5e-3", "-1.0e+28", "6.02214076E23", "0.0",
    ]

    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &rng) }

    mutating func string(maxLength: Int = 24) -> String {
        let length = int(0..<(maxLength + 1))
        var text = ""
        for _ in 0..<length {
            // Mostly plain letters, so runs exist for the bulk paths to copy.
            if int(0..<3) == 0 {
                text.append(Self.alphabet[int(0..<Self.alphabet.count)])
            } else {
                text.append(Character(Unicode.Scalar(UInt8(int(0x61..<0x7B)))))
            }
        }
        return text
    }

    mutating func number() -> String {
        switch int(0..<3) {
        case 0: return Self.numbers[int(0..<Self.numbers.count)]
        case 1: return String(int(-1_000_000_000..<1_000_000_000))
        default: return String(int(-99_999..<100_000)) + "." + String(int(0..<1000)) + (int(0..<2) == 0 ? "" : "e" + String(int(-30..<30)))
        }
    }

    mutating func value(depth: Int = 0) -> JSONValue {
        let kinds = depth >= 5 ? 5 : 7
        switch int(0..<kinds) {
        case 0: return .null
        case 1: return .bool(int(0..<2) == 0)
        case 2, 3: return .number(number())
        case 4: return .string(string())
        case 5: return .array((0..<int(0..<6)).map { _ in value(depth: depth + 1) })
        default:
            var object = JSONObject()
            for _ in 0..<int(0..<7) {
                // Unique keys: other implementations keep only the last of duplicates.
                let key = string(maxLength: 10)
                if object[key] == nil { object[key] = value(depth: depth + 1) }
            }
            return .object(object)
        }
    }

    /// A document whose top level is a container, as request bodies are.
    mutating func document() -> JSONValue {
        var object = JSONObject()
        for index in 0..<int(1..<8) { object["k\(index)"] = value(depth: 1) }
        return .object(object)
    }
}

/// Equality up to the spelling of numbers: `1.50`, `1.5` and `15e-1` are the same number.
/// Used where another implementation has re-formatted numbers.
func equivalent(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.number(let a), .number(let b)):
        return a == b || (Double(a) != nil && Double(a) == Double(b))
    case (.array(let a), .array(let b)):
        return a.count == b.count && zip(a, b).allSatisfy(equivalent)
    case (.object(let a), .object(let b)):
        return a.count == b.count
            && zip(a.members, b.members).allSatisfy { $0.key == $1.key && equivalent($0.value, $1.value) }
    default:
        return lhs == rhs
    }
}
