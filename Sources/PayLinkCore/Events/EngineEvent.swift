/// A change of the sandbox's core state: every link and order transition, and the progress of
/// batch files. The engines publish each one to their `EventStream` after releasing their lock,
/// on the thread that made the change, in the order the changes happened. Side effects hang off
/// these events: APS feedback, the e-mails and SMS of new links, PayByLink's statuses and
/// callbacks.
///
/// Resets and state imports are not events: `SandboxService.reset` asks every component in
/// turn, and an import restores each from its own part of the snapshot.
package enum EngineEvent: Sendable {
    /// A merchant created an Open link (`PAYMENT_LINK`, the dashboard, PayByLink).
    case linkCreated(LinkView)
    /// A run of a batch file's links was created: what `linkCreated` says of each, in order,
    /// in one event (an APS payment-link file publishes its links 64 at a time, so a
    /// subscriber deals with the run in one go rather than being called once a link).
    case linksCreated([LinkView])
    /// A scenario's setup put a link in place, already in the state it names; nobody is told.
    case linkSeeded(LinkView)
    /// The customer opened the hosted page of an Open link.
    case linkOpened(LinkView)
    /// New terms (amount, expiry, customer fields) and the same state.
    case linkAmended(LinkView)
    case linkClosed(LinkView)
    /// Back to Open, from Closed or Expired.
    case linkReopened(LinkView)
    /// An update left a link Open with a new `notification_type` or recipient: the messages of
    /// `channels` (`EMAIL`, `SMS`) go out again. Published after the update's own event.
    case linkRecipientsChanged(LinkView, channels: [String])
    /// The sandbox clock passed an Open link's expiry (seen by the expiry sweep).
    case linkExpired(LinkView)
    /// A payment succeeded: the link is Paid and its order approved.
    case linkPaid(LinkView, Order)
    /// A payment the issuer declined, or 3-D Secure failed: a declined order, the link still Open.
    case paymentDeclined(LinkView, Order)
    /// A payment processed without confirmation (status 15), settled later.
    case paymentUncertain(LinkView, Order)
    /// An uncertain payment settled, approved or declined; nil when its link is gone or it
    /// had none.
    case paymentSettled(LinkView?, Order)
    /// A payment made without a link (the hosted checkout, a server-to-server payment):
    /// approved, declined or uncertain, as its order's status says.
    case checkoutPayment(Order)
    /// An attempt that did not reach the acquirer (cancelled, abandoned).
    case attemptRecorded(LinkView)
    /// Part or all of an authorization captured; `language` is the request's.
    case orderCaptured(Order, amount: Int64, language: String)
    case orderRefunded(Order, amount: Int64, language: String)
    case orderVoided(Order, language: String)
    /// A batch file moved on: uploaded, validated, a chunk processed, finished.
    case batchProgressed(Batch)
    /// A dialect's own request, kept beside its core links, took a new status (a PayByLink
    /// request for payment: Sent, Opened, PartiallyPaid, Paid, Cancelled, Expired, Failed).
    case requestStatusChanged(RequestStatusChange)
}

/// A dialect request's status change, as `EngineEvent.requestStatusChanged` carries it.
package struct RequestStatusChange: Sendable, Equatable {
    package var owner: Owner
    package var requestID: String
    /// nil for the first status a request takes.
    package var previous: String?
    package var status: String
    package var at: SandboxInstant

    package init(owner: Owner, requestID: String, previous: String?, status: String, at: SandboxInstant) {
        self.owner = owner
        self.requestID = requestID
        self.previous = previous
        self.status = status
        self.at = at
    }
}
