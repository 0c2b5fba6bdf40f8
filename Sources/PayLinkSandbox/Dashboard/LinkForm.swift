import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// The "Generate link" form as a person fills it in, and its translation into the
/// `PAYMENT_LINK` parameters the API would have received.
///
/// Two fields differ from the API, because people type them: the amount is in the currency's
/// major unit (`1250.00` SAR, converted to the API's `125000` with the currency's ISO 4217
/// decimals; more decimals than the currency has is refused), and the expiry is a date and time
/// read as UTC (`2026-12-31T23:59`, as a browser's date-time field sends it; a full ISO 8601
/// value with a zone is taken as it is).
struct LinkForm: Sendable {
    var merchant = ""
    var reference = ""
    var amount = ""
    var currency = "SAR"
    var email = ""
    var expiry = ""
    var notification = "EMAIL"
    var language = "en"
    var name = ""
    var phone = ""
    var description = ""
    var paymentOption = ""

    /// What a person must correct, in words.
    struct Problem: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    init() {}

    init(_ body: FormBody) {
        merchant = body["merchant_identifier"]
        reference = body["merchant_reference"]
        amount = body["amount"]
        currency = body["currency"].uppercased()
        email = body["customer_email"]
        expiry = body["request_expiry_date"]
        notification = body["notification_type"]
        language = body["language"]
        name = body["customer_name"]
        phone = body["customer_phone"]
        description = body["order_description"]
        paymentOption = body["payment_option"]
    }

    /// The `PAYMENT_LINK` parameters, or what a person must correct first (the API's own checks
    /// run after, on these parameters).
    func parameters(currency code: String) throws(Problem) -> JSONObject {
        guard let currency = Currency(code: code) else { throw Problem("Currency: \(code.isEmpty ? "required" : "\(code) is not an ISO 4217 currency").") }
        guard let minorUnits = Self.minorUnits(amount, decimals: currency.decimals) else {
            throw Problem("Amount: a positive number with at most \(currency.decimals) decimal\(currency.decimals == 1 ? "" : "s") for \(currency.code), such as \(currency.format(minorUnits: 125_000).filter { $0 != "," }).")
        }
        guard let expiryISO = Self.expiry(expiry) else {
            throw Problem("Expiry date: use a date and time such as 2026-12-31T23:59 (UTC).")
        }
        var members: [JSONObject.Member] = [
            .init(key: "service_command", value: "PAYMENT_LINK"),
            .init(key: "merchant_reference", value: .string(reference)),
            .init(key: "amount", value: .string(String(minorUnits))),
            .init(key: "currency", value: .string(currency.code)),
            .init(key: "language", value: .string(language.isEmpty ? "en" : language)),
            .init(key: "customer_email", value: .string(email)),
            .init(key: "request_expiry_date", value: .string(expiryISO)),
            .init(key: "notification_type", value: .string(notification)),
        ]
        for (key, value) in [("customer_name", name), ("customer_phone", phone), ("order_description", description),
                             ("payment_option", paymentOption)] where !value.isEmpty {
            members.append(.init(key: key, value: .string(value)))
        }
        return JSONObject(members)
    }

    /// `1250.5` with 2 decimals → 125050; nil for anything but digits with an optional
    /// fraction no longer than `decimals`, or for zero. Commas may group thousands (`1,250.50`)
    /// and nothing else: `12,50` (a decimal comma) is refused rather than read as 1250.
    static func minorUnits(_ text: String, decimals: Int) -> Int64? {
        let trimmed = text.trimmingWhitespace
        let integerPart = trimmed.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
        if integerPart.contains(",") {
            let groups = integerPart.split(separator: ",", omittingEmptySubsequences: false)
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        }
        let plain = trimmed.filter { $0 != "," }
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isASCIIDigit), parts[0].count <= 15 else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= decimals, fraction.allSatisfy(\.isASCIIDigit), parts.count == 1 || !fraction.isEmpty else { return nil }
        guard let whole = Int64(parts[0]), let padded = Int64(fraction + String(repeating: "0", count: decimals - fraction.count)) else { return nil }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let (product, overflow) = whole.multipliedReportingOverflow(by: scale)
        guard !overflow, product <= Int64.max - padded, product + padded > 0 else { return nil }
        return product + padded
    }

    /// `2026-12-31T23:59` (a browser's date-time field, taken as UTC) → `2026-12-31T23:59:00Z`;
    /// a value that already is ISO 8601 with a zone is kept; nil otherwise.
    static func expiry(_ text: String) -> String? {
        if ISO8601.parseDateTime(text) != nil { return text }
        for candidate in [text + ":00Z", text + "Z"] where ISO8601.parseDateTime(candidate) != nil { return candidate }
        return nil
    }
}
