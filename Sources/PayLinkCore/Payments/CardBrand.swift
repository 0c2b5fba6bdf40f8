/// The card schemes the hosted page takes, recognised from the number, and what each one's
/// numbers and security codes look like.
///
/// Mada and Meeza are domestic schemes whose cards also carry Visa or Mastercard numbers, so
/// they are told apart by BIN (the first six digits). The BIN lists are a subset of the
/// official WooCommerce plugin's `MADA_BINS` and `MEEZA_BINS`, plus the old
/// PayFort test cards' BINs.
public enum CardBrand: String, Sendable, CaseIterable {
    case visa = "VISA"
    case mastercard = "MASTERCARD"
    case amex = "AMEX"
    case mada = "MADA"
    case meeza = "MEEZA"

    /// The scheme of a card number (digits only), or nil when none of ours issues it.
    public static func of(_ number: String) -> CardBrand? {
        let digits = Array(number.utf8)
        guard digits.count >= 6 else { return nil }
        let bin = String(decoding: digits.prefix(6), as: UTF8.self)
        if madaBINs.contains(bin) { return .mada }
        if meezaBINs.contains(bin) || bin.hasPrefix("9818") { return .meeza }
        let two = Int(String(decoding: digits.prefix(2), as: UTF8.self)) ?? 0
        let four = Int(String(decoding: digits.prefix(4), as: UTF8.self)) ?? 0
        if digits[0] == UInt8(ascii: "4") { return .visa }
        if (51...55).contains(two) || (2221...2720).contains(four) { return .mastercard }
        if two == 34 || two == 37 { return .amex }
        return nil
    }

    /// Card-number lengths the scheme issues: Amex 15, Meeza 16 or 19 ("MEEZA 19 digits"), else 16.
    public var numberLengths: Set<Int> {
        switch self {
        case .amex: [15]
        case .meeza: [16, 19]
        case .visa: [13, 16, 19]
        case .mastercard, .mada: [16]
        }
    }

    /// `card_security_code` length: four digits on Amex, three elsewhere.
    public var securityCodeLength: Int { self == .amex ? 4 : 3 }

    /// The schemes a card of this brand may be paid under: a Mada card also runs as Visa or
    /// Mastercard (co-badged), a Meeza card as Mastercard when its number is one.
    public func isAccepted(as option: CardBrand, number: String) -> Bool {
        if option == self { return true }
        guard self == .mada || self == .meeza else { return false }
        let first = number.utf8.first
        switch option {
        case .visa: return first == UInt8(ascii: "4")
        case .mastercard: return first == UInt8(ascii: "5") || first == UInt8(ascii: "2")
        default: return false
        }
    }

    package static let madaBINs: Set<String> = [
        "400861", "401757", "407197", "407395", "409201", "410621", "410685", "410834", "412565", "417633", "419593",
        "420132", "421141", "422817", "422818", "422819", "428331", "428671", "428672", "428673", "431361", "432328",
        "434107", "439954", "440533", "440647", "440795", "445564", "446393", "446404", "446672", "455036", "455708",
        "457865", "458456", "462220", "468540", "468541", "468542", "468543", "474491", "483010", "483011", "483012",
        "484783", "486094", "486095", "486096", "489317", "489318", "489319", "493428", "504300", "506968", "508160",
        "513213", "515079", "516138", "520058", "521076", "524130", "524514", "524940", "529415", "529741", "530060",
        "530906", "531095", "531196", "532013", "535825", "535989", "536023", "537767", "539931", "543085", "543357",
        "549760", "554180", "557606", "558848", "585265", "588845", "588848", "588850", "589005", "589206", "604906",
        "605141", "636120", "968201", "968202", "968203", "968204", "968205", "968206", "968207", "968208", "968209",
        "968211",
    ]

    package static let meezaBINs: Set<String> = ["507803", "507808", "507809", "507810"]
}
