import PayLinkCore
import PayLinkJSON

/// `merchants[].payment_options` and `aps.payment_option_rules` (see docs/configuration.md).
extension ConfigurationFile {
    /// The options a merchant accepts: names the sandbox knows, each once, at least one.
    static func paymentOptions(_ r: JSONReader) throws(ConfigurationError) -> [String]? {
        guard let list = try r.optionalStringArray("payment_options") else { return nil }
        let key = r.path("payment_options")
        guard !list.isEmpty else { throw ConfigurationError(key: key, "name at least one payment option, or leave the key out to accept all") }
        var seen = Set<String>()
        for (i, option) in list.enumerated() {
            guard PaymentOptionRules.knownOptions.contains(option) else {
                throw ConfigurationError(key: key + "[\(i)]", "\"\(option)\" is not a payment option; known: \(PaymentOptionRules.knownOptions.joined(separator: ", "))")
            }
            guard seen.insert(option).inserted else { throw ConfigurationError(key: key + "[\(i)]", "\(option) appears twice") }
        }
        return list
    }

    /// Overrides of the documented rules, option by option and key by key: a list replaces that
    /// limit, `null` lifts it, a key left out keeps the documented one.
    static func paymentOptionRules(_ r: JSONReader, base: PaymentOptionRules) throws(ConfigurationError) -> PaymentOptionRules {
        var rules = base
        if let duplicate = r.object.duplicateKeys.first { throw ConfigurationError(key: r.path(duplicate), "appears twice") }
        for member in r.object {
            let option = member.key
            let path = r.path(option)
            guard PaymentOptionRules.knownOptions.contains(option) else {
                throw ConfigurationError(key: path, "not a payment option; known: \(PaymentOptionRules.knownOptions.joined(separator: ", "))")
            }
            guard case .object(let object) = member.value else { throw ConfigurationError(key: path, "expected an object") }
            let reader = JSONReader(object, path: path)
            try reader.allowOnly(["currencies", "commands", "eci"])
            var rule = rules[option]
            if object["currencies"] != nil {
                rule.currencies = try limit(reader, "currencies") { Currency(code: $0) != nil ? nil : "is not an ISO 4217 currency code" }
            }
            if object["commands"] != nil {
                rule.commands = try limit(reader, "commands") { PaymentOptionRules.commands.contains($0) ? nil : "expected PURCHASE or AUTHORIZATION" }
            }
            if object["eci"] != nil {
                rule.eci = try limit(reader, "eci") { PaymentOptionRules.eciValues.contains($0) ? nil : "expected ECOMMERCE, MOTO or RECURRING" }
            }
            rules[option] = rule
        }
        return rules
    }

    /// One limit: `null` (none) or a non-empty list of values `problem` finds nothing wrong with.
    private static func limit(_ r: JSONReader, _ key: String, _ problem: (String) -> String?) throws(ConfigurationError) -> Set<String>? {
        if r.object[key] == .null { return nil }
        guard let list = try r.optionalStringArray(key), !list.isEmpty else {
            throw ConfigurationError(key: r.path(key), "expected a non-empty list, or null for no limit")
        }
        for (i, value) in list.enumerated() {
            if let why = problem(value) { throw ConfigurationError(key: r.path(key) + "[\(i)]", "\"\(value)\" \(why)") }
        }
        return Set(list)
    }
}
