import PayLinkCore
import PayLinkJSON

/// A merchant as a config file entry (`merchants[]`, docs/configuration.md): what
/// `/__sandbox/merchants` reads and answers, and how state snapshots keep the merchants made at
/// run time. Reading is the config file's own (`ConfigurationFile.merchant`), so the control API
/// refuses exactly what a start refuses, naming the field. Written with every key the merchant
/// has, the phrases included (a local sandbox: the config file holds them in clear too), so an
/// answer can be sent back with `PUT` as it is.
enum MerchantEntryJSON {
    static func encode(_ merchant: Merchant) -> JSONObject {
        var object: JSONObject = [
            "merchant_identifier": .string(merchant.identifier),
            "access_code": .string(merchant.accessCode),
            "sha_type": .string(merchant.shaType.rawValue),
            "sha_request_phrase": .string(merchant.requestPhrase),
            "sha_response_phrase": .string(merchant.responsePhrase),
        ]
        if let url = merchant.notificationURL { object["notification_url"] = .string(url) }
        if let url = merchant.directFeedbackURL { object["direct_feedback_url"] = .string(url) }
        if let url = merchant.redirectURL { object["redirect_url"] = .string(url) }
        object["feedback_format"] = .string(merchant.feedbackFormat.rawValue)
        if let currencies = merchant.currencies { object["currencies"] = .array(currencies.map { .string($0) }) }
        if let options = merchant.paymentOptions { object["payment_options"] = .array(options.map { .string($0) }) }
        // Written only when on, so entries of merchants without it read as before.
        if merchant.trustedChannel { object["trusted_channel"] = .bool(true) }
        if let applePay = merchant.applePay {
            object["apple_pay"] = .object([
                "access_code": .string(applePay.accessCode), "sha_type": .string(applePay.shaType.rawValue),
                "sha_request_phrase": .string(applePay.requestPhrase), "sha_response_phrase": .string(applePay.responsePhrase),
            ])
        }
        return object
    }

    /// Reads one entry, checked as the config file checks it; the problem names the field
    /// under `path` (empty for a request body: `sha_type: expected one of …`).
    static func decode(_ value: JSONValue, path: String) throws(FieldProblem) -> Merchant {
        try ConfigurationFile.merchant(value, path: path)
    }
}
