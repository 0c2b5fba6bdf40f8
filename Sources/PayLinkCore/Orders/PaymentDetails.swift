/// What the customer paid with, as the order records it (never the full card number or CVV).
public struct PaymentDetails: Sendable, Hashable {
    /// `400555******0001`: first six and last four digits.
    public var maskedCardNumber: String?
    /// `VISA`, `MADA`, `STCPAY`, … (at most 10 characters: a Visa Checkout payment is `VISA`,
    /// its wallet in `digitalWallet`).
    public var paymentOption: String?
    /// The card's expiry as APS sends it back, `YYMM`.
    public var expiryDate: String?
    public var cardHolderName: String?
    /// The wallet's mobile number (STC Pay).
    public var phoneNumber: String?
    /// The wallet the customer paid through, as feedback's `digital_wallet`: `STCPAY`,
    /// `VISA_CHECKOUT`; nil for a card entered on the page.
    public var digitalWallet: String?
    /// The paying browser's address (`customer_ip`, IPv4 or IPv6).
    public var customerIP: String?

    public init(maskedCardNumber: String? = nil, paymentOption: String? = nil, expiryDate: String? = nil,
                cardHolderName: String? = nil, phoneNumber: String? = nil, digitalWallet: String? = nil,
                customerIP: String? = nil) {
        self.maskedCardNumber = maskedCardNumber
        self.paymentOption = paymentOption
        self.expiryDate = expiryDate
        self.cardHolderName = cardHolderName
        self.phoneNumber = phoneNumber
        self.digitalWallet = digitalWallet
        self.customerIP = customerIP
    }

    /// A wallet payment as APS reports it. `payment_option` holds at most 10 characters, so
    /// Visa Checkout (whose test card is a Visa) reports `payment_option` `VISA` and
    /// `digital_wallet` `VISA_CHECKOUT`, as the official WooCommerce plugin reads it; STC Pay
    /// is `STCPAY` in both. Other options are no wallet and stay as they are.
    public static func wallet(_ option: String, phoneNumber: String? = nil, customerIP: String? = nil) -> PaymentDetails {
        switch option {
        case "VISA_CHECKOUT":
            PaymentDetails(paymentOption: "VISA", phoneNumber: phoneNumber, digitalWallet: option, customerIP: customerIP)
        case "STCPAY":
            PaymentDetails(paymentOption: option, phoneNumber: phoneNumber, digitalWallet: option, customerIP: customerIP)
        default:
            PaymentDetails(paymentOption: option, phoneNumber: phoneNumber, customerIP: customerIP)
        }
    }
}
