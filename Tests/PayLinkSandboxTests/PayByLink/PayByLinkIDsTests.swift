import PayLinkCore
import Testing
@testable import PayLinkPayByLink

/// A request's GUID is read straight from two draws of the generator: the same GUIDs as the
/// bytes-array way it was made before (kept here as the definition), so a seed gives the same
/// request ids as before.
struct PayByLinkIDsTests {
    /// The GUID as first written: each draw's bytes, low byte first, then the version and
    /// variant bits, then hex with dashes.
    static func definition(_ generator: inout IDGenerator) -> String {
        var bytes: [UInt8] = []
        for _ in 0..<2 {
            let value = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        var text = ""
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { text += "-" }
            text += String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }
        return text
    }

    @Test func guids_areTheDefinitions() {
        for seed: UInt64 in [0, 1, 42, .max] {
            var drawn = IDGenerator(seed: seed), defined = IDGenerator(seed: seed)
            for _ in 0..<1_000 { #expect(drawn.guid() == Self.definition(&defined)) }
        }
    }

    @Test func guids_forSeed42() {
        var generator = IDGenerator(seed: 42)
        #expect(generator.guid() == "956eeb2f-2632-47bd-83f1-66b233e3ef28")
        #expect(generator.guid() == "529f0f13-5767-4247-94e3-4a0effe11c58")
    }
}
