import PayLinkJSON
extension Outbox {
    /// The outbox's messages and counters as plain values, for a state snapshot.
    package struct Snapshot: Sendable, Equatable {
        /// Oldest first, as `messages()` returns them.
        package var messages: [OutboxMessage]
        /// The `sequence` the next message gets.
        package var nextSequence: Int
        /// How many messages were dropped to stay within capacity.
        package var droppedCount: Int

        package init(messages: [OutboxMessage], nextSequence: Int, droppedCount: Int) {
            self.messages = messages
            self.nextSequence = nextSequence
            self.droppedCount = droppedCount
        }

        /// Checks what `Outbox` relies on: sequences increase and stay below `nextSequence`
        /// (so the next message's number is never reused), and the messages fit `capacity`.
        package func validate(capacity: Int) throws(SnapshotError) {
            guard messages.count <= capacity else {
                throw SnapshotError(path: "outbox.messages", message: "holds \(messages.count) messages, more than the outbox's capacity of \(capacity)")
            }
            guard (0...EngineSnapshot.counterLimit).contains(droppedCount) else {
                throw SnapshotError(path: "outbox.dropped", message: "must be between 0 and \(EngineSnapshot.counterLimit)")
            }
            var previous = 0
            for (index, message) in messages.enumerated() {
                guard message.sequence > previous else {
                    throw SnapshotError(path: "outbox.messages[\(index)].sequence", message: "must be greater than the previous message's (\(previous))")
                }
                previous = message.sequence
            }
            guard nextSequence > previous, nextSequence <= EngineSnapshot.counterLimit else {
                throw SnapshotError(path: "outbox.next_sequence",
                                    message: "must be greater than the last message's sequence (\(previous)) and at most \(EngineSnapshot.counterLimit)")
            }
        }
    }
}

extension OutboxMessage {
    /// A message as a state snapshot recorded it. A static function because the memberwise
    /// initializer with these labels is internal.
    package static func restored(sequence: Int, channel: Channel, recipient: String, subject: String?, text: String,
                                merchantIdentifier: String, paymentLinkID: String?, sentAt: SandboxInstant) -> Self {
        Self(sequence: sequence, channel: channel, recipient: recipient, subject: subject, text: MessageText(text),
             merchantIdentifier: merchantIdentifier, paymentLinkID: paymentLinkID, sentAt: sentAt)
    }
}
