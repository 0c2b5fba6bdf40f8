import Testing
import PayLinkJSON

/// Hostile or broken input: nesting at and past the limit, documents cut at every byte, and
/// random corruption. None of it may crash; all of it must be reported precisely.
struct LimitsAndTruncationTests {
    static func nestedArrays(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    static func nestedObjects(_ depth: Int) -> String {
        String(repeating: "{\"k\":", count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
    }

    @Test func parse_acceptsNestingExactlyAtDefaultLimit() throws {
        _ = try JSONParser.parse(Self.nestedArrays(64))
        _ = try JSONParser.parse(Self.nestedObjects(64))
    }

    @Test func parse_rejectsNestingOneBeyondDefaultLimit_atTheOpeningBracket() {
        let arrays = #expect(throws: JSONParseError.self) { try JSONParser.parse(Self.nestedArrays(65)) }
        #expect(arrays == JSONParseError(offset: 64, reason: .tooDeep))
        let objects = #expect(throws: JSONParseError.self) { try JSONParser.parse(Self.nestedObjects(65)) }
        #expect(objects == JSONParseError(offset: 64 * 5, reason: .tooDeep))
    }

    @Test func parse_countsMixedArraysAndObjectsTowardsOneLimit() throws {
        let mixed = String(repeating: "[{\"a\":", count: 32) + "1" + String(repeating: "}]", count: 32)
        _ = try JSONParser.parse(mixed)
        // One more level: the 65th opening is the `{` of the 32nd `[{"a":` (6 bytes each).
        #expect(throws: JSONParseError(offset: 1 + 31 * 6 + 1, reason: .tooDeep)) {
            try JSONParser.parse("[" + mixed + "]")
        }
    }

    @Test func parse_depthIsNotCumulativeAcrossSiblings() throws {
        // 64 levels, closed, then 64 levels again: never deeper than 64 at once.
        _ = try JSONParser.parse("[" + Self.nestedArrays(63) + "," + Self.nestedArrays(63) + "]")
    }

    @Test func parse_honoursCustomMaxDepth() throws {
        _ = try JSONParser.parse("[1]", maxDepth: 1)
        #expect(throws: JSONParseError(offset: 1, reason: .tooDeep)) { try JSONParser.parse("[[1]]", maxDepth: 1) }
        _ = try JSONParser.parse("\"scalars need no depth\"", maxDepth: 0)
        #expect(throws: JSONParseError(offset: 0, reason: .tooDeep)) { try JSONParser.parse("{}", maxDepth: 0) }
    }

    @Test func parse_survivesVeryDeepInputWithoutRecursingPastTheLimit() {
        let hostile = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(throws: JSONParseError(offset: 64, reason: .tooDeep)) { try JSONParser.parse(hostile) }
    }

    static let sample = """
        {"id":"pl_01H\\u00e9x","amount":{"value":1000,"minor":-12.50e+2},"paid":false,\
        "refunded":true,"note":null,"tags":["a\\"b","\\ud83d\\ude00","مرحبا","😀 raw"],\
        "nested":[[],{},[{"k":[0]}]],"esc":"\\\\\\/\\b\\f\\n\\r\\t","empty":""}
        """

    @Test func parse_truncatedAtEveryByte_reportsUnexpectedEndAtTheCut() throws {
        let bytes = Array(Self.sample.utf8)
        _ = try JSONParser.parse(bytes)  // the whole sample is valid
        for length in 0..<bytes.count {
            let error = #expect(throws: JSONParseError.self, "prefix of \(length) bytes") {
                try JSONParser.parse(Array(bytes[..<length]))
            }
            #expect(error?.reason == .unexpectedEnd, "prefix of \(length) bytes: \(String(describing: error))")
            #expect(error?.offset == length, "prefix of \(length) bytes")
        }
    }

    @Test func parse_randomlyCorruptedInput_neverCrashes_andWhatParsesRoundTrips() {
        var rng = SplitMix64(seed: 0xC0FFEE)
        let original = Array(Self.sample.utf8)
        let interesting: [UInt8] = Array("{}[]\",:\\u0123456789eE+-.tfn \n".utf8) + [0x00, 0x1F, 0x80, 0xBF, 0xC3, 0xED, 0xF0, 0xFF]
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let position = Int.random(in: 0..<bytes.count, using: &rng)
                let replacement = Bool.random(using: &rng)
                    ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[position] = replacement
                case 1: bytes.insert(replacement, at: position)
                default: bytes.remove(at: position)
                }
            }
            do {
                let value = try JSONParser.parse(bytes)
                #expect(try JSONParser.parse(value.serialized()) == value)
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
    }
}
