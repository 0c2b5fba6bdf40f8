import PayLinkCore
import PayLinkJSON

/// Turns what happened to an order into signed notifications for the merchant's
/// `notification_url`: the payment with the parameters of the Direct Transaction Feedback
/// (facts §2.4), and captures, refunds and voids with their operation's fields.
struct FeedbackNotifier: Sendable {
    let queue: DeliveryQueue
    /// Wakes the worker so a due notification goes out at once; nil without a server.
    let wake: (@Sendable () -> Void)?

    func paymentCompleted(link: PaymentLink, order: Order, merchant: Merchant) {
        let code = APSResponseCode(status: order.command.successStatus, message: "000")
        var fields: [(String, String)] = [
            ("command", order.command.rawValue), ("access_code", merchant.accessCode),
            ("merchant_identifier", merchant.identifier), ("merchant_reference", link.merchantReference),
            ("amount", String(order.amount)), ("currency", order.currency), ("language", link.language),
            ("customer_email", link.customerEmail), ("payment_link_id", link.id), ("fort_id", order.fortID),
            ("eci", "ECOMMERCE"), ("authorization_code", order.authorizationCode),
        ]
        if let option = order.paymentOption ?? link.paymentOption { fields.append(("payment_option", option)) }
        if let card = order.maskedCardNumber { fields.append(("card_number", card)) }
        if let name = link.customerName { fields.append(("customer_name", name)) }
        if let description = link.orderDescription { fields.append(("order_description", description)) }
        send(fields: fields, code: code, event: order.command.rawValue, order: order, merchant: merchant)
    }

    func operationCompleted(_ command: TransactionCommand, amount: Int64, order: Order, merchant: Merchant, language: String) {
        let code = APSResponseCode(status: command.successStatus, message: "000")
        let fields: [(String, String)] = [
            ("command", command.rawValue), ("access_code", merchant.accessCode), ("merchant_identifier", merchant.identifier),
            ("merchant_reference", order.merchantReference), ("amount", String(amount)), ("currency", order.currency),
            ("language", language), ("fort_id", order.fortID),
        ]
        send(fields: fields, code: code, event: command.rawValue, order: order, merchant: merchant)
    }

    private func send(fields: [(String, String)], code: APSResponseCode, event: String, order: Order, merchant: Merchant) {
        guard let url = merchant.notificationURL else { return }
        var payload = JSONObject(fields.map { JSONObject.Member(key: $0.0, value: .string($0.1)) })
        payload["response_code"] = .string(code.code)
        payload["response_message"] = .string(code.responseMessage)
        payload["status"] = .string(code.status)
        payload["signature"] = .string(merchant.signer.sign(payload, phrase: merchant.responsePhrase))
        queue.enqueue(url: url, format: merchant.notificationsFormEncoded ? .form : .json, event: event, payload: payload,
                      merchantIdentifier: merchant.identifier, fortID: order.fortID, paymentLinkID: order.paymentLinkID)
        wake?()
    }
}
