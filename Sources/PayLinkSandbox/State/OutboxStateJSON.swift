import PayLinkCore
import PayLinkJSON

/// The outbox (e-mails and SMS "sent") in a state snapshot, with its counters.
enum OutboxStateJSON {
    static let keys = ["next_sequence", "dropped", "messages"]
    static let messageKeys = ["sequence", "channel", "recipient", "subject", "text", "merchant_identifier", "payment_link_id", "sent_at"]
    static let channels = OutboxMessage.Channel.allCases.map { ($0.rawValue, $0) }

    static func encode(_ snapshot: Outbox.Snapshot) -> JSONValue {
        [
            "next_sequence": .number(snapshot.nextSequence), "dropped": .number(snapshot.droppedCount),
            "messages": .array(snapshot.messages.map(encode)),
        ]
    }

    static func encode(_ message: OutboxMessage) -> JSONValue {
        [
            "sequence": .number(message.sequence), "channel": .string(message.channel.rawValue),
            "recipient": .string(message.recipient), "subject": StateValues.string(message.subject), "text": .string(message.text),
            "merchant_identifier": .string(message.merchantIdentifier), "payment_link_id": StateValues.string(message.paymentLinkID),
            "sent_at": StateValues.instant(message.sentAt),
        ]
    }

    static func decode(_ value: JSONValue, path: String) throws(StateImportError) -> Outbox.Snapshot {
        let r = try JSONReader(value, path: path, keys: keys)
        var messages: [OutboxMessage] = []
        for element in try r.array("messages") {
            let m = try JSONReader(element.value, path: element.path, keys: messageKeys)
            messages.append(.restored(
                sequence: try m.integer("sequence"), channel: try m.choice("channel", channels), recipient: try m.string("recipient"),
                subject: try m.optionalString("subject"), text: try m.string("text"), merchantIdentifier: try m.string("merchant_identifier"),
                paymentLinkID: try m.optionalString("payment_link_id"), sentAt: try m.instant("sent_at")))
        }
        return Outbox.Snapshot(messages: messages, nextSequence: try r.integer("next_sequence"), droppedCount: try r.integer("dropped"))
    }
}
