import PayLinkCore
import Synchronization

/// What the APS commands work with: the merchants, the link engine and URL settings.
package struct APSContext: Sendable {
    package let merchants: MerchantDirectory
    package let engine: LinkEngine
    /// E-mails and SMS the sandbox "sent".
    package let outbox: Outbox
    /// Signed server-to-server notifications for the merchants' `notification_url`.
    package let notifier: FeedbackNotifier
    package let links: LinkURLs
    /// How empty-valued parameters enter the signature this sandbox verifies (see `EmptyValuePolicy`).
    package let emptyValues: EmptyValuePolicy

    package init(merchants: MerchantDirectory, engine: LinkEngine, outbox: Outbox, notifier: FeedbackNotifier, links: LinkURLs, emptyValues: EmptyValuePolicy) {
        self.merchants = merchants
        self.engine = engine
        self.outbox = outbox
        self.notifier = notifier
        self.links = links
        self.emptyValues = emptyValues
    }
}
