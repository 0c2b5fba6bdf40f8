import PayLinkJSON

/// A merchant's Apple Pay credentials (`merchants[].apple_pay`). APS gives an account that
/// takes Apple Pay a second access code, pair of SHA phrases and SHA type, apart from the
/// ordinary ones: the official PHP SDK's `Apple_AccessCode`, `Apple_SHARequestPhrase`,
/// `Apple_SHAResponsePhrase` and `Apple_SHAType`, the .NET SDK's `ApplePayConfiguration`, the
/// WooCommerce plugin's `apple_pay_access_code` and its phrases. Apple Pay payments are signed
/// and answered with these, and so is what APS sends about them.
public struct ApplePayCredentials: Sendable, Equatable {
    public var accessCode: String
    public var shaType: SignatureAlgorithm
    public var requestPhrase: String
    public var responsePhrase: String

    public init(accessCode: String, shaType: SignatureAlgorithm = .sha256, requestPhrase: String, responsePhrase: String) {
        self.accessCode = accessCode
        self.shaType = shaType
        self.requestPhrase = requestPhrase
        self.responsePhrase = responsePhrase
    }
}

extension Merchant {
    /// The `digital_wallet` value of an Apple Pay payment.
    public static let applePayWallet = "APPLE_PAY"

    /// The merchant as its Apple Pay credentials make it: the same account (identifier,
    /// currencies, feedback URLs) with the Apple Pay access code, phrases and SHA type; nil when
    /// it has none.
    public var applePayAccount: Merchant? {
        guard let applePay else { return nil }
        var account = self
        account.accessCode = applePay.accessCode
        account.shaType = applePay.shaType
        account.requestPhrase = applePay.requestPhrase
        account.responsePhrase = applePay.responsePhrase
        return account
    }

    /// The credentials APS uses for what it sends about `order`: the Apple Pay ones for an
    /// Apple Pay payment (the WooCommerce plugin checks such feedback with its Apple Pay
    /// response phrase), the ordinary ones otherwise.
    public func account(for order: Order) -> Merchant {
        guard order.payment.digitalWallet == Self.applePayWallet, let account = applePayAccount else { return self }
        return account
    }

    /// The credentials that sign `parameters` (a request, an answer, a feedback): the Apple Pay
    /// ones when they say `digital_wallet` APPLE_PAY or carry the Apple Pay access code.
    public func account(signing parameters: JSONObject) -> Merchant {
        guard let applePay, let account = applePayAccount else { return self }
        if parameters["digital_wallet"]?.stringValue == Self.applePayWallet { return account }
        if applePay.accessCode != accessCode, parameters["access_code"]?.stringValue == applePay.accessCode { return account }
        return self
    }
}
