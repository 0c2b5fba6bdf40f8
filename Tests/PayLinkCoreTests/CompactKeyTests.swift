import Testing
@testable import PayLinkCore

/// The store's numeric IDs and tokens read eight digits at a time give what a digit at a time
/// gave: the same number for every well-formed key, nil for every other, byte by byte.
struct CompactKeyTests {
    /// The parse a digit at a time, as it was.
    static func referenceNumber(_ bytes: [UInt8]) -> UInt64? {
        guard (1...19).contains(bytes.count), bytes[0] != UInt8(ascii: "0") else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + UInt64(byte - 48)
        }
        return value
    }

    static func referenceHex16(_ bytes: [UInt8]) -> UInt64? {
        guard bytes.count == 16 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit: UInt8
            switch byte {
            case 48...57: digit = byte - 48
            case 97...102: digit = byte - 87
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    static func number(_ bytes: [UInt8]) -> UInt64? { CompactKey.number(String(decoding: bytes, as: UTF8.self)) }
    static func hex16(_ bytes: [UInt8]) -> UInt64? { CompactKey.hex16(String(decoding: bytes, as: UTF8.self)) }

    @Test func number_everyLength_andEveryByteInEveryPosition_matchesADigitAtATime() {
        let digits = Array("9876543210123456789".utf8)
        for length in 0...21 {
            var bytes = Array((digits + digits).prefix(length))
            #expect(Self.number(bytes) == Self.referenceNumber(bytes))
            for position in 0..<length {
                let kept = bytes[position]
                for byte in UInt8(0)...UInt8(127) {
                    bytes[position] = byte
                    #expect(Self.number(bytes) == Self.referenceNumber(bytes))
                }
                bytes[position] = kept
            }
        }
    }

    @Test func number_randomKeys_matchADigitAtATime() {
        var generator = SplitMix64(seed: 13)
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 20) + 1
            let bytes = (0..<length).map { _ in UInt8(48 + generator.next() % 10) }
            #expect(Self.number(bytes) == Self.referenceNumber(bytes))
        }
        for value: UInt64 in [1, 9, 10, 99_999_999, 100_000_000, 123_456_789_012_345_678, 9_999_999_999_999_999_999] {
            #expect(CompactKey.number(String(value)) == value)
        }
    }

    @Test func hex16_everyByteInEveryPosition_matchesADigitAtATime() {
        var bytes = Array("0123456789abcdef".utf8)
        #expect(Self.hex16(bytes) == 0x0123_4567_89ab_cdef)
        for position in 0..<16 {
            let kept = bytes[position]
            for byte in UInt8(0)...UInt8(127) {
                bytes[position] = byte
                #expect(Self.hex16(bytes) == Self.referenceHex16(bytes))
            }
            bytes[position] = kept
        }
        #expect(Self.hex16(Array("0123456789abcde".utf8)) == nil)
        #expect(Self.hex16(Array("0123456789abcdef0".utf8)) == nil)
    }

    @Test func hex16_randomTokens_roundTrip() {
        var generator = SplitMix64(seed: 14)
        for _ in 0..<20_000 {
            let value = generator.next()
            #expect(CompactKey.hex16(CompactKey.hex16(value)) == value)
            var ids = IDGenerator(seed: value)
            let token = ids.hexToken()
            #expect(Self.hex16(Array(token.utf8)) == Self.referenceHex16(Array(token.utf8)))
        }
    }
}
