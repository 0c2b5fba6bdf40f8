import PayLinkCore
import PayLinkJSON

/// Turns what happened to an order into signed notifications for the merchant's
/// `notification_url`: the payment with the parameters of the Direct Transaction Feedback
/// APS documents, and captures, refunds and voids with their operation's fields.
package struct FeedbackNotifier: Sendable {
    package let queue: DeliveryQueue
    /// Wakes the worker so a due notification goes out at once; nil without a server.
    package let wake: (@Sendable () -> Void)?

    /// A payment attempt's outcome (approved, declined, uncertain, or an uncertain one settled),
    /// with the parameters of the Direct Transaction Feedback.
    package func payment(link: PaymentLink, order: Order, merchant: Merchant) {
        guard merchant.notificationURL != nil else { return }
        enqueue(TransactionFeedback.parameters(link: link, order: order, merchant: merchant),
                event: order.command.rawValue, order: order, merchant: merchant)
    }

    package func operationCompleted(_ command: TransactionCommand, amount: Int64, order: Order, merchant: Merchant, language: String) {
        let code = APSResponseCode(status: command.successStatus, message: "000")
        let fields: [(String, String)] = [
            ("command", command.rawValue), ("access_code", merchant.accessCode), ("merchant_identifier", merchant.identifier),
            ("merchant_reference", order.merchantReference), ("amount", String(amount)), ("currency", order.currency),
            ("language", language), ("fort_id", order.fortID),
        ]
        send(fields: fields, code: code, event: command.rawValue, order: order, merchant: merchant)
    }

    private func send(fields: [(String, String)], code: APSResponseCode, event: String, order: Order, merchant: Merchant) {
        guard merchant.notificationURL != nil else { return }
        var payload = JSONObject(fields.map { JSONObject.Member(key: $0.0, value: .string($0.1)) })
        payload["response_code"] = .string(code.code)
        payload["response_message"] = .string(code.responseMessage)
        payload["status"] = .string(code.status)
        payload["signature"] = .string(merchant.signer.sign(payload, phrase: merchant.responsePhrase))
        enqueue(payload, event: event, order: order, merchant: merchant)
    }

    private func enqueue(_ payload: JSONObject, event: String, order: Order, merchant: Merchant) {
        guard let url = merchant.notificationURL else { return }
        queue.enqueue(url: url, format: merchant.notificationsFormEncoded ? .form : .json, event: event, payload: payload,
                      merchantIdentifier: merchant.identifier, fortID: order.fortID, paymentLinkID: order.paymentLinkID)
        wake?()
    }

    package init(queue: DeliveryQueue, wake: (@Sendable () -> Void)?) {
        self.queue = queue
        self.wake = wake
    }
}
