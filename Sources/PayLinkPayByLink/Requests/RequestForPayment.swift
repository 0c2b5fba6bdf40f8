import PayLinkCore

/// A PayByLink request for payment as the sandbox keeps it. The money and the payable state
/// live in core links (one per instalment; the last is the current one); this record adds what
/// PayByLink knows beyond them: the customer, delivery, plan progress and status history.
package struct RequestForPayment: Sendable, Equatable {
    package struct StatusChange: Sendable, Equatable {
        package var status: PayByLinkStatus
        package var at: SandboxInstant
        package var note: String?

        package init(status: PayByLinkStatus, at: SandboxInstant, note: String? = nil) {
            self.status = status
            self.at = at
            self.note = note
        }
    }

    package let id: String
    /// The subscription key it was created with: only that key sees it.
    package let subscription: String
    package let shortCode: String
    package let createdAt: SandboxInstant
    package var draft: RequestDraft
    /// The request's own expiry; every instalment link expires then.
    package var expiry: SandboxInstant
    /// Core link ids, one per instalment opened so far; the last is the current one.
    package var linkIDs: [String]
    package var instalmentsPaid = 0
    package var amountPaid: Int64 = 0
    /// The message went out on at least one channel.
    package var sent = false
    /// No channel could deliver the message.
    package var deliveryFailed = false
    /// What could not be delivered on the last sending, if anything.
    package var deliveryNote: String?
    package var history: [StatusChange]
    package var updatedAt: SandboxInstant

    package var status: PayByLinkStatus { history.last?.status ?? .pending }
    package var currentLinkID: String { linkIDs[linkIDs.count - 1] }
    package var instalments: Int { draft.plan?.numberOfInstalments ?? 1 }

    /// The amount of the instalment that is (or would be) paid through link number `index + 1`.
    package func amount(ofInstalment number: Int) -> Int64 {
        draft.plan?.amount(ofInstalment: number, total: draft.amount) ?? draft.amount
    }

    package init(id: String, subscription: String, shortCode: String, createdAt: SandboxInstant, draft: RequestDraft, expiry: SandboxInstant, linkIDs: [String], instalmentsPaid: Int = 0, amountPaid: Int64 = 0, sent: Bool = false, deliveryFailed: Bool = false,
                 deliveryNote: String? = nil, history: [StatusChange], updatedAt: SandboxInstant) {
        self.id = id
        self.subscription = subscription
        self.shortCode = shortCode
        self.createdAt = createdAt
        self.draft = draft
        self.expiry = expiry
        self.linkIDs = linkIDs
        self.instalmentsPaid = instalmentsPaid
        self.amountPaid = amountPaid
        self.sent = sent
        self.deliveryFailed = deliveryFailed
        self.deliveryNote = deliveryNote
        self.history = history
        self.updatedAt = updatedAt
    }
}
