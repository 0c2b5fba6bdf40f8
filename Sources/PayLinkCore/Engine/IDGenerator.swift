/// Makes identifiers: deterministic from a seed (so `--seed` reproduces runs), otherwise from
/// the system's secure generator (so link tokens cannot be guessed).
public struct IDGenerator: Sendable {
    /// Internal so `IDGenerator+Snapshot.swift` can save and restore it.
    package var seeded: SplitMix64?
    /// Where unseeded identifiers come from: the system's secure generator, a block at a time.
    private var system = SystemRandomPool()

    public init(seed: UInt64?) { seeded = seed.map(SplitMix64.init(seed:)) }

    public mutating func next() -> UInt64 {
        if var generator = seeded {
            defer { seeded = generator }
            return generator.next()
        }
        return system.next()
    }

    /// A numeric string of `length` digits with a non-zero first digit, like APS's
    /// `payment_link_id` (`169996200023293942`) and `fort_id`.
    public mutating func numericID(length: Int = 18) -> String {
        // Written in place: no per-digit `Character` or `String.count` (which walks the string).
        String(unsafeUninitializedCapacity: max(0, length)) { out in
            var count = 0
            while count < length {
                var value = next()
                // 19 digits fit in a UInt64; take them from the low end.
                for _ in 0..<19 where count < length {
                    let digit = value % 10
                    value /= 10
                    if count == 0 && digit == 0 { continue }
                    out[count] = UInt8(48 + digit)
                    count += 1
                }
            }
            return count
        }
    }

    /// Lowercase hex of `bytes` random bytes (16 hex digits for 8 bytes, as in APS's
    /// `https://sbcheckout.payfort.com/e44083f49b4f35e7`).
    public mutating func hexToken(bytes: Int = 8) -> String {
        String(unsafeUninitializedCapacity: max(0, bytes) * 2) { out in
            let hex: StaticString = "0123456789abcdef"
            var value: UInt64 = 0
            for i in 0..<max(0, bytes) {
                if i % 8 == 0 { value = next() }
                let byte = UInt8(truncatingIfNeeded: value >> (UInt64(i % 8) * 8))
                out[2 * i] = hex.utf8Start[Int(byte >> 4)]
                out[2 * i + 1] = hex.utf8Start[Int(byte & 0xF)]
            }
            return max(0, bytes) * 2
        }
    }
}

/// SplitMix64: tiny, fast, and good enough for reproducible test identifiers and fault
/// probabilities (the same seed gives the same sequence).
public struct SplitMix64: RandomNumberGenerator, Sendable {
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
