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
        guard (1...19).contains(bytes.count), bytes[0] != UInt8(ascii: "0") else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + UInt64(byte - 48)
        }
        return value
    }

    /// `s` as a number when it is exactly 16 lowercase hex digits (every generated token is).
    static func hex16(_ s: String) -> UInt64? {
        // Read where the bytes lie (every native or short string): stepping through `utf8` by
        // its indices was most of what placing a new link's token cost.
        s.utf8.withContiguousStorageIfAvailable { hex16(digits: $0) } ?? Array(s.utf8).withUnsafeBufferPointer { hex16(digits: $0) }
    }

    private static func hex16(digits bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
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

    static func decimal(_ value: UInt64) -> String { String(value) }

    static func hex16(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { out in
            let digits: StaticString = "0123456789abcdef"
            for i in 0..<16 { out[i] = digits.utf8Start[Int((value >> UInt64(60 - 4 * i)) & 0xF)] }
            return 16
        }
    }
}
