/// Amounts in pounds as PayByLink writes them (`12.50`): a decimal with at most two places,
/// held as pence so arithmetic is exact.
enum PoundAmount {
    /// The largest amount accepted: £999,999.99.
    static let maximumPence: Int64 = 99_999_999

    /// Pence for `12`, `12.5` or `12.50`; nil for anything else (signs, exponents, a third
    /// decimal place, separators).
    static func pence(_ text: String) -> Int64? {
        var pounds: Int64 = 0, fraction: Int64 = 0
        var wholeDigits = 0, fractionDigits = -1  // -1: no point seen
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard fractionDigits < 0, wholeDigits > 0 else { return nil }
                fractionDigits = 0
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if fractionDigits < 0 {
                    wholeDigits += 1
                    guard wholeDigits <= 9 else { return nil }
                    pounds = pounds * 10 + Int64(byte - UInt8(ascii: "0"))
                } else {
                    fractionDigits += 1
                    guard fractionDigits <= 2 else { return nil }
                    fraction = fraction * 10 + Int64(byte - UInt8(ascii: "0"))
                }
            } else {
                return nil
            }
        }
        guard wholeDigits > 0, fractionDigits != 0 else { return nil }
        return pounds * 100 + (fractionDigits == 1 ? fraction * 10 : fraction)
    }

    /// `1250` → `12.50`.
    static func format(_ pence: Int64) -> String {
        let fraction = pence % 100
        return String(pence / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// `1250` → `£12.50`, for messages to people.
    static func display(_ pence: Int64) -> String {
        var whole = String(pence / 100)
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        let fraction = pence % 100
        return "£" + whole + grouped + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }
}
