import PayLinkCore
import PayLinkJSON

/// The parameters APS returns after a customer's payment attempt (its transaction feedback
/// parameters), signed with the merchant's response phrase. The same set goes to the browser
/// (a form POST to the return URL) and server to server (Direct Transaction Feedback, and
/// Notification Feedback when an uncertain payment settles).
enum TransactionFeedback {
    /// The set the invoicing page lists for one transaction, in its order, plus the wallet
    /// (`digital_wallet`, as the official WooCommerce plugin reads it); empty values are left
    /// out, as in every response of the sandbox. `token_name`, `sadad_olp` and `remember_me`
    /// have no source on a payment link and never appear.
    static func parameters(link: PaymentLink, order: Order, merchant: Merchant, code: APSResponseCode? = nil) -> JSONObject {
        let code = code ?? order.status.code(for: order.command)
        let payment = order.payment
        var candidates: [(String, String?)] = [
            ("command", order.command.rawValue), ("access_code", merchant.accessCode),
            ("merchant_identifier", merchant.identifier), ("merchant_reference", order.merchantReference),
            ("amount", String(order.amount)), ("currency", order.currency), ("language", link.language),
            ("customer_email", link.customerEmail), ("payment_link_id", link.id), ("fort_id", order.fortID),
            ("payment_option", payment.paymentOption ?? link.paymentOption), ("eci", "ECOMMERCE"),
            ("order_description", link.orderDescription), ("customer_ip", payment.customerIP),
            ("customer_name", link.customerName),
        ]
        candidates += APSFields.merchantExtraNames.map { ($0, link.merchantExtras[$0]) }
        candidates += [
            ("authorization_code", order.authorizationCode),
            ("response_message", code.responseMessage), ("response_code", code.code), ("status", code.status),
            ("card_holder_name", payment.cardHolderName), ("expiry_date", payment.expiryDate),
            ("card_number", payment.maskedCardNumber), ("phone_number", payment.phoneNumber),
            ("settlement_reference", link.settlementReference), ("digital_wallet", payment.digitalWallet),
        ]
        var object = JSONObject(candidates.compactMap { name, value in
            guard let value, !value.isEmpty else { return nil }
            return JSONObject.Member(key: name, value: .string(value))
        })
        object["signature"] = .string(merchant.signer.sign(object, phrase: merchant.responsePhrase))
        return object
    }

    /// The same for an order made without a link (the hosted checkout, a server-to-server
    /// payment): every parameter the request sent (`Order.requestFields`), as APS returns them,
    /// then the transaction's own, which win over a sent value of the same name.
    static func parameters(order: Order, merchant: Merchant, code: APSResponseCode? = nil) -> JSONObject {
        let code = code ?? order.status.code(for: order.command)
        let payment = order.payment
        let sent = order.requestFields
        var candidates: [(String, String?)] = [
            ("command", order.command.rawValue), ("access_code", merchant.accessCode),
            ("merchant_identifier", merchant.identifier), ("merchant_reference", order.merchantReference),
            ("amount", String(order.amount)), ("currency", order.currency), ("language", sent["language"]),
            ("customer_email", sent["customer_email"]), ("fort_id", order.fortID),
            ("payment_option", payment.paymentOption ?? sent["payment_option"]), ("eci", sent["eci"] ?? "ECOMMERCE"),
            ("customer_ip", payment.customerIP ?? sent["customer_ip"]), ("authorization_code", order.authorizationCode),
            ("response_message", code.responseMessage), ("response_code", code.code), ("status", code.status),
            ("card_holder_name", payment.cardHolderName ?? sent["card_holder_name"]), ("expiry_date", payment.expiryDate),
            ("card_number", payment.maskedCardNumber), ("phone_number", payment.phoneNumber ?? sent["phone_number"]),
            ("digital_wallet", payment.digitalWallet),
        ]
        let named = Set(candidates.map(\.0))
        candidates += sent.sorted { $0.key < $1.key }.filter { !named.contains($0.key) }.map { ($0.key, $0.value) }
        var object = JSONObject(candidates.compactMap { name, value in
            guard let value, !value.isEmpty else { return nil }
            return JSONObject.Member(key: name, value: .string(value))
        })
        object["signature"] = .string(merchant.signer.sign(object, phrase: merchant.responsePhrase))
        return object
    }

    /// The feedback of any order: its link's, or its request's when it has no link.
    static func parameters(order: Order, link: PaymentLink?, merchant: Merchant) -> JSONObject {
        link.map { parameters(link: $0, order: order, merchant: merchant) } ?? parameters(order: order, merchant: merchant)
    }
}
