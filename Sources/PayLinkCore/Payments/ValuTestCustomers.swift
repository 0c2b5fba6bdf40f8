/// What a valU customer's mobile number does in the sandbox (docs/aps-wallets.md, "valU").
///
/// valU publishes no sandbox customers, so these are the sandbox's own: any Egyptian mobile
/// number (`01` and nine digits, as the official WooCommerce plugin sends it, without `+20`)
/// is a valU customer who pays, except the numbers below.
public enum ValuTestCustomers {
    public enum Outcome: Sendable, Equatable {
        /// Verified; the OTP is generated; the purchase is approved.
        case approved
        /// CUSTOMER_VERIFY answers `00160`: not a valU customer.
        case notACustomer
        /// OTP_GENERATE answers `89746`: the amount is more than the customer's valU limit.
        case otpGenerationFails
        /// The purchase is declined (`13666`), after a good OTP.
        case purchaseDeclined
    }

    /// The one-time password the simulated valU accepts; any other fails (`93787`, `13787`).
    public static let passingOTP = "123456"

    public static let notACustomer = "01000000160"
    public static let otpGenerationFails = "01000000746"
    public static let purchaseDeclined = "01000000666"

    /// What the number does (`+20…` and `0020…` forms count as the `0…` one).
    public static func outcome(for phoneNumber: String) -> Outcome {
        switch normalized(phoneNumber) ?? phoneNumber {
        case notACustomer: .notACustomer
        case otpGenerationFails: .otpGenerationFails
        case purchaseDeclined: .purchaseDeclined
        default: .approved
        }
    }

    /// `01` then nine digits: an Egyptian mobile number as the plugin sends it; `+20` and
    /// `0020` in front are taken too. Nil when it is none.
    public static func normalized(_ text: String) -> String? {
        var digits = text
        if digits.hasPrefix("+20") { digits = "0" + digits.dropFirst(3) } else if digits.hasPrefix("0020") { digits = "0" + digits.dropFirst(4) }
        guard digits.utf8.count == 11, digits.hasPrefix("01"), digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return digits
    }
}
