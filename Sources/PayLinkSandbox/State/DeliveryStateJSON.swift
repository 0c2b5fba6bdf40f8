import PayLinkCore
import PayLinkJSON

/// Notification deliveries in a state snapshot: each with its signed payload exactly as it
/// will be posted, every attempt, when the next one is due, whether a reorder fault holds
/// it back (absent reads as false) and its feedback channel (absent reads as `notification`).
enum DeliveryStateJSON {
    static let keys = ["next_id", "deliveries"]
    static let deliveryKeys = [
        "id", "url", "format", "event", "merchant_identifier", "fort_id", "payment_link_id", "created_at", "state",
        "next_attempt_at", "held_for_reorder", "attempts", "payload", "channel",
    ]
    static let attemptKeys = ["at", "status", "error", "delivered_to"]
    static let formats = NotificationFormat.allCases.map { ($0.rawValue, $0) }
    static let channels = FeedbackChannel.allCases.map { ($0.rawValue, $0) }
    static let states: [(String, Delivery.State)] = [("pending", .pending), ("delivered", .delivered), ("failed", .failed)]

    static func encode(_ snapshot: DeliveryQueue.Snapshot) -> JSONValue {
        [
            "next_id": .number(snapshot.nextID),
            "deliveries": .array(snapshot.deliveries.map { encode($0, heldForReorder: snapshot.heldForReorder.contains($0.id)) }),
        ]
    }

    static func encode(_ delivery: Delivery, heldForReorder: Bool) -> JSONValue {
        [
            "id": .number(delivery.id), "url": .string(delivery.url), "format": .string(delivery.format.rawValue),
            "event": .string(delivery.event), "merchant_identifier": .string(delivery.merchantIdentifier),
            "fort_id": StateValues.string(delivery.fortID), "payment_link_id": StateValues.string(delivery.paymentLinkID),
            "created_at": StateValues.instant(delivery.createdAt), "state": .string(delivery.state.rawValue),
            "next_attempt_at": StateValues.instant(delivery.nextAttemptAt),
            "held_for_reorder": .bool(heldForReorder),
            "attempts": .array(delivery.attempts.map { attempt in
                var encoded: JSONObject = ["at": StateValues.instant(attempt.at), "status": StateValues.integer(attempt.status),
                                           "error": StateValues.string(attempt.error)]
                // Only when rewritten, so snapshots without a rewrite rule read as before.
                if let target = attempt.deliveredTo { encoded["delivered_to"] = .string(target) }
                return .object(encoded)
            }),
            "payload": .object(delivery.payload), "channel": .string(delivery.channel.rawValue),
        ]
    }

    static func decode(_ value: JSONValue, path: String) throws(StateImportError) -> DeliveryQueue.Snapshot {
        let r = try JSONReader(value, path: path, keys: keys)
        var deliveries: [Delivery] = [], held: [Int] = []
        for element in try r.array("deliveries") {
            let d = try JSONReader(element.value, path: element.path, keys: deliveryKeys)
            var attempts: [DeliveryAttempt] = []
            for attempt in try d.array("attempts") {
                let a = try JSONReader(attempt.value, path: attempt.path, keys: attemptKeys)
                attempts.append(DeliveryAttempt(at: try a.instant("at"), status: try a.optionalInteger("status"), error: try a.optionalString("error"),
                                                 deliveredTo: try a.optionalString("delivered_to")))
            }
            guard case .object(let payload) = try d.value("payload") else { throw d.failure("payload", "expected an object") }
            if let card = payload["card_number"]?.stringValue, !StateValues.isMasked(card) {
                throw StateImportError(path: d.path("payload") + ".card_number", message: "must be masked (first six and last four digits only)")
            }
            if try d.optionalBool("held_for_reorder") == true { held.append(try d.integer("id")) }
            deliveries.append(Delivery(
                id: try d.integer("id"), url: try d.string("url"), format: try d.choice("format", formats), event: try d.string("event"),
                payload: payload, merchantIdentifier: try d.string("merchant_identifier"), fortID: try d.optionalString("fort_id"),
                paymentLinkID: try d.optionalString("payment_link_id"), createdAt: try d.instant("created_at"), attempts: attempts,
                state: try d.choice("state", states), nextAttemptAt: try d.optionalInstant("next_attempt_at"),
                // Snapshots from before the two channels: every delivery went to notification_url.
                channel: d.optionalValue("channel") == nil ? .notification : try d.choice("channel", channels)))
        }
        // Ascending, as the queue exports them; ids that are not ascending are refused by validation.
        return DeliveryQueue.Snapshot(deliveries: deliveries, nextID: try r.integer("next_id"), heldForReorder: held.sorted())
    }
}
