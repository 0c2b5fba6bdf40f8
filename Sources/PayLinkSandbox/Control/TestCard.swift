/// Card-number checks shared by every way of paying.
enum TestCard {
    /// 12 to 19 digits passing the Luhn check.
    static func isValidNumber(_ number: String) -> Bool {
        let digits = number.utf8.map { Int($0) - 48 }
        guard (12...19).contains(digits.count), digits.allSatisfy({ (0...9).contains($0) }) else { return false }
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            if i % 2 == 1 { let doubled = d * 2; sum += doubled > 9 ? doubled - 9 : doubled } else { sum += d }
        }
        return sum % 10 == 0
    }

    /// First six and last four digits, the rest as `*`: `400555******0001`.
    static func masked(_ number: String) -> String {
        let chars = Array(number)
        guard chars.count > 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(6)) + String(repeating: "*", count: chars.count - 10) + String(chars.suffix(4))
    }
}
