import PayLinkCore
import PayLinkAPS
import PayLinkJSON

/// A payment link in a state snapshot: every field, in a fixed order, with the APS names where
/// APS has one. Optional fields are written as `null` so every link has the same shape.
enum LinkStateJSON {
    static let keys = [
        "payment_link_id", "token", "created_at", "merchant_identifier", "merchant_reference", "amount", "currency",
        "language", "customer_email", "customer_name", "customer_phone", "order_description", "notification_type",
        "link_command", "payment_option", "return_url", "request_expiry_date", "lifecycle", "user_attempts_count",
        "paid_at", "pending_fort_id", "failed_attempts", "merchant_extras", "settlement_reference",
    ]
    /// The keys `merchant_extras` may hold: the APS field names. Absent (older snapshots) reads as none.
    static let merchantExtraKeys = APSFields.merchantExtraNames
    static let attemptKeys = ["at", "response_code", "card_number", "fort_id"]
    static let lifecycles: [(String, LinkLifecycle)] = [("open", .open), ("closed", .closed), ("paid", .paid)]

    static func encode(_ link: PaymentLink) -> JSONValue {
        let terms = link.terms
        let object: JSONObject = [
            "payment_link_id": .string(link.id), "token": .string(link.token), "created_at": StateValues.instant(link.createdAt),
            "merchant_identifier": .string(terms.merchantIdentifier), "merchant_reference": .string(terms.merchantReference),
            "amount": .number(terms.amount), "currency": .string(terms.currency), "language": .string(terms.language),
            "customer_email": .string(terms.customerEmail), "customer_name": StateValues.string(terms.customerName),
            "customer_phone": StateValues.string(terms.customerPhone), "order_description": StateValues.string(terms.orderDescription),
            "notification_type": .string(terms.notificationType), "link_command": .string(terms.linkCommand),
            "payment_option": StateValues.string(terms.paymentOption), "return_url": StateValues.string(terms.returnURL),
            "request_expiry_date": StateValues.instant(terms.expiry), "lifecycle": .string(link.lifecycle.rawValue),
            "user_attempts_count": .number(link.userAttemptsCount), "paid_at": StateValues.instant(link.paidAt),
            "pending_fort_id": StateValues.string(link.pendingFortID),
            "failed_attempts": .array(link.failedAttempts.map { attempt in
                [
                    "at": StateValues.instant(attempt.at), "response_code": .string(attempt.responseCode),
                    "card_number": StateValues.string(attempt.maskedCardNumber), "fort_id": StateValues.string(attempt.fortID),
                ]
            }),
            "merchant_extras": .object(JSONObject(merchantExtraKeys.compactMap { key in
                terms.merchantExtras[key].map { JSONObject.Member(key: key, value: .string($0)) }
            })),
            "settlement_reference": StateValues.string(terms.settlementReference),
        ]
        return .object(object)
    }

    static func decode(_ value: JSONValue, path: String) throws(StateImportError) -> PaymentLink {
        let r = try JSONReader(value, path: path, keys: keys)
        let currency = try r.string("currency")
        guard Currency(code: currency) != nil else { throw r.failure("currency", "must be an ISO 4217 currency code such as SAR") }
        let terms = LinkTerms(
            merchantIdentifier: try r.string("merchant_identifier"), merchantReference: try r.string("merchant_reference"),
            amount: try r.integer("amount", as: Int64.self), currency: currency, language: try r.string("language"),
            customerEmail: try r.string("customer_email"), customerName: try r.optionalString("customer_name"),
            customerPhone: try r.optionalString("customer_phone"), orderDescription: try r.optionalString("order_description"),
            notificationType: try r.string("notification_type"), linkCommand: try r.string("link_command"),
            paymentOption: try r.optionalString("payment_option"), returnURL: try r.optionalString("return_url"),
            expiry: try r.instant("request_expiry_date"), merchantExtras: try merchantExtras(r),
            settlementReference: try r.optionalString("settlement_reference"))
        var attempts: [PaymentAttempt] = []
        for element in try r.array("failed_attempts") {
            let a = try JSONReader(element.value, path: element.path, keys: attemptKeys)
            attempts.append(PaymentAttempt(at: try a.instant("at"), responseCode: try a.string("response_code"),
                                           maskedCardNumber: try a.maskedCardNumber("card_number"), fortID: try a.optionalString("fort_id")))
        }
        return PaymentLink(
            id: try r.string("payment_link_id"), token: try r.string("token"), terms: terms, createdAt: try r.instant("created_at"),
            lifecycle: try r.choice("lifecycle", lifecycles), userAttemptsCount: try r.integer("user_attempts_count"),
            paidAt: try r.optionalInstant("paid_at"), failedAttempts: attempts, pendingFortID: try r.optionalString("pending_fort_id"))
    }

    private static func merchantExtras(_ r: JSONReader) throws(FieldProblem) -> [String: String] {
        guard r.optionalValue("merchant_extras") != nil else { return [:] }
        let extras = try r.object("merchant_extras", keys: merchantExtraKeys)
        var values: [String: String] = [:]
        for key in merchantExtraKeys {
            if let value = try extras.optionalString(key) { values[key] = value }
        }
        return values
    }
}
