/// A merchant account as APS knows it: credentials, signing settings and feedback URLs.
public struct Merchant: Sendable, Equatable {
    /// The account's fields, what `Merchant` held itself until it was read on every request.
    struct Settings: Sendable, Equatable {
        var identifier: String
        var accessCode: String
        var shaType: SignatureAlgorithm
        var requestPhrase: String
        var responsePhrase: String
        var notificationURL: String?
        var redirectURL: String?
        var currencies: [String]?
        var notificationsFormEncoded = false
        var directFeedbackURL: String?
        var paymentOptions: [String]? = nil
        var trustedChannel = false
        var applePay: ApplePayCredentials? = nil
    }

    /// The settings behind one reference. A merchant is copied out of the directory for every
    /// request, and a copy of thirteen fields retained their strings and arrays one by one and
    /// moved some 200 bytes (about 400 instructions with the copy's destruction); a copy of
    /// this is one retain. Immutable, so a change makes a new one (rare: configuration, the
    /// control API), and no copy ever sees another's change.
    final class SharedSettings: Sendable {
        let settings: Settings
        init(_ settings: Settings) { self.settings = settings }
    }

    private var shared: SharedSettings

    private var settings: Settings { shared.settings }

    private mutating func change(_ body: (inout Settings) -> Void) {
        var settings = shared.settings
        body(&settings)
        shared = SharedSettings(settings)
    }

    public var identifier: String {
        get { settings.identifier }
        set { change { $0.identifier = newValue } }
    }
    public var accessCode: String {
        get { settings.accessCode }
        set { change { $0.accessCode = newValue } }
    }
    public var shaType: SignatureAlgorithm {
        get { settings.shaType }
        set { change { $0.shaType = newValue } }
    }
    public var requestPhrase: String {
        get { settings.requestPhrase }
        set { change { $0.requestPhrase = newValue } }
    }
    public var responsePhrase: String {
        get { settings.responsePhrase }
        set { change { $0.responsePhrase = newValue } }
    }
    public var notificationURL: String? {
        get { settings.notificationURL }
        set { change { $0.notificationURL = newValue } }
    }
    public var redirectURL: String? {
        get { settings.redirectURL }
        set { change { $0.redirectURL = newValue } }
    }
    /// Currencies the account accepts; nil accepts every ISO 4217 currency.
    public var currencies: [String]? {
        get { settings.currencies }
        set { change { $0.currencies = newValue } }
    }
    /// Post notifications form-encoded instead of as JSON (the older APS default).
    public var notificationsFormEncoded: Bool {
        get { settings.notificationsFormEncoded }
        set { change { $0.notificationsFormEncoded = newValue } }
    }
    /// Where Direct Transaction Feedback goes (each payment attempt's immediate result); nil
    /// sends it to `notificationURL`, as before there were two channels.
    public var directFeedbackURL: String? {
        get { settings.directFeedbackURL }
        set { change { $0.directFeedbackURL = newValue } }
    }
    /// Payment options the account accepts (`merchants[].payment_options`); nil accepts every
    /// option the sandbox knows (`PaymentOptionRules.knownOptions`). Others are refused with 003.
    public var paymentOptions: [String]? {
        get { settings.paymentOptions }
        set { change { $0.paymentOptions = newValue } }
    }
    /// Whether the merchant may send card data server to server (APS's trusted channel,
    /// `merchants[].trusted_channel`): PCI-certified merchants only, so off unless configured.
    /// Others sending `card_number` or `expiry_date` to paymentApi are refused with `00040`.
    public var trustedChannel: Bool {
        get { settings.trustedChannel }
        set { change { $0.trustedChannel = newValue } }
    }
    /// The separate credentials Apple Pay payments use (`merchants[].apple_pay`); nil refuses
    /// them (`00010`, see `ApplePayCredentials`).
    public var applePay: ApplePayCredentials? {
        get { settings.applePay }
        set { change { $0.applePay = newValue } }
    }
    /// Whether `applePay` is set, without copying it out: asked on every paymentApi request,
    /// where the copy of the optional went through its generic value witness (about 90
    /// instructions).
    public var hasApplePay: Bool { settings.applePay != nil }

    public init(identifier: String, accessCode: String, shaType: SignatureAlgorithm = .sha256,
                requestPhrase: String, responsePhrase: String, notificationURL: String? = nil,
                redirectURL: String? = nil, currencies: [String]? = nil) {
        shared = SharedSettings(Settings(identifier: identifier, accessCode: accessCode, shaType: shaType,
                                         requestPhrase: requestPhrase, responsePhrase: responsePhrase,
                                         notificationURL: notificationURL, redirectURL: redirectURL, currencies: currencies))
    }

    /// Equal when every field is (the same shared settings are, at once).
    public static func == (lhs: Merchant, rhs: Merchant) -> Bool {
        lhs.shared === rhs.shared || lhs.settings == rhs.settings
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
