import PayLinkCore
import PayLinkSupport
import Synchronization

/// Server-to-server payments waiting for their customer's 3-D Secure answer: announced with
/// `20064` and a `3ds_url`, made into an order when the customer answers there.
///
/// Held in memory only, and bounded: a restart (or more than `limit` unanswered challenges)
/// forgets the oldest, whose `3ds_url` then says the challenge is gone; nothing was charged.
/// A real gateway's challenge also expires if the customer never comes.
package final class ThreeDSecureChallenges: Sendable {
    /// One payment on hold; its `fort_id` (reserved, announced in the `20064` answer) names it.
    struct Pending: Sendable {
        var fortID: String
        var terms: CheckoutTerms
        var details: PaymentDetails
        /// Where the browser goes afterwards: the request's `return_url`, else the merchant's
        /// configured `redirect_url` (nil: the page lists the parameters instead).
        var returnURL: String?
        var language: String
        /// `remember_me=YES` on the trusted channel: the card to save if the challenge passes.
        var cardToSave: CardToken? = nil
    }

    /// How many unanswered challenges are kept.
    package static let limit = 1_000

    private let pending = Mutex(BoundedTable<String, Pending>(capacity: limit))

    package init() {}

    /// Keeps `challenge`, forgetting the oldest when full.
    func add(_ challenge: Pending) { pending.withLock { $0.insert(challenge, for: challenge.fortID) } }

    /// The challenge with this `fort_id`, still waiting.
    func peek(fortID: String) -> Pending? { pending.withLock { $0[fortID] } }

    /// Takes the challenge out: it can be answered once.
    func take(fortID: String) -> Pending? { pending.withLock { $0.remove(fortID) } }

    /// Forgets every waiting challenge (a reset or a state import: their orders were never made).
    package func reset() { pending.withLock { $0.removeAll() } }

    /// Forgets one merchant's waiting challenges (a reset of that merchant).
    package func reset(merchant: String) { pending.withLock { $0.removeAll { $0.terms.merchantIdentifier == merchant } } }

    /// How many are waiting.
    package var count: Int { pending.withLock { $0.count } }
}
