import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkCrypto

/// Reads the JSON config file (`serve --config`, see docs/configuration.md). Unknown keys and bad values are refused with
/// the key's path, so a typo never silently falls back to a default.
public enum ConfigurationFile {
    public static func parse(_ bytes: [UInt8], into base: SandboxConfiguration = SandboxConfiguration()) throws(ConfigurationError) -> SandboxConfiguration {
        let root: JSONObject
        do {
            guard case .object(let object) = try JSONParser.parse(bytes) else {
                throw ConfigurationError(key: "", "the file must hold one JSON object")
            }
            root = object
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(key: "", "not valid JSON: \(error)")
        }
        var config = base
        let reader = JSONReader(root, path: "")
        try reader.allowOnly(["merchants", "paybylink", "clock", "public_url", "aps", "server", "notifications", "journal", "installments"])
        if let merchants = try reader.optionalArray("merchants") {
            guard !merchants.isEmpty else { throw ConfigurationError(key: "merchants", "name at least one merchant") }
            config.merchants = try merchants.enumerated().map { (i, value) throws(ConfigurationError) in
                try merchant(value, path: "merchants[\(i)]")
            }
            var seen = Set<String>()
            for (i, m) in config.merchants.enumerated() where !seen.insert(m.identifier).inserted {
                throw ConfigurationError(key: "merchants[\(i)].merchant_identifier", "\(m.identifier) appears twice")
            }
            config.usesDemoMerchant = false
        }
        if let pbl = try reader.optionalObject("paybylink") {
            try pbl.allowOnly(["subscription_keys", "base_path"])
            if let keys = try pbl.optionalStringArray("subscription_keys") { config.payByLink.subscriptionKeys = keys }
            if let base = try pbl.optionalString("base_path") {
                guard base.hasPrefix("/"), !base.hasSuffix("/") || base == "/" else {
                    throw ConfigurationError(key: "paybylink.base_path", "must start with / and not end with one, e.g. /paybylink/v1")
                }
                config.payByLink.basePath = base
            }
        }
        if let clock = try reader.optionalObject("clock") {
            try clock.allowOnly(["start", "mode"])
            if let start = try clock.optionalString("start") {
                guard let instant = ISO8601.parseDateTime(start) else {
                    throw ConfigurationError(key: "clock.start", "expected ISO 8601 with a time zone, e.g. 2026-01-01T00:00:00Z")
                }
                config.clock.start = instant
            }
            if let mode = try clock.optionalString("mode") {
                guard let parsed = SandboxClock.Mode(rawValue: mode) else {
                    throw ConfigurationError(key: "clock.mode", "expected running or frozen, got \"\(mode)\"")
                }
                config.clock.mode = parsed
            }
        }
        if let url = try reader.optionalString("public_url") { config.publicURL = try publicURL(url, key: "public_url") }
        if let aps = try reader.optionalObject("aps") {
            try aps.allowOnly(["empty_value_signatures", "payment_option_rules"])
            if let policy = try aps.optionalString("empty_value_signatures") {
                guard let parsed = EmptyValuePolicy(rawValue: policy) else {
                    throw ConfigurationError(key: "aps.empty_value_signatures", "expected either, omit or include, got \"\(policy)\"")
                }
                config.emptyValueSignatures = parsed
            }
            if let rules = try aps.optionalObject("payment_option_rules") {
                config.paymentOptionRules = try paymentOptionRules(rules, base: config.paymentOptionRules)
            }
        }
        if let section = try reader.optionalObject("installments") { config.installments = try installments(section) }
        if let notifications = try reader.optionalObject("notifications") {
            try notifications.allowOnly(["retries", "retry_interval_seconds", "rewrite"])
            if let value = notifications.object["retries"] {
                guard case .number(let literal) = value, let n = Int(literal), n >= 0, n <= 100 else {
                    throw ConfigurationError(key: "notifications.retries", "expected a whole number from 0 to 100")
                }
                config.notificationRetries = n
            }
            if let v = try notifications.optionalPositiveInteger("retry_interval_seconds") { config.notificationRetryIntervalSeconds = v }
            if let rules = try notifications.optionalObject("rewrite") { config.notificationRewrite = try notificationRewrite(rules) }
        }
        if let journal = try reader.optionalObject("journal") {
            try journal.allowOnly(["capacity"])
            if let v = try journal.optionalPositiveInteger("capacity") {
                guard v <= 1_000_000 else { throw ConfigurationError(key: "journal.capacity", "expected at most 1000000 entries") }
                config.journalCapacity = v
            }
        }
        if let server = try reader.optionalObject("server") {
            try server.allowOnly(["max_body_bytes", "header_timeout_seconds", "max_connections", "max_upload_bytes", "event_backend"])
            if let v = try server.optionalPositiveInteger("max_body_bytes") { config.server.maxBodyBytes = v }
            if let v = try server.optionalPositiveInteger("header_timeout_seconds") { config.server.headerTimeout = .seconds(v) }
            if let v = try server.optionalPositiveInteger("max_connections") { config.server.maxConnections = v }
            if server.optionalValue("event_backend") != nil {
                let backend = try server.choice("event_backend", EventBackend.allCases.map { ($0.rawValue, $0) })
                guard backend.isAvailable else {
                    throw ConfigurationError(key: "server.event_backend", "\(backend.rawValue) does not exist on this system; use poll")
                }
                config.server.eventBackend = backend
            }
        }
        if let server = try reader.optionalObject("server") {
            // Batch and blob uploads only; every other body keeps max_body_bytes.
            if let v = try server.optionalPositiveInteger("max_upload_bytes") { config.server.maxUploadBytes = v }
        }
        return config
    }

