/// A saved card (an APS token): made by the Merchant Page's TOKENIZATION or by a hosted
/// payment with `remember_me=YES`, used by later payments with `token_name` (e-commerce,
/// recurring, MOTO), changed by UPDATE_TOKEN.
///
/// It never holds the full card number: the masked number is enough to name the test card
/// (first six and last four digits tell every test card apart), so a token charges as its
/// card does on the page (`TestCards.outcome(forMasked:)`).
public struct CardToken: Sendable, Equatable {
    /// `token_name`: unique in the sandbox, as APS's generated names are everywhere.
    public var name: String
    /// The merchant that saved it; no other merchant can use or see it.
    public let merchantIdentifier: String
    /// `400555******0001`.
    public let maskedCardNumber: String
    /// `card_bin`: the card's first six digits, eight for a 19-digit card (MEEZA). Kept
    /// apart because the masked number keeps only six.
    public let cardBin: String
    /// `VISA`, `MASTERCARD`, `AMEX`, `MADA`, `MEEZA` (`card_brand` in UPDATE_TOKEN's answer).
    public let brand: String
    /// `YYMM`.
    public var expiryDate: String
    public var cardHolderName: String?
    public var status: Status
    public let createdAt: SandboxInstant

    /// `token_status`.
    public enum Status: String, Sendable, CaseIterable {
        case active = "ACTIVE"
        case inactive = "INACTIVE"
    }

    /// `cardBin` nil: the masked number's leading digits (six), for a token saved without
    /// its card's number at hand (or read from a snapshot older than the field).
    public init(name: String, merchantIdentifier: String, maskedCardNumber: String, cardBin: String? = nil, brand: String,
                expiryDate: String, cardHolderName: String?, status: Status = .active, createdAt: SandboxInstant) {
        self.name = name
        self.merchantIdentifier = merchantIdentifier
        self.maskedCardNumber = maskedCardNumber
        self.cardBin = cardBin ?? String(maskedCardNumber.prefix { $0 != "*" }.prefix(8))
        self.brand = brand
        self.expiryDate = expiryDate
        self.cardHolderName = cardHolderName
        self.status = status
        self.createdAt = createdAt
    }

    /// What a payment with this token does, as its test card would on the page.
    public var outcome: TestCards.Outcome { TestCards.outcome(forMasked: maskedCardNumber) }
}

extension CardToken {
    /// The token a checked card is saved as (Merchant Page tokenization, `remember_me=YES`).
    public init(saving card: CardEntry.Checked, name: String, merchantIdentifier: String, at now: SandboxInstant) {
        self.init(name: name, merchantIdentifier: merchantIdentifier, maskedCardNumber: TestCards.masked(card.number),
                  cardBin: Self.bin(of: card.number), brand: card.brand.rawValue, expiryDate: card.details.expiryDate ?? "", cardHolderName: card.details.cardHolderName,
                  createdAt: now)
    }

    /// `card_bin` of a full card number: eight digits for a 19-digit card, else six.
    public static func bin(of cardNumber: String) -> String {
        String(cardNumber.prefix(cardNumber.count == 19 ? 8 : 6))
    }

    /// What a payment with this token records as paid with: the card as the page would have.
    public var paymentDetails: PaymentDetails {
        PaymentDetails(maskedCardNumber: maskedCardNumber, paymentOption: brand, expiryDate: expiryDate, cardHolderName: cardHolderName)
    }
}
