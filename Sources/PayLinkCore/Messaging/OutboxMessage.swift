/// An e-mail or SMS the sandbox "sent". Nothing leaves the machine: tests read the outbox.
public struct OutboxMessage: Sendable, Equatable {
    public enum Channel: String, Sendable, CaseIterable { case email = "EMAIL", sms = "SMS" }

    /// Increasing from 1 per sandbox, so tests can ask for what came after a point.
    public let sequence: Int
    public let channel: Channel
    public let recipient: String
    /// E-mails only.
    public let subject: String?
    public var text: String { body.string }
    /// The text as sent: written, or composed when read (see `MessageText`).
    let body: MessageText
    public let merchantIdentifier: String
    public let paymentLinkID: String?
    public let sentAt: SandboxInstant

    init(sequence: Int, channel: Channel, recipient: String, subject: String?, text: MessageText, merchantIdentifier: String,
         paymentLinkID: String?, sentAt: SandboxInstant) {
        self.sequence = sequence
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.body = text
        self.merchantIdentifier = merchantIdentifier
        self.paymentLinkID = paymentLinkID
        self.sentAt = sentAt
    }
}
