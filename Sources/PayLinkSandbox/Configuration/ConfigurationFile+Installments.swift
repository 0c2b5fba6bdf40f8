import PayLinkAPS
import PayLinkCore
import PayLinkJSON

/// `installments`: the issuers and plans `GET_INSTALLMENTS_PLANS` offers and which merchants
/// have the service (see docs/configuration.md). Given, it replaces the sandbox's default
/// issuers entirely.
extension ConfigurationFile {
    static func installments(_ r: JSONReader) throws(ConfigurationError) -> InstallmentCatalog {
        try r.allowOnly(["issuers", "merchants"])
        var catalog = InstallmentCatalog.sandboxDefault
        if r.optionalValue("issuers") != nil {
            let entries = try r.array("issuers")
            var codes = Set<String>(), planCodes = Set<String>()
            catalog.issuers = try entries.map { (entry) throws(ConfigurationError) in
                let issuer = try issuer(entry.value, path: entry.path)
                guard codes.insert(issuer.code).inserted else {
                    throw ConfigurationError(key: entry.path + ".issuer_code", "\(issuer.code) appears twice")
                }
                for (i, plan) in issuer.plans.enumerated() where !planCodes.insert(plan.code).inserted {
                    throw ConfigurationError(key: entry.path + ".plans[\(i)].plan_code", "\(plan.code) appears twice")
                }
                return issuer
            }
        }
        if r.optionalValue("merchants") != nil, r.object["merchants"] != .null {
            guard let list = try r.optionalStringArray("merchants") else { return catalog }
            catalog.merchants = Set(list)
        }
        return catalog
    }

