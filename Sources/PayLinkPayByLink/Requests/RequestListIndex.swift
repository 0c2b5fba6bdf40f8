import PayLinkCore

/// What `GET /requests` narrows its candidates with before it checks them one by one, so a
/// query reads the requests it may return rather than every request of the sandbox:
///
/// - each subscription's requests in creation order (a query sees only its own key's), with
///   `From`/`To` found by binary search while creation times only grow (a clock set back
///   ends that, and the range is then checked request by request);
/// - `AccountReference` (any case) and `Amount`, each a chain through the requests with the
///   same value: the index holds the newest, each request the one before it (four bytes a
///   request). An amount changed by a `PUT` is not rechained: those requests are kept aside and
///   checked with every amount query.
///
/// `ClientTransactionRef` is the store's reference index. The index holds slots (positions in
/// the store's array); the store checks every candidate against the query, so a chain may hold
/// a request that no longer matches but never misses one that does.
struct RequestListIndex: Sendable {
    struct Subscription: Sendable {
        var slots: [Int32] = []
        /// Creation times never went back: `slots` is sorted by them too.
        var inCreationOrder = true

        mutating func append(_ slot: Int, createdAt: SandboxInstant, lastCreatedAt: (Int) -> SandboxInstant) {
            if inCreationOrder, let last = slots.last, lastCreatedAt(Int(last)) > createdAt { inCreationOrder = false }
            slots.append(Int32(slot))
        }
    }

    /// Each subscription's requests, at its place (`places`).
    private var subscriptions: [Subscription] = []
    private var places: [String: Int] = [:]
    /// The subscription the last request was filed under, and its place: a batch files every
    /// request of a run under the same one, and finding it in `places` hashed its name for
    /// each request (about 0.4 k instructions), where a comparison with the last one's name is
    /// a comparison of two references to the same text.
    private var lastFiled: (subscription: String, place: Int)?
    private var byAccount = SlotIndex()
    private var byAmount = SlotIndex()
    private var previousSameAccount: [Int32] = []
    private var previousSameAmount: [Int32] = []
    /// Requests whose amount changed after they were chained.
    private var amended: [Int32] = []
    private let keys: KeyHasher

    init(keys: KeyHasher) { self.keys = keys }

    mutating func reserveCapacity(_ more: Int) {
        previousSameAccount.reserveCapacity(previousSameAccount.count + more)
        previousSameAmount.reserveCapacity(previousSameAmount.count + more)
        // The chains' own tables grow with the values, not the requests: a few thousand
        // account references among 100,000 requests keep them small enough to stay in cache.
    }

    /// The hashes a request is chained under. They depend only on its subscription and draft,
    /// so a batch works them out on its reading thread (`PreparedDraft`), off the store's lock.
    struct ChainHashes: Sendable {
        var account: UInt64
        var amount: UInt64

        init(subscription: String, draft: RequestDraft, keys: KeyHasher) {
            account = keys.hash(subscription, RequestListIndex.folded(draft.accountReference))
            amount = keys.hash(subscription, draft.amount)
        }
    }

    /// Files the request just appended at `slot` (slots are added in order, from 0); `chains`,
    /// when given, are its `ChainHashes`, worked out before.
    mutating func add(slot: Int, requests: [RequestForPayment], chains known: ChainHashes? = nil) {
        precondition(slot == previousSameAccount.count, "requests are indexed in order")
        let subscription = requests[slot].subscription
        subscriptions[place(of: subscription)].append(slot, createdAt: requests[slot].createdAt, lastCreatedAt: { requests[$0].createdAt })
        let chains = known ?? ChainHashes(subscription: subscription, draft: requests[slot].draft, keys: keys)
        previousSameAccount.append(Int32(Self.file(slot, hash: chains.account, in: &byAccount)))
        previousSameAmount.append(Int32(Self.file(slot, hash: chains.amount, in: &byAmount)))
    }

    /// Where `subscription`'s requests are in `subscriptions`, made when it has none yet.
    private mutating func place(of subscription: String) -> Int {
        if let lastFiled, lastFiled.subscription == subscription { return lastFiled.place }
        let place = places[subscription] ?? subscriptions.count
        if place == subscriptions.count {
            places[subscription] = place
            subscriptions.append(Subscription())
        }
        lastFiled = (subscription, place)
        return place
    }

    /// Makes `slot` the head of the chain of `hash` and returns the former head (-1: none).
    /// Chains are told apart by their hash alone: two keys whose hashes collide share a chain,
    /// which only adds candidates that the query's own check then drops.
    private static func file(_ slot: Int, hash: UInt64, in index: inout SlotIndex) -> Int {
        guard let head = index.find(hash: hash, matches: { _ in true }) else {
            index.insert(hash: hash, slot: slot)
            return -1
        }
        index.replace(hash: hash, slot: head, with: slot)
        return head
    }

    /// A request's amount changed (a `PUT`).
    mutating func amountChanged(slot: Int) {
        if !amended.contains(Int32(slot)) { amended.append(Int32(slot)) }
    }

    /// The slots that may match `query` for `subscription`, newest first.
    func candidates(_ query: RequestListQuery, subscription: String, requests: [RequestForPayment],
                    reference: (String) -> Int?) -> [Int] {
        if let wanted = query.clientTransactionRef { return reference(wanted).map { [$0] } ?? [] }
        if let wanted = query.accountReference {
            let account = Self.folded(wanted)
            let head = byAccount.find(hash: keys.hash(subscription, account), matches: { _ in true })
            return chain(from: head, previous: previousSameAccount)
        }
        if let amount = query.amount {
            let head = byAmount.find(hash: keys.hash(subscription, amount), matches: { _ in true })
            let chained = chain(from: head, previous: previousSameAmount)
            guard !amended.isEmpty else { return chained }
            return Set(chained + amended.map(Int.init)).sorted(by: >)
        }
        guard let place = places[subscription] else { return [] }
        let list = subscriptions[place]
        var range = list.slots.startIndex..<list.slots.endIndex
        if list.inCreationOrder {
            if let from = query.from { range = first(in: list.slots, requests, atOrAfter: from)..<range.upperBound }
            if let to = query.to {
                let end = first(in: list.slots, requests, atOrAfter: to.adding(milliseconds: 1))
                range = range.lowerBound..<max(range.lowerBound, end)
            }
        }
        return list.slots[range].reversed().map(Int.init)
    }

    private func chain(from head: Int?, previous: [Int32]) -> [Int] {
        var slots: [Int] = []
        var next = head ?? -1
        while next >= 0 {
            slots.append(next)
            next = Int(previous[next])
        }
        return slots
    }

    /// The position of the first slot created at or after `instant` (binary search).
    private func first(in slots: [Int32], _ requests: [RequestForPayment], atOrAfter instant: SandboxInstant) -> Int {
        var low = 0, high = slots.count
        while low < high {
            let middle = (low + high) / 2
            if requests[Int(slots[middle])].createdAt < instant { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// An account reference as the query compares it: lower case.
    static func folded(_ text: String) -> String {
        text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A || $0 >= 0x80 }) ? text.lowercased() : text
    }
}
