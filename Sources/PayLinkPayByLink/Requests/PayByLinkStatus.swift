import PayLinkCore

/// The status of a request for payment. Each maps onto the core link state machine (design
/// §3) of the request's current link; the README has the table.
package enum PayByLinkStatus: String, Sendable, CaseIterable {
    /// Created; the message has not gone out yet.
    case pending = "Pending"
    /// The SMS and/or e-mail went out (link Open).
    case sent = "Sent"
    /// The customer opened the hosted page (link Open, opened at least once).
    case opened = "Opened"
    /// A repayment plan with at least one instalment paid and more to pay.
    case partiallyPaid = "PartiallyPaid"
    /// Paid in full (link Paid; for a plan, its last instalment's link).
    case paid = "Paid"
    /// Cancelled by PUT (link Closed).
    case cancelled = "Cancelled"
    /// The expiry date passed before payment in full (link Expired).
    case expired = "Expired"
    /// No message could be delivered (link Closed, so it cannot be paid).
    case failed = "Failed"

    /// Nothing can change a finished request any more (PUT answers 409).
    package var isFinished: Bool { self == .paid || self == .cancelled || self == .expired || self == .failed }

    /// Case-insensitive, for query filters.
    package init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
        self = match
    }

    /// The status a request has, given its current link as the engine sees it.
    /// - Parameters:
    ///   - deliveryFailed: no channel could deliver the message.
    ///   - sent: the message went out on at least one channel.
    ///   - instalmentsPaid / instalments: progress of a repayment plan (1 instalment for a single request).
    ///   - requestExpiry: the request's own expiry, which ends a plan whose next link is not yet open.
    package static func derive(link: LinkView, deliveryFailed: Bool, sent: Bool, instalmentsPaid: Int, instalments: Int,
                       requestExpiry: SandboxInstant) -> PayByLinkStatus {
        derive(link: LinkStanding(link), deliveryFailed: deliveryFailed, sent: sent, instalmentsPaid: instalmentsPaid,
               instalments: instalments, requestExpiry: requestExpiry)
    }

    /// `derive(link:...)` from what it reads of the link.
    static func derive(link: LinkStanding, deliveryFailed: Bool, sent: Bool, instalmentsPaid: Int, instalments: Int,
                       requestExpiry: SandboxInstant) -> PayByLinkStatus {
        if deliveryFailed { return .failed }
        switch link.state {
        case .paid:
            if instalmentsPaid >= instalments { return .paid }
            return link.now >= requestExpiry ? .expired : .partiallyPaid
        case .closed: return .cancelled
        case .expired: return .expired
        case .open:
            if instalmentsPaid > 0 { return .partiallyPaid }
            if link.userAttemptsCount > 0 { return .opened }
            return sent ? .sent : .pending
        }
    }
}
