import PayLinkCore

/// What a sandbox Apple Pay payment does, chosen by the last four digits of
/// `apple_paymentMethod.apple_displayName`. Apple writes the card's network and last four
/// digits there (`Visa 0028`), so a merchant's test sets the outcome as it would with a test
/// card: the same endings as the declining and uncertain test cards (docs/aps-apple-pay.md).
/// The token itself (`apple_data`) is never decrypted: any value is accepted.
enum ApplePayOutcomes {
    static let special: [String: TestCards.Outcome] = [
        "0028": .declined(message: "029"),   // Insufficient funds
        "0127": .declined(message: "012"),   // Card expired
        "0663": .declined(message: "666"),   // Transaction declined
        "0770": .uncertain(approves: true),
        "0788": .uncertain(approves: false),
    ]

    /// Approved unless the display name ends with one of `special`'s endings.
    static func outcome(displayName: String) -> TestCards.Outcome {
        special[String(displayName.suffix(4))] ?? .approved
    }
}
