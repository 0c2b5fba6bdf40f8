/// What the customer paid with, as the order records it (never the full card number).
public struct PaymentDetails: Sendable, Equatable {
    public var maskedCardNumber: String?
    public var paymentOption: String?

    public init(maskedCardNumber: String? = nil, paymentOption: String? = nil) {
        self.maskedCardNumber = maskedCardNumber
        self.paymentOption = paymentOption
    }
}
