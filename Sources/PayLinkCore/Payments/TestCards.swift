/// What a test card does when it pays, documented in the README's test-card table.
///
/// The approving and 3-D Secure cards are APS's published sandbox cards (the testing page, and the
/// old PayFort test page for Mada and Meeza). APS's "Declined & Uncertain Cards" table is not
/// public, so the declining cards are the sandbox's own, chosen to pass the Luhn check.
public enum TestCards {
    public enum Outcome: Sendable, Equatable {
        case approved
        /// The issuer asks for a 3-D Secure challenge (APS `20064`).
        case challenge
        /// Declined with this APS message code (the status comes from the command).
        case declined(message: String)
        /// The acquirer did not confirm (status 15, `15777`); a notification settles it
        /// `uncertainResolutionSeconds` later, approved or declined.
        case uncertain(approves: Bool)
    }

    /// The 3-D Secure code the simulated challenge accepts; any other fails (status 45).
    public static let passingChallengeCode = "1234"

    /// How long, in sandbox seconds, an uncertain payment waits for its resolution.
    public static let uncertainResolutionSeconds: Int64 = 60

    /// The one-time password the simulated STC Pay wallet accepts; any other fails (787).
    public static let passingWalletOTP = "1234"

    /// Declining and uncertain cards; any other Luhn-valid number is approved, and the
    /// listed 3-D Secure cards are challenged.
    public static let special: [String: Outcome] = [
        "4557012345678902": .challenge, "5313581000123430": .challenge, "374200000000004": .challenge,
        "4000000000000028": .declined(message: "029"),   // Insufficient funds
        "5123450000000024": .declined(message: "029"),
        "4000000000000127": .declined(message: "012"),   // Card expired
        "4000000000000663": .declined(message: "666"),   // Transaction declined
        "5123450000000669": .declined(message: "666"),
        "4000000000000770": .uncertain(approves: true),
        "4000000000000788": .uncertain(approves: false),
    ]

    public static func outcome(for cardNumber: String) -> Outcome {
        special[cardNumber] ?? .approved
    }

    /// The outcome of the test card a masked number (`masked(_:)`) stands for: what a saved
    /// card's token does. First six and last four digits tell every special card apart.
    public static func outcome(forMasked maskedNumber: String) -> Outcome {
        specialByMasked[maskedNumber] ?? .approved
    }

    private static let specialByMasked: [String: Outcome] = Dictionary(uniqueKeysWithValues: special.map { (masked($0.key), $0.value) })

    /// 12 to 19 digits passing the Luhn check.
    public static func isValidNumber(_ number: String) -> Bool {
        let digits = number.utf8.map { Int($0) - 48 }
        guard (12...19).contains(digits.count), digits.allSatisfy({ (0...9).contains($0) }) else { return false }
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            if i % 2 == 1 { let doubled = d * 2; sum += doubled > 9 ? doubled - 9 : doubled } else { sum += d }
        }
        return sum % 10 == 0
    }

    /// First six and last four digits, the rest as `*`: `400555******0001`.
    public static func masked(_ number: String) -> String {
        let chars = Array(number)
        guard chars.count > 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(6)) + String(repeating: "*", count: chars.count - 10) + String(chars.suffix(4))
    }
}
