import PayLinkCore

/// Parsers for the values whose rules go beyond a character class.
enum APSValues {
    /// "Integer in minor units, max 10 digits, must be positive" (accepted as a JSON string or
    /// number). More than 10 digits is 032; anything else that is not a positive integer, 005.
    static func amount(_ text: String) throws(APSFailure) -> Int64 {
        guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw APSFailure(message: "005", detail: "amount must be a positive integer in minor units, got '\(text)'")
        }
        guard text.utf8.count <= 10 else { throw .length("amount", max: 10) }
        guard text.utf8.first != UInt8(ascii: "0"), let value = Int64(text), value > 0 else {
            throw APSFailure(message: "005", detail: "amount must be a positive integer without leading zeros, got '\(text)'")
        }
        return value
    }

    /// An upper-case ISO 4217 code the merchant accepts; otherwise 013.
    static func currency(_ text: String, merchant: Merchant) throws(APSFailure) -> Currency {
        guard text.count <= 3 else { throw .length("currency", max: 3) }
        guard let currency = Currency(code: text) else {
            throw APSFailure(message: "013", detail: "'\(text)' is not an ISO 4217 currency code (upper case, e.g. SAR)")
        }
        guard merchant.accepts(currency: text) else {
            throw APSFailure(message: "013", detail: "merchant \(merchant.identifier) does not accept \(text)")
        }
        return currency
    }

    static func language(_ text: String) throws(APSFailure) -> String {
        try APSFields.language.check(text)
        guard text == "en" || text == "ar" else { throw .format("language", "must be en or ar") }
        return text
    }

    /// ISO 8601 with an offset or `Z`, in the future of the sandbox clock.
    static func expiry(_ text: String, now: SandboxInstant) throws(APSFailure) -> SandboxInstant {
        try APSFields.requestExpiryDate.check(text)
        guard let instant = ISO8601.parseDateTime(text) else {
            throw .format("request_expiry_date", "expected ISO 8601 with a time zone, e.g. 2026-12-31T23:59:59+03:00")
        }
        guard instant > now else {
            throw .format("request_expiry_date", "must lie in the future (sandbox time is \(ISO8601.formatUTC(now)))")
        }
        return instant
    }

    static func email(_ text: String) throws(APSFailure) {
        try APSFields.customerEmail.check(text)
        // ASCII (nearly every address): the same test over bytes, where splitting the String
        // walks its grapheme clusters (a batch file checks 100,000 addresses).
        if let ascii = asciiEmail(text) {
            guard ascii else { throw .format("customer_email", "not an e-mail address") }
            return
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { throw .format("customer_email", "not an e-mail address") }
    }

    /// Whether an all-ASCII text is one `@` with something before it and, after it, a dot
    /// that neither starts nor ends the domain (what `email` asks); nil when it is not ASCII.
    private static func asciiEmail(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8 { bytes -> Bool? in
            var at: Int?
            for (index, byte) in bytes.enumerated() {
                if byte >= 0x80 { return nil }
                if byte == UInt8(ascii: "@") {
                    if at != nil { return false }
                    at = index
                }
            }
            guard let at, at > 0 else { return false }
            let domain = bytes[(at + 1)...]
            return domain.contains(UInt8(ascii: ".")) && domain.first != UInt8(ascii: ".") && domain.last != UInt8(ascii: ".")
        }
    }

    /// `EMAIL`, `SMS`, `NONE` or a comma-separated combination. "If the Customer chooses NONE
    /// with EMAIL or SMS, then the NONE will be taken as notification type."
    static func notificationType(_ text: String) throws(APSFailure) -> String {
        try APSFields.notificationType.check(text)
        // The usual values are already in the form the loop below would give them.
        switch text {
        case "NONE", "EMAIL", "SMS", "EMAIL,SMS": return text
        default: break
        }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var chosen: [String] = []
        for part in parts {
            guard ["EMAIL", "SMS", "NONE"].contains(part) else {
                throw .format("notification_type", "'\(part)' is not EMAIL, SMS or NONE")
            }
            if !chosen.contains(part) { chosen.append(part) }
        }
        if chosen.contains("NONE") { return "NONE" }
        return ["EMAIL", "SMS"].filter(chosen.contains).joined(separator: ",")
    }

    static func linkCommand(_ text: String) throws(APSFailure) -> String {
        try APSFields.linkCommand.check(text)
        guard text == "PURCHASE" || text == "AUTHORIZATION" else {
            throw .format("link_command", "must be PURCHASE or AUTHORIZATION")
        }
        return text
    }

    /// A link's `payment_option`: one of `APSFields.paymentOptions` (else 080), or TAMARA, which
    /// `LinkPaymentOptions` refuses with its own code once the link's terms are known.
    static func paymentOption(_ text: String) throws(APSFailure) -> String {
        try APSFields.paymentOption.check(text)
        guard APSFields.paymentOptions.contains(text) || text == "TAMARA" else {
            throw APSFailure(message: "080", detail: "'\(text)' is not a payment option for links")
        }
        return text
    }

    static func returnURL(_ text: String) throws(APSFailure) {
        try APSFields.returnURL.check(text)
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
            throw .format("return_url", "must be an absolute http(s) URL")
        }
    }
}
