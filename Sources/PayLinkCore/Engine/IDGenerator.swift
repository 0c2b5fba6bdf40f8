/// Makes identifiers: deterministic from a seed (so `--seed` reproduces runs), otherwise from
/// the system's secure generator (so link tokens cannot be guessed).
public struct IDGenerator: Sendable {
    /// Internal so `IDGenerator+Snapshot.swift` can save and restore it.
    package var seeded: SplitMix64?

    public init(seed: UInt64?) { seeded = seed.map(SplitMix64.init(seed:)) }

    public mutating func next() -> UInt64 {
        if var generator = seeded {
            defer { seeded = generator }
            return generator.next()
        }
        var system = SystemRandomNumberGenerator()
        return system.next()
    }

    /// A numeric string of `length` digits with a non-zero first digit, like APS's
    /// `payment_link_id` (`169996200023293942`) and `fort_id`.
    public mutating func numericID(length: Int = 18) -> String {
        var digits = ""
        digits.reserveCapacity(length)
        while digits.count < length {
            var value = next()
            // 19 digits fit in a UInt64; take them from the low end.
            for _ in 0..<19 where digits.count < length {
                let digit = value % 10
                value /= 10
                if digits.isEmpty && digit == 0 { continue }
                digits.append(Character(Unicode.Scalar(UInt8(48 + digit))))
            }
        }
        return digits
    }

    /// Lowercase hex of `bytes` random bytes (16 hex digits for 8 bytes, as in APS's
    /// `https://sbcheckout.payfort.com/e44083f49b4f35e7`).
    public mutating func hexToken(bytes: Int = 8) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes * 2)
        var value: UInt64 = 0
        for i in 0..<bytes {
            if i % 8 == 0 { value = next() }
            let byte = UInt8(truncatingIfNeeded: value >> (UInt64(i % 8) * 8))
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// SplitMix64: tiny, fast, and good enough for reproducible test identifiers and fault
/// probabilities (the same seed gives the same sequence).
public struct SplitMix64: Sendable {
    /// Internal so a state snapshot can carry it: the whole generator is this one word.
    package var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SplitMix64 {
    /// Uniform in [0, 1).
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
