import PayLinkAPS
import PayLinkCore
import PayLinkJSON

/// How the control API shows a link: APS field names, with amounts and counts as JSON numbers.
enum LinkRepresentation {
    /// Every field `json` can give a link, for checking scenario expectations when they are
    /// loaded (a misspelt field would otherwise only show up as "absent" when run).
    static let fieldNames: Set<String> = Set([
        "payment_link_id", "payment_link", "payment_link_status", "merchant_identifier", "merchant_reference", "amount", "currency",
        "language", "customer_email", "notification_type", "link_command", "request_expiry_date", "user_attempts_count", "created_at",
        "customer_name", "customer_phone", "order_description", "payment_option", "return_url", "paid_at", "failed_attempts",
        "settlement_reference",
    ] + APSFields.merchantExtraNames)

    static func json(_ view: LinkView, urls: LinkURLs) -> JSONObject {
        let link = view.link
        var object: JSONObject = [
            "payment_link_id": .string(link.id),
            "payment_link": .string(urls.paymentLink(token: link.token)),
            "payment_link_status": .string(view.state.rawValue),
            "merchant_identifier": .string(link.merchantIdentifier),
            "merchant_reference": .string(link.merchantReference),
            "amount": .number(String(link.amount)),
            "currency": .string(link.currency),
            "language": .string(link.language),
            "customer_email": .string(link.customerEmail),
            "notification_type": .string(link.notificationType),
            "link_command": .string(link.linkCommand),
            "request_expiry_date": .string(ISO8601.formatUTC(link.expiry)),
            "user_attempts_count": .number(String(link.userAttemptsCount)),
            "created_at": .string(ISO8601.formatUTC(link.createdAt)),
        ]
        if let v = link.customerName { object["customer_name"] = .string(v) }
        if let v = link.customerPhone { object["customer_phone"] = .string(v) }
        if let v = link.orderDescription { object["order_description"] = .string(v) }
        if let v = link.paymentOption { object["payment_option"] = .string(v) }
        if let v = link.returnURL { object["return_url"] = .string(v) }
        for name in APSFields.merchantExtraNames { if let v = link.merchantExtras[name] { object[name] = .string(v) } }
        if let v = link.settlementReference { object["settlement_reference"] = .string(v) }
        if let v = link.paidAt { object["paid_at"] = .string(ISO8601.formatUTC(v)) }
        if !link.failedAttempts.isEmpty {
            object["failed_attempts"] = .array(link.failedAttempts.map { attempt in
                var item: JSONObject = ["at": .string(ISO8601.formatUTC(attempt.at)), "response_code": .string(attempt.responseCode)]
                if let card = attempt.maskedCardNumber { item["card_number"] = .string(card) }
                return .object(item)
            })
        }
        return object
    }
}
