import PayLinkCore

/// An outbox message sent, as the binary log writes it: the message (the fields of
/// `OutboxStateJSON` in its order), the sequences of the oldest messages it pushed out of a
/// full outbox, and the outbox's counters after it.
enum OutboxStateBinary {
    struct Sent {
        var message: OutboxMessage
        var evicted: [Int]
        var nextSequence: Int
        var dropped: Int
    }

    static func encode(_ sent: Sent, into w: inout BinaryWriter) {
        let message = sent.message
        w.int(message.sequence)
        w.string(message.channel.rawValue)
        w.string(message.recipient)
        w.optionalString(message.subject)
        w.string(message.text)
        w.string(message.merchantIdentifier)
        w.optionalString(message.paymentLinkID)
        w.instant(message.sentAt)
        w.unsigned(UInt64(sent.evicted.count))
        for sequence in sent.evicted { w.int(sequence) }
        w.int(sent.nextSequence)
        w.int(sent.dropped)
    }

    static func decode(_ r: inout BinaryReader) throws(LogReadError) -> Sent {
        let sequence = try r.int(), channelName = try r.string()
        guard let channel = OutboxStateJSON.channels.first(where: { $0.0 == channelName })?.1 else {
            throw LogReadError("unknown outbox channel \(channelName)")
        }
        let message = OutboxMessage.restored(sequence: sequence, channel: channel, recipient: try r.string(), subject: try r.optionalString(),
                                             text: try r.string(), merchantIdentifier: try r.string(), paymentLinkID: try r.optionalString(),
                                             sentAt: try r.instant())
        let count = try r.unsigned()
        guard count <= 1 << 20 else { throw LogReadError("an outbox entry evicts \(count) messages") }
        var evicted: [Int] = []
        for _ in 0..<count { evicted.append(try r.int()) }
        return Sent(message: message, evicted: evicted, nextSequence: try r.int(), dropped: try r.int())
    }
}
