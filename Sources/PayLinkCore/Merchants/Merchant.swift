/// A merchant account as APS knows it: credentials, signing settings and feedback URLs.
public struct Merchant: Sendable, Equatable {
    public var identifier: String
    public var accessCode: String
    public var shaType: SignatureAlgorithm
    public var requestPhrase: String
    public var responsePhrase: String
    public var notificationURL: String?
    public var redirectURL: String?
    /// Currencies the account accepts; nil accepts every ISO 4217 currency.
    public var currencies: [String]?
    /// Post notifications form-encoded instead of as JSON (the older APS default).
    public var notificationsFormEncoded: Bool = false
    /// Where Direct Transaction Feedback goes (each payment attempt's immediate result); nil
    /// sends it to `notificationURL`, as before there were two channels.
    public var directFeedbackURL: String?
    /// Payment options the account accepts (`merchants[].payment_options`); nil accepts every
    /// option the sandbox knows (`PaymentOptionRules.knownOptions`). Others are refused with 003.
    public var paymentOptions: [String]? = nil
    /// Whether the merchant may send card data server to server (APS's trusted channel,
    /// `merchants[].trusted_channel`): PCI-certified merchants only, so off unless configured.
    /// Others sending `card_number` or `expiry_date` to paymentApi are refused with `00040`.
    public var trustedChannel: Bool = false
    /// The separate credentials Apple Pay payments use (`merchants[].apple_pay`); nil refuses
    /// them (`00010`, see `ApplePayCredentials`).
    public var applePay: ApplePayCredentials? = nil

    public init(identifier: String, accessCode: String, shaType: SignatureAlgorithm = .sha256,
                requestPhrase: String, responsePhrase: String, notificationURL: String? = nil,
                redirectURL: String? = nil, currencies: [String]? = nil) {
        self.identifier = identifier
        self.accessCode = accessCode
        self.shaType = shaType
        self.requestPhrase = requestPhrase
        self.responsePhrase = responsePhrase
        self.notificationURL = notificationURL
        self.redirectURL = redirectURL
        self.currencies = currencies
    }

    public func accepts(currency: String) -> Bool { currencies?.contains(currency) ?? true }

    public func accepts(paymentOption: String) -> Bool { paymentOptions?.contains(paymentOption) ?? true }

    public var signer: APSSigner { APSSigner(algorithm: shaType) }

    /// The demo account `serve` runs with when no config is given; its values are those of the
    /// design's sample config, so the README's curl example works as printed.
    public static let demo = Merchant(
        identifier: "CycHZxVj", accessCode: "zx0IPmPy5jp1vAz8Kpg7", shaType: .sha256,
        requestPhrase: "request-secret", responsePhrase: "response-secret",
        currencies: nil)
}
