import Synchronization

/// The one owner of link state for a sandbox instance. Every read-check-write happens inside
/// one lock, so two concurrent payments of a link give exactly one Paid and one refusal.
///
/// A `Mutex` rather than an actor: the HTTP server calls in synchronously from its event loop,
/// and an uncontended lock costs tens of nanoseconds where an actor hop costs microseconds.
public final class LinkEngine: Sendable {
    public let clock: SandboxClock
    private let store: Mutex<LinkStore>

    public init(clock: SandboxClock, seed: UInt64? = nil) {
        self.clock = clock
        self.store = Mutex(LinkStore(ids: IDGenerator(seed: seed)))
    }

    /// Creates an Open link. `requestedID` lets the merchant choose `payment_link_id`
    /// (the old PAYMENT_LINK field table lists it as optional input).
    public func createLink(_ draft: LinkTerms, requestedID: String? = nil) throws(LinkError) -> LinkView {
        let now = clock.now()
        guard draft.expiry > now else { throw .expiryNotInFuture }
        return try store.withLock { (store: inout LinkStore) throws(LinkError) -> LinkView in
            let key = LinkStore.ReferenceKey(merchant: draft.merchantIdentifier, reference: draft.merchantReference)
            guard store.idsByReference[key] == nil else { throw .duplicateMerchantReference }
            let id: String
            if let requestedID {
                guard store.links[requestedID] == nil else { throw .duplicateLinkID }
                id = requestedID
            } else {
                var candidate = store.ids.numericID()
                while store.links[candidate] != nil { candidate = store.ids.numericID() }
                id = candidate
            }
            var token = store.ids.hexToken()
            while store.idsByToken[token] != nil { token = store.ids.hexToken() }
            let link = PaymentLink(id: id, token: token, terms: draft, createdAt: now)
            store.insert(link)
            return LinkView(link: link, state: .open, now: now)
        }
    }

    public func link(id: String) -> LinkView? {
        let now = clock.now()
        return store.withLock { $0.links[id].map { LinkView(link: $0, state: $0.state(at: now), now: now) } }
    }

    public func link(merchant: String, reference: String) -> LinkView? {
        let now = clock.now()
        return store.withLock { store in
            store.idsByReference[.init(merchant: merchant, reference: reference)]
                .flatMap { store.links[$0] }
                .map { LinkView(link: $0, state: $0.state(at: now), now: now) }
        }
    }

    public func link(token: String) -> LinkView? {
        let now = clock.now()
        return store.withLock { store in
            store.idsByToken[token].flatMap { store.links[$0] }.map { LinkView(link: $0, state: $0.state(at: now), now: now) }
        }
    }

    /// All links in creation order.
    public func links() -> [LinkView] {
        let now = clock.now()
        return store.withLock { store in store.order.compactMap { store.links[$0] }.map { LinkView(link: $0, state: $0.state(at: now), now: now) } }
    }

    public func update(id: String, _ update: LinkStateMachine.Update) throws(LinkError) -> LinkView {
        try transition(id: id) { (link, now) throws(LinkError) in try LinkStateMachine.apply(update, to: link, at: now) }
    }

    public func pay(id: String) throws(LinkError) -> LinkView {
        try transition(id: id) { (link, now) throws(LinkError) in try LinkStateMachine.pay(link, at: now) }
    }

    public func recordOpening(id: String) throws(LinkError) -> LinkView {
        try transition(id: id) { link, now in LinkStateMachine.recordOpening(link, at: now) }
    }

    /// Forgets every link.
    public func reset() {
        store.withLock { store in store.removeAll() }
    }

    /// Reads the link, computes its successor and stores it, all under the lock.
    private func transition(id: String, _ body: (PaymentLink, SandboxInstant) throws(LinkError) -> PaymentLink) throws(LinkError) -> LinkView {
        let now = clock.now()
        return try store.withLock { (store: inout LinkStore) throws(LinkError) -> LinkView in
            guard let link = store.links[id] else { throw .notFound }
            let next = try body(link, now)
            store.links[id] = next
            return LinkView(link: next, state: next.state(at: now), now: now)
        }
    }
}

/// The indexes behind the engine; only ever touched under its lock.
struct LinkStore: Sendable {
    struct ReferenceKey: Hashable, Sendable {
        var merchant: String
        var reference: String
    }

    var ids: IDGenerator
    var links: [String: PaymentLink] = [:]
    var idsByReference: [ReferenceKey: String] = [:]
    var idsByToken: [String: String] = [:]
    var order: [String] = []

    init(ids: IDGenerator) { self.ids = ids }

    mutating func insert(_ link: PaymentLink) {
        links[link.id] = link
        idsByReference[.init(merchant: link.merchantIdentifier, reference: link.merchantReference)] = link.id
        idsByToken[link.token] = link.id
        order.append(link.id)
    }

    mutating func removeAll() {
        links.removeAll()
        idsByReference.removeAll()
        idsByToken.removeAll()
        order.removeAll()
    }
}
