import Testing
import PayLinkHTTP

/// A small deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("HTTPRequestParser fuzz")
struct ParserFuzzTests {
    /// Mutated valid requests: whatever the outcome, it must not crash and must not depend on how
    /// the bytes were split.
    @Test func mutatedInputsParseTheSameAllWays() {
        var random = SplitMix64(state: 0x5EED)
        let alphabet = Array("\r\n :;,0123456789abcdefABCDEF\t-/?HTTP".utf8)
        let limits = HTTPParserLimits(maxRequestLineBytes: 64, maxHeaderBytes: 128, maxHeaderCount: 6, maxBodyBytes: 32)
        for _ in 0..<400 {
            var bytes = Array(corpus[Int.random(in: 0..<corpus.count, using: &random)].utf8)
            if Bool.random(using: &random) { bytes += Array(corpus[Int.random(in: 0..<corpus.count, using: &random)].utf8) }
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[position] = alphabet.randomElement(using: &random)!
                case 1: bytes[position] = UInt8.random(in: 0...255, using: &random)
                case 2: bytes.insert(alphabet.randomElement(using: &random)!, at: position)
                default: bytes.remove(at: position)
                }
                if bytes.isEmpty { bytes = [0x47] }
            }
            _ = parseAllWays(bytes, limits: limits)
            _ = parseAllWays(bytes)
        }
    }
}
