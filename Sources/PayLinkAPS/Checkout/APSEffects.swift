import PayLinkCore

/// What the APS dialect does when the engine's state changes, whoever changed it (the
/// paymentApi, the hosted page, the control API, the dashboard, background settlement):
/// Direct Transaction Feedback for every payment attempt, Notification Feedback for a settled
/// payment and each maintenance operation, and the e-mail and SMS a new link's `notification_type` asks for. Links of
/// owners that are not APS merchants (PayByLink's) are left alone.
package struct APSEffects: Sendable {
    let merchants: MerchantDirectory
    let notifier: FeedbackNotifier
    let outbox: Outbox
    let urls: LinkURLs

    package init(merchants: MerchantDirectory, notifier: FeedbackNotifier, outbox: Outbox, urls: LinkURLs) {
        self.merchants = merchants
        self.notifier = notifier
        self.outbox = outbox
        self.urls = urls
    }

    /// The kinds of event `handle` acts on, to subscribe to: it is not called with the others.
    package static let followedEvents = EngineEvent.Kinds(
        .linkCreated, .linksCreated, .linkRecipientsChanged, .linkPaid, .paymentDeclined, .paymentUncertain,
        .checkoutPayment, .paymentSettled, .orderCaptured, .orderRefunded, .orderVoided)

    package func handle(_ event: EngineEvent) {
        switch event {
        case .linkCreated(let view):
            guard merchants[view.link.merchantIdentifier] != nil else { return }
            for message in LinkNotifications.drafts(for: view.link, url: { urls.paymentLink(token: view.link.token) }) { outbox.send(message) }
        case .linksCreated(let views):
            linksCreated(views)
        case .linkRecipientsChanged(let view, let channels):
            guard merchants[view.link.merchantIdentifier] != nil else { return }
            for message in LinkNotifications.drafts(for: view.link, url: { urls.paymentLink(token: view.link.token) }) where channels.contains(message.channel.rawValue) {
                outbox.send(message)
            }
        case .linkPaid(let view, let order), .paymentDeclined(let view, let order), .paymentUncertain(let view, let order):
            guard let merchant = merchants[view.link.merchantIdentifier] else { return }
            notifier.payment(link: view.link, order: order, merchant: merchant, channel: .direct)
        case .checkoutPayment(let order):
            guard let merchant = merchants[order.merchantIdentifier]?.account(for: order) else { return }
            notifier.payment(link: nil, order: order, merchant: merchant, channel: .direct)
        case .paymentSettled(let view, let order):
            // A link's order whose link is gone has no terms left to report; one made without a
            // link reports its request's.
            guard let merchant = merchants[order.merchantIdentifier]?.account(for: order), view != nil || order.paymentLinkID == nil else { return }
            notifier.payment(link: view?.link, order: order, merchant: merchant, channel: .notification)
        case .orderCaptured(let order, let amount, let language):
            guard let merchant = merchants[order.merchantIdentifier]?.account(for: order) else { return }
            notifier.operationCompleted(.capture, amount: amount, order: order, merchant: merchant, language: language)
        case .orderRefunded(let order, let amount, let language):
            guard let merchant = merchants[order.merchantIdentifier]?.account(for: order) else { return }
            notifier.operationCompleted(.refund, amount: amount, order: order, merchant: merchant, language: language)
        case .orderVoided(let order, let language):
            guard let merchant = merchants[order.merchantIdentifier]?.account(for: order) else { return }
            notifier.operationCompleted(.voidAuthorization, amount: order.amount, order: order, merchant: merchant, language: language)
        default:
            break
        }
    }

    /// The messages of a run of new links, as `linkCreated` would send them one link at a time,
    /// sent together; the merchant is looked up once for the links in a row that share it (a
    /// batch file's links all do).
    private func linksCreated(_ views: [LinkView]) {
        var drafts: [Outbox.Draft] = []
        var merchant: (identifier: String, known: Bool)?
        // By index, and a link that asks for no message passed over first: `for view in views`
        // copied every view out (a retain and a release of each of its strings), a third of
        // this loop's time, for the nine links in ten of a batch file that send nothing.
        for index in views.indices where !LinkNotifications.channels(views[index].link.notificationType).isEmpty {
            let link = views[index].link
            if merchant?.identifier != link.merchantIdentifier { merchant = (link.merchantIdentifier, merchants[link.merchantIdentifier] != nil) }
            guard merchant?.known == true else { continue }
            drafts.append(contentsOf: LinkNotifications.drafts(for: link, url: { urls.paymentLink(token: link.token) }))
        }
        outbox.send(contentsOf: drafts)
    }
}
