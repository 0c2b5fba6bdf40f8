/// A link as the store keeps it: numbers and codes in 72 fixed bytes, and its text (merchant
/// reference, customer details, extras) as one run of bytes in the store's text buffer. No
/// `String`, no dictionary, no heap object of its own: a million links are one array of these
/// and one buffer of text.
struct LinkRecord: Sendable {
    /// The 18-digit `payment_link_id` as a number (0 when the ID is kept as text: a
    /// merchant's own ID that is not a plain number).
    var id: UInt64
    /// The 16 hex digits of the hosted page's token as a number (0 when kept as text).
    var token: UInt64
    var createdAt: Int64
    var expiry: Int64
    var amount: Int64
    /// `Int64.min` when not paid.
    var paidAt: Int64
    /// Where the link's text starts in the store's buffer (its length follows from its fields).
    var textOffset: Int
    /// The count, or (with `bigAttemptCount`) a placeholder for one kept beside the records:
    /// a snapshot may carry counts up to 2^53.
    var userAttemptsCount: UInt32
    var merchant: UInt32
    /// Currency, language, notification type, command and payment option, interned together.
    var profile: UInt32
    var lifecycle: LinkLifecycle
    var flags: Flags

    struct Flags: OptionSet, Sendable {
        let rawValue: UInt8
        static let idIsText = Flags(rawValue: 1)
        static let tokenIsText = Flags(rawValue: 2)
        static let hasFailedAttempts = Flags(rawValue: 4)
        static let bigAttemptCount = Flags(rawValue: 8)
    }

    static let notPaid = Int64.min
}

/// What most of a merchant's links have in common, interned as one code per link.
struct LinkProfile: Hashable, Sendable {
    var currency: String
    var language: String
    var notificationType: String
    var linkCommand: String
    var paymentOption: String?
}

/// The numbers the store keeps IDs and tokens as, when they have the usual shape.
enum CompactKey {
    /// `s` as a number when it is 1 to 19 decimal digits without a leading zero (every
    /// generated `payment_link_id` is), so that printing the number gives `s` back.
    static func number(_ s: String) -> UInt64? {
        var utf8 = s.utf8
        return utf8.withContiguousStorageIfAvailable(number) ?? {
            var copy = s
            copy.makeContiguousUTF8()
            utf8 = copy.utf8
            return utf8.withContiguousStorageIfAvailable(number) ?? nil
        }()
    }

    static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard (1...19).contains(bytes.count), let base = bytes.baseAddress, base[0] != UInt8(ascii: "0") else { return nil }
        // Eight digits at a time (`eightDigits`), the rest one by one: a digit at a time, each
        // checked, took 0.33 k instructions for an 18-digit ID, parsed for every link made.
        // Nineteen digits fit in a UInt64, so the wrapping arithmetic never wraps.
        let raw = UnsafeRawPointer(base)
        var value: UInt64 = 0
        var offset = 0
        while offset &+ 8 <= bytes.count {
            guard let eight = eightDigits(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))) else { return nil }
            value = value &* 100_000_000 &+ eight
            offset &+= 8
        }
        while offset < bytes.count {
            let digit = base[offset] &- 48
            guard digit < 10 else { return nil }
            value = value &* 10 &+ UInt64(digit)
            offset &+= 1
        }
        return value
    }

    /// The value of eight ASCII decimal digits loaded little-endian (the first digit in the
    /// low byte), or nil when any byte is not a digit. SWAR: each byte's high nibble must be 3
    /// and stay 3 when 6 is added (0x3A to 0x3F become 0x40 to 0x45; no carry leaves a byte);
    /// then neighbouring digits, pairs and quads are combined with one multiply each.
    @inline(__always)
    static func eightDigits(_ word: UInt64) -> UInt64? {
        let highNibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0, threes: UInt64 = 0x3030_3030_3030_3030
        guard word & highNibbles == threes, (word &+ 0x0606_0606_0606_0606) & highNibbles == threes else { return nil }
        var value = word & 0x0F0F_0F0F_0F0F_0F0F
        value = (value &* (10 << 8 + 1)) >> 8
        value = ((value & 0x00FF_00FF_00FF_00FF) &* (100 << 16 + 1)) >> 16
        return ((value & 0x0000_FFFF_0000_FFFF) &* (10_000 << 32 + 1)) >> 32
    }

    /// `s` as a number when it is exactly 16 lowercase hex digits (every generated token is).
    static func hex16(_ s: String) -> UInt64? {
        // Read where the bytes lie (every native or short string): stepping through `utf8` by
        // its indices was most of what placing a new link's token cost.
        s.utf8.withContiguousStorageIfAvailable { hex16(digits: $0) } ?? Array(s.utf8).withUnsafeBufferPointer { hex16(digits: $0) }
    }

    private static func hex16(digits bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard bytes.count == 16, let base = bytes.baseAddress else { return nil }
        // Eight digits at a time (`eightHexDigits`): a switch a byte took 0.18 k instructions
        // for every link made.
        let raw = UnsafeRawPointer(base)
        guard let high = eightHexDigits(UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))),
              let low = eightHexDigits(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))) else { return nil }
        return high << 32 | low
    }

    /// The value of eight lowercase hex digits loaded little-endian (the first digit in the low
    /// byte), or nil when any byte is not one. SWAR: bit 6 of a byte tells a letter (0x61 to
    /// 0x66) from a digit (0x30 to 0x39); its high nibble must then be 6 or 3, and its low
    /// nibble plus 6 (a digit) or 9 (a letter) must stay below 16, and a letter's above 0.
    @inline(__always)
    static func eightHexDigits(_ word: UInt64) -> UInt64? {
        let ones: UInt64 = 0x0101_0101_0101_0101, lowNibbles: UInt64 = 0x0F0F_0F0F_0F0F_0F0F
        let letters = (word >> 6) & ones
        let low = word & lowNibbles
        guard word & ~lowNibbles == 0x3030_3030_3030_3030 &+ letters &* 0x30,
              (low &+ 6 &* ones &+ letters &* 3) & (ones << 4) == 0,
              (low &+ lowNibbles) & (letters << 4) == letters << 4 else { return nil }
        // Each byte's nibble, then neighbouring nibbles, bytes and halves put side by side.
        var value = low &+ letters &* 9
        value = ((value << 4) | (value >> 8)) & 0x00FF_00FF_00FF_00FF
        value = ((value << 8) | (value >> 16)) & 0x0000_FFFF_0000_FFFF
        return ((value << 16) | (value >> 32)) & 0xFFFF_FFFF
    }

    static func decimal(_ value: UInt64) -> String { String(value) }

    static func hex16(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { out in
            let digits: StaticString = "0123456789abcdef"
            for i in 0..<16 { out[i] = digits.utf8Start[Int((value >> UInt64(60 - 4 * i)) & 0xF)] }
            return 16
        }
    }
}
