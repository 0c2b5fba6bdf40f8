/// The state of a payment link as `CHECK_PAYMENT_LINK_STATUS` reports it (`payment_link_status`).
///
/// `Expired` is never stored: it is derived from the clock, so moving the clock past a link's
/// expiry expires it at once.
public enum LinkState: String, Sendable, CaseIterable, Codable {
    case open = "Open"
    case paid = "Paid"
    case closed = "Closed"
    case expired = "Expired"
}

/// What is stored about a link's lifecycle; expiry is applied on top of it when read.
public enum LinkLifecycle: String, Sendable, Equatable, Codable {
    case open, closed, paid
}