    private static func issuer(_ value: JSONValue, path: String) throws(ConfigurationError) -> InstallmentIssuer {
        guard case .object(let object) = value else { throw ConfigurationError(key: path, "expected an object") }
        let r = JSONReader(object, path: path)
        try r.allowOnly(["issuer_code", "issuer_name_en", "issuer_name_ar", "country_code", "banking_system", "issuer_logo_en",
                         "issuer_logo_ar", "terms_and_condition_en", "terms_and_condition_ar", "bins", "plans"])
        let code = try apsCode(r, "issuer_code")
        let country = try r.nonEmptyString("country_code")
        guard country.count == 3, country.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw ConfigurationError(key: r.path("country_code"), "expected an ISO 3166 alpha-3 code such as ARE or SAU")
        }
        let banking = try r.optionalString("banking_system") ?? "Non Islamic"
        guard banking == "Islamic" || banking == "Non Islamic" else {
            throw ConfigurationError(key: r.path("banking_system"), "expected Islamic or Non Islamic, got \"\(banking)\"")
        }
        var urls: [String: String] = [:]
        for key in ["issuer_logo_en", "issuer_logo_ar", "terms_and_condition_en", "terms_and_condition_ar"] {
            if let url = try r.optionalString(key) { urls[key] = try publicURL(url, key: r.path(key)) }
        }
        guard let bins = try r.optionalStringArray("bins"), !bins.isEmpty else {
            throw ConfigurationError(key: r.path("bins"), "expected a non-empty list of 6-digit card BINs")
        }
        for (i, bin) in bins.enumerated() where bin.count != 6 || !bin.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw ConfigurationError(key: r.path("bins") + "[\(i)]", "\"\(bin)\" is not 6 digits")
        }
        let plans = try r.array("plans")
        guard !plans.isEmpty else { throw ConfigurationError(key: r.path("plans"), "name at least one plan") }
        return InstallmentIssuer(code: code, nameEnglish: try r.nonEmptyString("issuer_name_en"),
                                 nameArabic: try r.nonEmptyString("issuer_name_ar"), countryCode: country, bankingSystem: banking,
                                 logoEnglish: urls["issuer_logo_en"], logoArabic: urls["issuer_logo_ar"],
                                 termsEnglish: urls["terms_and_condition_en"], termsArabic: urls["terms_and_condition_ar"],
                                 bins: bins, plans: try plans.map { (p) throws(ConfigurationError) in try plan(p.value, path: p.path) })
    }

    private static func plan(_ value: JSONValue, path: String) throws(ConfigurationError) -> InstallmentPlan {
        guard case .object(let object) = value else { throw ConfigurationError(key: path, "expected an object") }
        let r = JSONReader(object, path: path)
        try r.allowOnly(["plan_code", "currency", "number_of_installments", "fees_type", "fees_amount", "rate_type",
                         "minimum_amount", "maximum_amount", "plan_merchant_type", "plan_type"])
        let code = try apsCode(r, "plan_code")
        let currencyCode = try r.nonEmptyString("currency")
        guard let currency = Currency(code: currencyCode) else {
            throw ConfigurationError(key: r.path("currency"), "\"\(currencyCode)\" is not an ISO 4217 currency code")
        }
        let months = try r.integer("number_of_installments")
        guard (2...99).contains(months) else {
            throw ConfigurationError(key: r.path("number_of_installments"), "expected 2 to 99 (Numeric max 2)")
        }
        let feesType = try r.choice("fees_type", [("Percentage", true), ("Fixed", false)])
        let fees: InstallmentPlan.Fees
        if feesType {
            fees = .percentage(hundredths: try percentage(r, "fees_amount"))
        } else {
            let fixed = try r.integer("fees_amount", as: Int64.self)
            guard fixed >= 0 else { throw ConfigurationError(key: r.path("fees_amount"), "expected 0 or more, in minor units") }
            fees = .fixed(minorUnits: fixed)
        }
        let rate = r.optionalValue("rate_type") == nil ? .flat
            : try r.choice("rate_type", InstallmentPlan.RateType.allCases.map { ($0.rawValue, $0) })
        let minimum = try r.integer("minimum_amount", as: Int64.self), maximum = try r.integer("maximum_amount", as: Int64.self)
        guard minimum > 0 else { throw ConfigurationError(key: r.path("minimum_amount"), "expected a positive amount in minor units") }
        guard maximum >= minimum, maximum <= 9_999_999_999 else {
            throw ConfigurationError(key: r.path("maximum_amount"), "expected from minimum_amount to 9999999999 (amount is max 10 digits)")
        }
        let merchantType = try r.optionalValue("plan_merchant_type") == nil ? "Partner"
            : r.choice("plan_merchant_type", [("Partner", "Partner"), ("Non Partner", "Non Partner")])
        let planType = try r.optionalValue("plan_type") == nil ? "Local"
            : r.choice("plan_type", [("Local", "Local"), ("Cross-Border", "Cross-Border")])
        return InstallmentPlan(code: code, currency: currency, numberOfInstallments: months, fees: fees, rateType: rate,
                               minimumAmount: minimum, maximumAmount: maximum, merchantType: merchantType, planType: planType)
    }

    /// `issuer_code` and `plan_code`: Alphanumeric max 8, as the docs give them.
    private static func apsCode(_ r: JSONReader, _ key: String) throws(ConfigurationError) -> String {
        let code = try r.nonEmptyString(key)
        guard code.count <= 8, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw ConfigurationError(key: r.path(key), "must be 1 to 8 letters or digits, got \"\(code)\"")
        }
        return code
    }

    /// A percentage with at most two decimals (`1.5`), as hundredths of a percent.
    private static func percentage(_ r: JSONReader, _ key: String) throws(ConfigurationError) -> Int {
        guard case .number(let literal)? = r.optionalValue(key) else {
            throw ConfigurationError(key: r.path(key), "expected a percentage such as 1.5")
        }
        let parts = literal.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]), whole >= 0, whole <= 100,
              parts.count == 1 || (1...2).contains(parts[1].count) && parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ConfigurationError(key: r.path(key), "expected a percentage from 0 to 100 with at most two decimals, got \(literal)")
        }
        let fraction = parts.count == 2 ? Int(parts[1])! * (parts[1].count == 1 ? 10 : 1) : 0
        return whole * 100 + fraction
    }
}
