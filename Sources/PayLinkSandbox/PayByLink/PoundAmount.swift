/// Amounts in pounds as PayByLink writes them (`12.50`): a decimal with at most two places,
/// held as pence so arithmetic is exact.
enum PoundAmount {
    /// The largest amount accepted: £999,999.99.
    static let maximumPence: Int64 = 99_999_999

    /// Pence for `12`, `12.5` or `12.50`; nil for anything else (signs, exponents, a third
    /// decimal place, separators).
    static func pence(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 9, whole.allSatisfy(\.isASCIIDigit) else { return nil }
        var pence = Int64(whole)! * 100
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy(\.isASCIIDigit) else { return nil }
            pence += Int64(fraction)! * (fraction.count == 1 ? 10 : 1)
        }
        return pence
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
