/// ISO 4217 currencies and their minor-unit exponents.
///
/// APS amounts are integers in the smallest unit ("multiply the value with the currency decimal
/// code according to ISO code 3": 500 AED → 50000, 100 JOD → 100000). The exponents follow the
/// official WooCommerce plugin (`get_currency_decimal_points`): 3 for JOD, KWD, OMR, TND, BHD,
/// LYD, IQD; 4 for CLF; 0 for the zero-decimal list; 2 for everything else.
public struct Currency: Sendable, Hashable, CustomStringConvertible {
    public let code: String
    public let decimals: Int

    public var description: String { code }

    /// The currency for an upper-case ISO alpha-3 code, or nil if ISO 4217 has no such code.
    public init?(code: String) {
        guard Self.activeCodes.contains(code) else { return nil }
        self.code = code
        self.decimals = Self.threeDecimal.contains(code) ? 3
            : Self.zeroDecimal.contains(code) ? 0
            : code == "CLF" ? 4 : 2
    }

    /// Formats minor units for people: 125000 SAR → "1,250.00".
    public func format(minorUnits: Int64) -> String {
        let negative = minorUnits < 0
        let magnitude = minorUnits.magnitude
        var divisor: UInt64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let whole = magnitude / divisor, fraction = magnitude % divisor
        var grouped = "", digits = Array(String(whole))
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(d)
        }
        digits = Array(String(fraction))
        var text = (negative ? "-" : "") + grouped
        if decimals > 0 { text += "." + String(repeating: "0", count: decimals - digits.count) + String(digits) }
        return text
    }

    package static let threeDecimal: Set<String> = ["JOD", "KWD", "OMR", "TND", "BHD", "LYD", "IQD"]
    package static let zeroDecimal: Set<String> = [
        "BIF", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "CLP", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "BYR",
    ]

    /// ISO 4217 codes in current use (plus BYR, which the APS plugin still lists).
    package static let activeCodes: Set<String> = [
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD",
        "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BYR", "BZD", "CAD", "CDF", "CHF", "CLF",
        "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR",
        "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR",
        "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
        "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP",
        "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB",
        "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG",
        "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND",
        "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES", "VND", "VUV", "WST", "XAF",
        "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
    ]
}
