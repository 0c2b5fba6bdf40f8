import PayLinkCore
import PayLinkJSON

/// Turns what happened to an order into signed server-to-server feedback, on APS's two
/// channels: Direct Transaction Feedback (each payment attempt's immediate result, to the
/// merchant's `direct_feedback_url`) and Notification Feedback (later changes: an uncertain
/// payment settling, captures, refunds, voids, to its `notification_url`). A merchant with only
/// a `notification_url` gets both there (`Merchant.feedbackURL(for:)`). Both are queued alike and
/// retried alike: the old PayFort page asks "your Transaction Feedback URL" for a 2xx or 302
/// and retries it otherwise, without telling the two apart.
package struct FeedbackNotifier: Sendable {
    package let queue: DeliveryQueue
    /// Wakes the worker so a due notification goes out at once; nil without a server.
    package let wake: (@Sendable () -> Void)?

    /// A payment's outcome with the transaction feedback parameters: on the `direct` channel
    /// for an attempt (approved, declined, 3-D Secure failed, uncertain), on the
    /// `notification` channel when an uncertain one settles.
    /// `link` is nil for an order made without one (the hosted checkout, server to server).
    package func payment(link: PaymentLink?, order: Order, merchant: Merchant, channel: FeedbackChannel) {
        guard merchant.feedbackURL(for: channel) != nil else { return }
        enqueue(TransactionFeedback.parameters(order: order, link: link, merchant: merchant),
                event: order.command.rawValue, channel: channel, order: order, merchant: merchant)
    }

    /// A capture, refund or void, as Notification Feedback with its operation's fields and the
    /// request's `maintenance_reference` when it had one.
    package func operationCompleted(_ command: TransactionCommand, amount: Int64, order: Order, merchant: Merchant, language: String) {
        guard merchant.feedbackURL(for: .notification) != nil else { return }
        let code = APSResponseCode(status: command.successStatus, message: "000")
        var fields: [(String, String)] = [
            ("command", command.rawValue), ("access_code", merchant.accessCode), ("merchant_identifier", merchant.identifier),
            ("merchant_reference", order.merchantReference), ("amount", String(amount)), ("currency", order.currency),
            ("language", language), ("fort_id", order.fortID),
        ]
        // An Apple Pay order's operations say so: the PHP SDK's webhook check picks the Apple Pay
        // response phrase by `digital_wallet` (the WooCommerce plugin by the access code).
        if order.payment.digitalWallet == Merchant.applePayWallet { fields.append(("digital_wallet", Merchant.applePayWallet)) }
        if let reference = order.lastOperation.maintenanceReference, order.lastOperation.command == command {
            fields.append(("maintenance_reference", reference))
        }
        var payload = JSONObject(fields.map { JSONObject.Member(key: $0.0, value: .string($0.1)) })
        payload["response_code"] = .string(code.code)
        payload["response_message"] = .string(code.responseMessage)
        payload["status"] = .string(code.status)
        payload["signature"] = .string(merchant.signer.sign(payload, phrase: merchant.responsePhrase))
        enqueue(payload, event: command.rawValue, channel: .notification, order: order, merchant: merchant)
    }

    private func enqueue(_ payload: JSONObject, event: String, channel: FeedbackChannel, order: Order, merchant: Merchant) {
        guard let url = merchant.feedbackURL(for: channel) else { return }
        queue.enqueue(url: url, format: merchant.feedbackFormat, event: event, payload: payload,
                      merchantIdentifier: merchant.identifier, fortID: order.fortID, paymentLinkID: order.paymentLinkID,
                      channel: channel)
        wake?()
    }

    package init(queue: DeliveryQueue, wake: (@Sendable () -> Void)?) {
        self.queue = queue
        self.wake = wake
    }
}
