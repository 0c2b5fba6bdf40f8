/// The mobile numbers STC Pay wallets have.
package enum SaudiMobileNumber {
    /// `05XXXXXXXX`, `9665XXXXXXXX` or `+9665XXXXXXXX`: the numbers STC Pay wallets have.
    package static func isValid(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.hasPrefix("+9665") { digits = digits.dropFirst(4) } else if digits.hasPrefix("9665") { digits = digits.dropFirst(3) }
        else if digits.hasPrefix("05") { digits = digits.dropFirst(1) } else { return false }
        return digits.count == 9 && digits.first == "5" && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
