import PayLinkAPS
import PayLinkCore
import PayLinkPayByLink

/// What a reset forgets.
public enum ResetScope: Sendable, Equatable {
    /// Links, orders, saved cards, messages, deliveries, pending 3-D Secure challenges, the journal, armed
    /// faults, PayByLink requests and every batch file; the merchants and PayByLink keys go back
    /// to the configured ones, every merchant back to the sandbox clock. The clock and the ID
    /// sequences go on.
    case everything
    /// One APS merchant's links, orders, saved cards, messages, deliveries and batch files, and what its
    /// customers are in the middle of (checkout sessions, provider checkouts, 3-D Secure challenges,
    /// valU purchases); the merchant goes back to the sandbox clock (it stays, as it is).
    case merchant(String)
}

/// The one way the sandbox is reset: every component that holds state is asked, in turn.
struct SandboxReset: Sendable {
    let engine: LinkEngine
    let outbox: Outbox
    let deliveries: DeliveryQueue
    let verifications: PendingVerifications
    let journal: Journal
    let faults: FaultRegistry
    let payByLink: PayByLinkStore
    let batches: BatchEngine
    let merchants: MerchantDirectory
    let subscriptionKeys: SubscriptionKeys
    let tokens: TokenVault
    let challenges: ThreeDSecureChallenges
    /// valU purchases under way.
    let valu: ValuJourneys
    /// Told of every reset: `--state-dir`'s log writes a new snapshot.
    let changes: (any StateChangeRecorder)?

    /// Returns how many links went.
    @discardableResult
    func callAsFunction(_ scope: ResetScope) -> Int {
        defer { changes?.record(.everything) }
        switch scope {
        case .everything:
            let removed = engine.linkCount
            engine.reset()
            outbox.reset()
            deliveries.reset()
            verifications.reset()
            journal.reset()
            faults.disarmAll()
            payByLink.reset()
            batches.reset()
            engine.clocks.removeAll()
            merchants.resetToConfigured()
            subscriptionKeys.resetToConfigured()
            tokens.reset()
            challenges.reset()
            valu.reset()
            return removed
        case .merchant(let identifier):
            engine.clocks.remove(identifier)
            let removed = engine.reset(merchantIdentifier: identifier)
            tokens.remove(merchant: identifier)
            verifications.reset(merchant: identifier)
            challenges.reset(merchant: identifier)
            valu.reset(merchant: identifier)
            outbox.reset(merchantIdentifier: identifier)
            deliveries.reset(merchantIdentifier: identifier)
            if identifier == PayByLinkStore.ownerName {
                // PayByLink's own links: every subscription's requests and batches go with them.
                payByLink.reset()
                batches.reset(ownedBy: \.isPayByLink)
            } else {
                batches.reset(ownedBy: { $0 == .apsMerchant(identifier) })
            }
            return removed
        }
    }
}
