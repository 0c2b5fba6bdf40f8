import PayLinkCore

/// The e-mail and SMS a new link's `notification_type` asks for, in the link's language.
/// APS's templates are merchant-specific and not public; these carry what a test checks: the
/// amount with the currency's decimals, the merchant, the description and the link URL.
enum LinkNotifications {
    /// The channels of a `notification_type`, in its order. The four values `PAYMENT_LINK`
    /// normalizes to are compared first: splitting made an array and a string for every link,
    /// and nine links in ten of a batch file ask for nothing.
    static func channels(_ notificationType: String) -> [OutboxMessage.Channel] {
        switch notificationType {
        case "NONE": []
        case "EMAIL": [.email]
        case "SMS": [.sms]
        case "EMAIL,SMS": [.email, .sms]
        default: notificationType.split(separator: ",").compactMap { OutboxMessage.Channel(rawValue: String($0)) }
        }
    }

    /// `url` is asked for only when a message is made (most links of a batch ask for none).
    static func drafts(for link: PaymentLink, url makeURL: () -> String) -> [Outbox.Draft] {
        let channels = channels(link.notificationType)
        guard !channels.isEmpty else { return [] }
        let url = makeURL()
        let amount = (Currency(code: link.currency)?.format(minorUnits: link.amount) ?? String(link.amount)) + " " + link.currency
        let arabic = link.language == "ar"
        let description = link.orderDescription.map { arabic ? " (\($0))" : " for \($0)" } ?? ""
        return channels.compactMap { channel in
            switch channel {
            case .email:
                let greeting = link.customerName.map { arabic ? "عزيزي \($0)،" : "Dear \($0)," } ?? (arabic ? "عزيزي العميل،" : "Dear customer,")
                let body = arabic
                    ? "\(greeting)\nلديك طلب دفع بقيمة \(amount) من \(link.merchantIdentifier)\(description).\nادفع عبر الرابط: \(url)\nينتهي الرابط في \(ISO8601.formatUTC(link.expiry))."
                    : "\(greeting)\n\(link.merchantIdentifier) requests a payment of \(amount)\(description).\nPay here: \(url)\nThe link expires at \(ISO8601.formatUTC(link.expiry))."
                return Outbox.Draft(channel: .email, recipient: link.customerEmail,
                                    subject: arabic ? "طلب دفع \(link.merchantReference)" : "Payment request \(link.merchantReference)",
                                    text: body, merchantIdentifier: link.merchantIdentifier, paymentLinkID: link.id)
            case .sms:
                guard let phone = link.customerPhone else { return nil }
                let body = arabic
                    ? "طلب دفع \(amount) من \(link.merchantIdentifier): \(url)"
                    : "\(link.merchantIdentifier): payment request of \(amount). Pay: \(url)"
                return Outbox.Draft(channel: .sms, recipient: phone, text: body, merchantIdentifier: link.merchantIdentifier,
                                    paymentLinkID: link.id)
            }
        }
    }
}
