/// What the customer paid with, as the order records it (never the full card number or CVV).
public struct PaymentDetails: Sendable, Equatable {
    /// `400555******0001`: first six and last four digits.
    public var maskedCardNumber: String?
    /// `VISA`, `MADA`, `STCPAY`, `VISA_CHECKOUT`, …
    public var paymentOption: String?
    /// The card's expiry as APS sends it back, `YYMM`.
    public var expiryDate: String?
    public var cardHolderName: String?
    /// The wallet's mobile number (STC Pay).
    public var phoneNumber: String?

    public init(maskedCardNumber: String? = nil, paymentOption: String? = nil, expiryDate: String? = nil,
                cardHolderName: String? = nil, phoneNumber: String? = nil) {
        self.maskedCardNumber = maskedCardNumber
        self.paymentOption = paymentOption
        self.expiryDate = expiryDate
        self.cardHolderName = cardHolderName
        self.phoneNumber = phoneNumber
    }
}