    package static func publicURL(_ text: String, key: String) throws(ConfigurationError) -> String {
        guard text.hasPrefix("http://") || text.hasPrefix("https://"), text.count > 8 else {
            throw ConfigurationError(key: key, "expected an http:// or https:// URL, got \"\(text)\"")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// One `merchants[]` entry at `path`; also how `/__sandbox/merchants` reads a merchant, so
    /// one made at run time passes exactly the checks of one configured.
    package static func merchant(_ value: JSONValue, path: String) throws(ConfigurationError) -> Merchant {
        guard case .object(let object) = value else { throw ConfigurationError(key: path, "expected an object") }
        let r = JSONReader(object, path: path)
        try r.allowOnly(["merchant_identifier", "access_code", "sha_type", "sha_request_phrase", "sha_response_phrase",
                         "notification_url", "redirect_url", "currencies", "notification_format",
                         "direct_feedback_url", "feedback_format", "payment_options", "trusted_channel", "apple_pay"])
        let identifier = try r.nonEmptyString("merchant_identifier")
        let accessCode = try r.nonEmptyString("access_code")
        for (key, text) in [("merchant_identifier", identifier), ("access_code", accessCode)]
        where text.count > 20 || !text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            throw ConfigurationError(key: r.path(key), "must be 1 to 20 letters or digits, as APS issues them")
        }
        var shaType = SignatureAlgorithm.sha256
        if let name = try r.optionalString("sha_type") {
            guard let parsed = SignatureAlgorithm(name: name) else {
                throw ConfigurationError(key: r.path("sha_type"), "expected one of SHA-256, SHA-512, HMAC-SHA256, HMAC-SHA512, got \"\(name)\"")
            }
            shaType = parsed
        }
        var currencies: [String]?
        if let list = try r.optionalStringArray("currencies") {
            for (i, code) in list.enumerated() where Currency(code: code) == nil {
                throw ConfigurationError(key: r.path("currencies") + "[\(i)]", "\"\(code)\" is not an ISO 4217 currency code")
            }
            currencies = list
        }
        let notificationURL = try r.optionalString("notification_url").map { (u) throws(ConfigurationError) in try publicURL(u, key: r.path("notification_url")) }
        let redirectURL = try r.optionalString("redirect_url").map { (u) throws(ConfigurationError) in try publicURL(u, key: r.path("redirect_url")) }
        var merchant = Merchant(identifier: identifier, accessCode: accessCode, shaType: shaType,
                                requestPhrase: try r.nonEmptyString("sha_request_phrase"),
                                responsePhrase: try r.nonEmptyString("sha_response_phrase"),
                                notificationURL: notificationURL, redirectURL: redirectURL, currencies: currencies)
        try feedbackChannels(r, into: &merchant)
        merchant.paymentOptions = try paymentOptions(r)
        merchant.trustedChannel = try r.optionalBool("trusted_channel") ?? false
        merchant.applePay = try applePay(r)
        return merchant
    }

    /// `apple_pay`: the merchant's separate Apple Pay credentials, checked as the ordinary ones.
    private static func applePay(_ merchant: JSONReader) throws(ConfigurationError) -> ApplePayCredentials? {
        guard let r = try merchant.optionalObject("apple_pay") else { return nil }
        try r.allowOnly(["access_code", "sha_type", "sha_request_phrase", "sha_response_phrase"])
        let accessCode = try r.nonEmptyString("access_code")
        guard accessCode.count <= 20, accessCode.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw ConfigurationError(key: r.path("access_code"), "must be 1 to 20 letters or digits, as APS issues them")
        }
        var shaType = SignatureAlgorithm.sha256
        if let name = try r.optionalString("sha_type") {
            guard let parsed = SignatureAlgorithm(name: name) else {
                throw ConfigurationError(key: r.path("sha_type"), "expected one of SHA-256, SHA-512, HMAC-SHA256, HMAC-SHA512, got \"\(name)\"")
            }
            shaType = parsed
        }
        return ApplePayCredentials(accessCode: accessCode, shaType: shaType, requestPhrase: try r.nonEmptyString("sha_request_phrase"),
                                   responsePhrase: try r.nonEmptyString("sha_response_phrase"))
    }

    /// APS's two feedback channels: `direct_feedback_url` (Direct Transaction Feedback) beside
    /// `notification_url`, and `feedback_format` for both, whose old name `notification_format`
    /// is still read (giving both is refused unless they agree).
    private static func feedbackChannels(_ r: JSONReader, into merchant: inout Merchant) throws(ConfigurationError) {
        merchant.directFeedbackURL = try r.optionalString("direct_feedback_url").map { (u) throws(ConfigurationError) in
            try publicURL(u, key: r.path("direct_feedback_url"))
        }
        var chosen: String?
        for key in ["feedback_format", "notification_format"] {
            guard let format = try r.optionalString(key) else { continue }
            guard format == "json" || format == "form" else {
                throw ConfigurationError(key: r.path(key), "expected json or form, got \"\(format)\"")
            }
            if let chosen, chosen != format {
                throw ConfigurationError(key: r.path(key), "says \(format) but feedback_format says \(chosen); notification_format is its old name, give one")
            }
            chosen = format
        }
        if let chosen { merchant.notificationsFormEncoded = chosen == "form" }
    }
}
