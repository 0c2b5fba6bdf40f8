import PayLinkCore

/// Where a payment attempt's outcome is recorded, and in what terms the caller hears of it: a
/// payment link's (`LinkLedger`) or a hosted checkout session's (`CheckoutSessionLedger`).
/// `Checkout.pay` decides what the test card does (approved, declined, 3-D Secure, uncertain)
/// once for both.
protocol PaymentLedger {
    associatedtype Result
    /// Whose pending 3-D Secure challenges these are.
    var owner: PendingVerifications.Owner { get }
    func approve(_ details: PaymentDetails) -> Result
    /// `code` turns the payment's command into the code the customer sees.
    func decline(_ details: PaymentDetails, outcome: Checkout.Outcome, code: (TransactionCommand) -> APSResponseCode) -> Result
    func uncertain(_ details: PaymentDetails, approves: Bool) -> Result
    /// Why no challenge may start now (a link that cannot be paid), nil when one may.
    func refusalBeforeChallenge() -> Result?
    func challenge(id: String) -> Result
    /// A challenge id that is unknown, answered already or someone else's.
    var unknownVerification: Result { get }
}

/// A payment link's attempts: each ends in a link transition (`Checkout.Result`).
struct LinkLedger: PaymentLedger {
    let checkout: Checkout
    let linkID: String

    var owner: PendingVerifications.Owner { .link(linkID) }
    func approve(_ details: PaymentDetails) -> Checkout.Result { checkout.approve(linkID, details) }
    func decline(_ details: PaymentDetails, outcome: Checkout.Outcome, code: (TransactionCommand) -> APSResponseCode) -> Checkout.Result {
        checkout.decline(linkID, details, outcome: outcome, code: code)
    }
    func uncertain(_ details: PaymentDetails, approves: Bool) -> Checkout.Result { checkout.uncertain(linkID, details, approves: approves) }
    func refusalBeforeChallenge() -> Checkout.Result? { checkout.refusal(linkID).map { .refused($0) } }
    func challenge(id: String) -> Checkout.Result { .verificationRequired(id: id, kind: .threeDSecure) }
    var unknownVerification: Checkout.Result { .unknownVerification }
}
