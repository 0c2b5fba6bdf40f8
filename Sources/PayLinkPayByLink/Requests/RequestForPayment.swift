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
    package var links: InstalmentLinks
    package var instalmentsPaid = 0
    package var amountPaid: Int64 = 0
    /// The message went out on at least one channel.
    package var sent = false
    /// No channel could deliver the message.
    package var deliveryFailed = false
    /// What could not be delivered on the last sending, if anything.
    package var deliveryNote: String?
    /// The status changes, oldest first (see `history`).
    package private(set) var statuses: StatusHistory
    package var updatedAt: SandboxInstant

    /// Core link ids, one per instalment opened so far; the last is the current one.
    package var linkIDs: [String] { links.all }
    package var currentLinkID: String { links.last! }
    /// The status changes, oldest first.
    package var history: [StatusChange] { statuses.changes(createdAt: createdAt) }
    package var lastChange: StatusChange? { statuses.last(createdAt: createdAt) }
    package var status: PayByLinkStatus { lastChange?.status ?? .pending }

    package mutating func record(_ change: StatusChange) {
        statuses.append(change, createdAt: createdAt)
    }
    package var instalments: Int { draft.plan?.numberOfInstalments ?? 1 }

    /// The amount of the instalment that is (or would be) paid through link number `index + 1`.
    package func amount(ofInstalment number: Int) -> Int64 {
        draft.amount(ofInstalment: number)
    }
}

// The initializers delegate to the synthesized memberwise one: Swift 6.3.1 builds a struct in
// an explicit initializer's body in a stack slot and copies it out, retaining and releasing
// every string of the request and its draft (0.25 k instructions a request of a batch, made
// under the store's lock); the memberwise initializer builds it in place.
extension RequestForPayment {
    /// A request just made: Pending since `createdAt`, with no link yet (creating adds its
    /// first), nothing sent or paid.
    package init(id: String, subscription: String, shortCode: String, createdAt: SandboxInstant, draft: RequestDraft, expiry: SandboxInstant) {
        self.init(id: id, subscription: subscription, shortCode: shortCode, createdAt: createdAt, draft: draft, expiry: expiry,
                  links: InstalmentLinks(), statuses: .pendingSinceCreation, updatedAt: createdAt)
    }

    package init(id: String, subscription: String, shortCode: String, createdAt: SandboxInstant, draft: RequestDraft, expiry: SandboxInstant, linkIDs: [String], instalmentsPaid: Int = 0, amountPaid: Int64 = 0, sent: Bool = false, deliveryFailed: Bool = false,
                 deliveryNote: String? = nil, history: [StatusChange], updatedAt: SandboxInstant) {
        self.init(id: id, subscription: subscription, shortCode: shortCode, createdAt: createdAt, draft: draft, expiry: expiry,
                  links: InstalmentLinks(linkIDs), instalmentsPaid: instalmentsPaid, amountPaid: amountPaid, sent: sent,
                  deliveryFailed: deliveryFailed, deliveryNote: deliveryNote, statuses: StatusHistory(history, createdAt: createdAt),
                  updatedAt: updatedAt)
    }
}
