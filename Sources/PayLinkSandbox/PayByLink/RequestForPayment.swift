import PayLinkCore

/// A PayByLink request for payment as the sandbox keeps it. The money and the payable state
/// live in core links (one per instalment; the last is the current one); this record adds what
/// PayByLink knows beyond them: the customer, delivery, plan progress and status history.
struct RequestForPayment: Sendable, Equatable {
    struct StatusChange: Sendable, Equatable {
        var status: PayByLinkStatus
        var at: SandboxInstant
        var note: String?
    }

    let id: String
    /// The subscription key it was created with: only that key sees it.
    let subscription: String
    let shortCode: String
    let createdAt: SandboxInstant
    var draft: RequestDraft
    /// The request's own expiry; every instalment link expires then.
    var expiry: SandboxInstant
    /// Core link ids, one per instalment opened so far; the last is the current one.
    var linkIDs: [String]
    var instalmentsPaid = 0
    var amountPaid: Int64 = 0
    /// The message went out on at least one channel.
    var sent = false
    /// No channel could deliver the message.
    var deliveryFailed = false
    /// What could not be delivered on the last sending, if anything.
    var deliveryNote: String?
    var history: [StatusChange]
    var updatedAt: SandboxInstant

    var status: PayByLinkStatus { history.last?.status ?? .pending }
    var currentLinkID: String { linkIDs[linkIDs.count - 1] }
    var instalments: Int { draft.plan?.numberOfInstalments ?? 1 }

    /// The amount of the instalment that is (or would be) paid through link number `index + 1`.
    func amount(ofInstalment number: Int) -> Int64 {
        draft.plan?.amount(ofInstalment: number, total: draft.amount) ?? draft.amount
    }
}
