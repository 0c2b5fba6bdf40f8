import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// Feedback to merchants: `POST /__sandbox/deliveries/{id}/resend`, and how a delivery is shown.
extension ControlAPI {
    /// `POST /__sandbox/deliveries/{id}/resend`: delivers that payload again, as a new delivery
    /// (same URL, channel, format and signed payload), attempted at once and retried like any
    /// other. 202 with the new delivery as `GET /__sandbox/deliveries` shows it; 404 for an id
    /// the queue does not hold (never was, or dropped past its capacity, or reset).
    func resendDelivery(id segment: String) -> HTTPResponse {
        guard let id = Int(segment), let copy = deliveries.resend(id: id) else {
            return JSONResponses.error(404, "delivery_not_found", "no delivery \(segment)", extra: ["id": .string(segment)])
        }
        background.kick()
        return JSONResponses.ok(Self.deliveryJSON(copy), status: 202)
    }

    /// One delivery in the control API's words: its feedback `channel` (`direct` or
    /// `notification`), each attempt (sandbox time, HTTP status or error, and `delivered_to` when a
    /// `notifications.rewrite` rule posted it elsewhere than `url`) and when the next is due.
    static func deliveryJSON(_ d: Delivery) -> JSONObject {
        var item: JSONObject = [
            "id": .number(String(d.id)), "event": .string(d.event), "channel": .string(d.channel.rawValue), "url": .string(d.url),
            "format": .string(d.format.rawValue),
            "state": .string(d.state.rawValue), "merchant_identifier": .string(d.merchantIdentifier),
            "created_at": .string(ISO8601.formatUTC(d.createdAt)), "payload": .object(d.payload),
            "attempts": .array(d.attempts.map { a in
                var attempt: JSONObject = ["at": .string(ISO8601.formatUTC(a.at)), "acknowledged": .bool(a.acknowledged)]
                if let status = a.status { attempt["status"] = .number(String(status)) }
                if let error = a.error { attempt["error"] = .string(error) }
                if let target = a.deliveredTo { attempt["delivered_to"] = .string(target) }
                return .object(attempt)
            }),
        ]
        if let next = d.nextAttemptAt { item["next_attempt_at"] = .string(ISO8601.formatUTC(next)) }
        if let fortID = d.fortID { item["fort_id"] = .string(fortID) }
        if let link = d.paymentLinkID { item["payment_link_id"] = .string(link) }
        return item
    }
}
