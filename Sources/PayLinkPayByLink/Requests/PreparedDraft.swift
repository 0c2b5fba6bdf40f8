import PayLinkCore

/// A checked draft with what creating its request needs that depends only on the draft and the
/// subscription: its link's terms (all but the reference and expiry) and the hashes it is looked up and listed under. A
/// batch makes it on its reading thread (`PayByLinkStore.prepare`), so none of it is worked out
/// under the store's lock. A reference, so a run hands the store one pointer a request: a
/// `RequestDraft` copied into the run's array retained every string it holds on the committing
/// thread, and released them all again when the array went.
final class PreparedDraft: Sendable {
    let draft: RequestDraft
    /// The subscription the hashes are for.
    let subscription: String
    /// The terms of its request's first link but the reference and expiry, with their
    /// customer text prepared (`PayByLinkStore.linkTemplate(for: draft, instalment: 1)`).
    let linkTemplate: LinkTermsTemplate
    /// The subscription and `ClientTransactionRef`, as the store's reference index hashes them.
    let referenceHash: UInt64
    let chains: RequestListIndex.ChainHashes

    /// Takes `draft` over (`consuming`, stored last) rather than keeping a copy of it.
    init(_ draft: consuming RequestDraft, subscription: String, keys: KeyHasher) {
        self.subscription = subscription
        linkTemplate = PayByLinkStore.linkTemplate(for: draft, instalment: 1)
        referenceHash = keys.hash(subscription, draft.clientTransactionRef)
        chains = RequestListIndex.ChainHashes(subscription: subscription, draft: copy draft, keys: keys)
        self.draft = draft
    }
}
