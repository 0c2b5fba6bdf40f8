import PayLinkCore
import Testing

/// Identifiers: from a seed, exactly the characters the first implementation made (seeded runs
/// and their recorded ids must not change); without one, from the system's secure generator.
struct IDGeneratorTests {
    /// The first implementation, kept here as the reference: digits appended one `Character` at
    /// a time, from the low end of each word, skipping a leading zero.
    static func referenceNumericID(_ generator: inout SplitMix64, length: Int) -> String {
        var digits = ""
        while digits.count < length {
            var value = generator.next()
            for _ in 0..<19 where digits.count < length {
                let digit = value % 10
                value /= 10
                if digits.isEmpty && digit == 0 { continue }
                digits.append(Character(Unicode.Scalar(UInt8(48 + digit))))
            }
        }
        return digits
    }

    static func referenceHexToken(_ generator: inout SplitMix64, bytes: Int) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        var value: UInt64 = 0
        for i in 0..<bytes {
            if i % 8 == 0 { value = generator.next() }
            let byte = UInt8(truncatingIfNeeded: value >> (UInt64(i % 8) * 8))
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    @Test(arguments: [0, 1, 7, 42, 0xDEAD_BEEF, UInt64.max])
    func seededIdentifiers_areTheFirstImplementations_characterForCharacter(seed: UInt64) {
        var generator = IDGenerator(seed: seed)
        var reference = SplitMix64(seed: seed)
        for round in 0..<2_000 {
            let length = [18, 6, 20, 1, 0, 19, 37][round % 7]
            #expect(generator.numericID(length: length) == Self.referenceNumericID(&reference, length: length))
            let bytes = [8, 16, 3, 0, 9][round % 5]
            #expect(generator.hexToken(bytes: bytes) == Self.referenceHexToken(&reference, bytes: bytes))
            #expect(generator.next() == reference.next())
        }
        #expect(generator.snapshot == .seeded(state: reference.state))
    }

    /// Unseeded words come from the system a block at a time; past many blocks they stay
    /// distinct and the identifiers keep their shape.
    @Test func systemIdentifiers_stayDistinctAndWellFormed_acrossManyBlocks() {
        var generator = IDGenerator(seed: nil)
        var words = Set<UInt64>()
        for _ in 0..<10_000 { words.insert(generator.next()) }
        #expect(words.count == 10_000)
        var ids = Set<String>()
        for _ in 0..<1_000 {
            let id = generator.numericID()
            #expect(id.utf8.count == 18 && id.utf8.allSatisfy { (48...57).contains($0) } && id.utf8.first != 48)
            let token = generator.hexToken()
            #expect(token.utf8.count == 16 && token.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) })
            ids.insert(id)
        }
        #expect(ids.count == 1_000)
        #expect(generator.snapshot == .system)
    }
}
