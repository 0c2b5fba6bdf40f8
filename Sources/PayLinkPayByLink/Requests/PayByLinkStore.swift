import PayLinkCore
import Synchronization

/// The one owner of PayByLink state for a sandbox: requests for payment, their indexes and
/// status history, under one lock. Money and payability stay in the `LinkEngine`: each request
/// is backed by a GBP core link per instalment, so the shared state machine governs it and the
/// hosted page serves it. This store follows its links through engine events (paid, opened,
/// expired), records each status change and posts it to the request's `CallbackUrl`.
///
/// Lock order: this store's lock, then the engine's. The engine calls back only after
/// releasing its own lock, so the two never wait on each other.
package final class PayByLinkStore: Sendable {
    /// The owner recorded on PayByLink's core links and outbox messages. A hyphen keeps it
    /// apart from every APS merchant (their identifiers are letters and digits).
    package static let ownerName = "pay-by-link"

    package let engine: LinkEngine
    let outbox: Outbox
    private let callbacks: PayByLinkCallbacks
    private let urls: LinkURLs
    let state: Mutex<State>

    /// A request together with its current link, read at one instant.
    package struct View: Sendable {
        package var request: RequestForPayment
        package var link: LinkView
    }

    package enum Failure: Error, Sendable {
        case notFound
        case duplicate(existingID: String)
        case finished(PayByLinkStatus)
        case invalid(FieldErrors)
    }

    /// Requests live in one array in creation order (a slot is an index into it); the indexes
    /// map keys to slots through `SlotIndex` (one word a bucket, the keys read from the requests),
    /// so a batch of 100,000 requests is cheap to insert and to hold.
    struct State {
        var ids: IDGenerator
        var requests: [RequestForPayment] = []
        var byID = SlotIndex()
        /// Subscription and `ClientTransactionRef`.
        var byReference = SlotIndex()
        /// Every core link of every request.
        var byLink = SlotIndex()
        var byShortCode = SlotIndex()
        /// What `GET /requests` narrows its candidates with.
        var lists: RequestListIndex
        /// Status changes made under the lock, published once it is released.
        var unpublished: [RequestStatusChange] = []
        /// The sum of the buckets a run touched ahead of its lookups (`SlotIndex.touch`): kept
        /// only so the reads happen; it means nothing.
        var touched: UInt64 = 0

        init(ids: IDGenerator, keys: KeyHasher) {
            self.ids = ids
            lists = RequestListIndex(keys: keys)
        }
    }

    /// Hashes the indexes' keys.
    let keys: KeyHasher

    /// Told every change under the lock (`--state-dir`'s log).
    let recorder: (any StateChangeRecorder)?

    package init(engine: LinkEngine, outbox: Outbox, callbacks: PayByLinkCallbacks, urls: LinkURLs, seed: UInt64?,
                 recorder: (any StateChangeRecorder)? = nil) {
        self.engine = engine
        self.recorder = recorder
        self.outbox = outbox
        self.callbacks = callbacks
        self.urls = urls
        // Its own sequence, so PayByLink ids do not shift the APS link ids of a seeded run.
        let keys = KeyHasher(seed: UInt64.random(in: .min ... .max))
        self.keys = keys
        state = Mutex(State(ids: IDGenerator(seed: seed.map { $0 ^ 0x5042_4C5F_5345_4544 }), keys: keys))
    }

    // MARK: - URLs

    package func longURL(_ link: LinkView) -> String { urls.paymentLink(token: link.link.token) }
    package func shortURL(_ request: RequestForPayment) -> String { urls.baseURL + ShortLinkRedirect.prefix + request.shortCode }
    /// The short URL, made when asked for (an SMS's text is composed when read).
    private func shortURLMaker(_ request: RequestForPayment) -> @Sendable () -> String {
        let (base, code) = (urls.baseURL, request.shortCode)
        return { base + ShortLinkRedirect.prefix + code }
    }

    // MARK: - operations

    /// A fresh GUID from the same seeded sequence (batch ids).
    package func newGUID() -> String {
        state.withLock { state in
            defer { recorder?.record(.dialect(DialectChange(.payByLinkIDs, state.ids.snapshot))) }
            return state.ids.guid()
        }
    }

    /// Makes room for `count` more requests and their first links (a batch file about to create
    /// them), so the indexes grow in one step rather than rehashing under the lock one request at
    /// a time. Changes nothing anyone can see.
    package func reserveCapacity(forMoreRequests count: Int) {
        guard count > 0 else { return }
        state.withLock { state in
            state.requests.reserveCapacity(state.requests.count + count)
            state.byID.reserveCapacity(count)
            state.byReference.reserveCapacity(count)
            state.byLink.reserveCapacity(count)
            state.byShortCode.reserveCapacity(count)
            state.lists.reserveCapacity(count)
        }
        engine.reserveCapacity(forMoreLinks: count)
    }

    /// The request as it stands, if `subscription` owns it.
    package func request(id: String, subscription: String) -> View? {
        state.withLock { state in
            guard let slot = slot(id: id, in: state), state.requests[slot].subscription == subscription else { return nil }
            return read(state, slot: slot)
        }
    }

    /// The request behind a short URL, for the redirect.
    package func request(shortCode: String) -> View? {
        state.withLock { state in slot(shortCode: shortCode, in: state).flatMap { read(state, slot: $0) } }
    }

    /// One page of the subscription's requests matching `query`, newest first, and the total.
    package func list(_ query: RequestListQuery, subscription: String) -> (items: [View], total: Int) {
        state.withLock { state -> (items: [View], total: Int) in
            let candidates = state.lists.candidates(query, subscription: subscription, requests: state.requests) { reference in
                slot(reference: reference, subscription: subscription, hash: keys.hash(subscription, reference), in: state)
            }.filter { slot in
                state.requests[slot].subscription == subscription && query.matchesStored(state.requests[slot])
            }
            var matching = candidates
            if let wanted = query.status {
                let views = engine.links(ids: candidates.map { state.requests[$0].currentLinkID })
                matching = zip(candidates, views).compactMap { slot, view in
                    guard let view, Self.derive(state.requests[slot], view) == wanted else { return nil }
                    return slot
                }
            }
            let page = matching.dropFirst((query.page - 1) * query.pageSize).prefix(query.pageSize)
            return (page.compactMap { read(state, slot: $0) }, matching.count)
        }
    }

    /// Applies a PUT: cancel, or a new amount, expiry or mobile number, while the request is
    /// not finished.
    package func update(id: String, subscription: String, change: RequestChange) throws(Failure) -> View {
        defer { publishStatusChanges() }
        let now = engine.clock.now()
        return try state.withLock { state -> Result<View, Failure> in
            guard let slot = slot(id: id, in: state), state.requests[slot].subscription == subscription,
                  let current = refresh(&state, slot: slot) else { return .failure(.notFound) }
            guard !current.request.status.isFinished else { return .failure(.finished(current.request.status)) }
            var request = current.request
            if let plan = request.draft.plan, let errors = change.refusal(for: plan) { return .failure(.invalid(errors)) }
            if change.cancel || change.amount != nil || change.expiry != nil {
                let update = LinkStateMachine.Update(status: change.cancel ? .closed : nil, expiry: change.expiry, amount: change.amount)
                do throws(LinkError) {
                    _ = try engine.update(id: request.currentLinkID, update)
                } catch {
                    // The link moved on (paid or expired) since the refresh above.
                    let latest = refresh(&state, slot: slot)
                    if error == .expiryNotInFuture {
                        var errors = FieldErrors()
                        errors.add("ExpiryDate", "must be in the future (sandbox time is \(ISO8601.formatUTC(now)))")
                        return .failure(.invalid(errors))
                    }
                    return .failure(.finished(latest?.request.status ?? current.request.status))
                }
                if let amount = change.amount {
                    request.draft.amount = amount
                    state.lists.amountChanged(slot: slot)
                }
                if let expiry = change.expiry {
                    request.expiry = expiry
                    request.draft.expiry = expiry
                }
            }
            request.updatedAt = now
            state.requests[slot] = request
            if let mobile = change.mobileNumber {
                request.draft.customer.mobileNumber = mobile
                state.requests[slot] = request
                if request.draft.channel.sendsSMS, let link = engine.link(id: request.currentLinkID) {
                    resendSMS(&state.requests[slot], link: link, now: now)
                }
            }
            return refresh(&state, slot: slot).map { .success($0) } ?? .failure(.notFound)
        }.get()
    }

    /// The kinds of event `handle` acts on, to subscribe to: it is not called with the others.
    package static let followedEvents = EngineEvent.Kinds(.linkPaid, .linkOpened, .linkExpired, .linkReopened)

    /// Follows the engine: a link of its own paid, opened, expired or reopened (by the dashboard,
    /// or by the clock set back before its expiry) brings its request up to date (the next
    /// instalment, a status change and its callback).
    package func handle(_ event: EngineEvent) {
        switch event {
        case .linkPaid(let view, _), .linkOpened(let view), .linkExpired(let view), .linkReopened(let view):
            state.withLock { state in
                if let slot = slot(link: view.link.id, in: state) { _ = refresh(&state, slot: slot) }
            }
            publishStatusChanges()
        default:
            break
        }
    }

    /// Forgets every request (the identifier sequence goes on).
    package func reset() {
        state.withLock { state in
            let ids = state.ids
            state = State(ids: ids, keys: keys)
        }
    }

    // MARK: - state snapshot

    /// The requests in creation order and the identifier generator, read in one step.
    package func snapshot() -> Snapshot {
        state.withLock { Snapshot(ids: $0.ids.snapshot, requests: $0.requests) }
    }

    /// Replaces every request with `snapshot`'s (validated by the caller) and rebuilds the
    /// indexes. Expiries reach it as engine events, from the links' own.
    package func restore(_ snapshot: Snapshot) {
        var rebuilt = State(ids: IDGenerator(snapshot: snapshot.ids), keys: keys)
        rebuilt.requests = snapshot.requests
        rebuilt.lists.reserveCapacity(snapshot.requests.count)
        for (slot, request) in snapshot.requests.enumerated() {
            rebuilt.byID.insert(hash: keys.hash(request.id), slot: slot)
            rebuilt.byReference.insert(hash: keys.hash(request.subscription, request.draft.clientTransactionRef), slot: slot)
            for link in request.links.all { rebuilt.byLink.insert(hash: keys.hash(link), slot: slot) }
            rebuilt.byShortCode.insert(hash: keys.hash(request.shortCode), slot: slot)
            rebuilt.lists.add(slot: slot, requests: rebuilt.requests)
        }
        state.withLock { $0 = rebuilt }
    }

    // MARK: - inside the lock

    func slot(id: String, hash: UInt64? = nil, in state: State) -> Int? {
        state.byID.find(hash: hash ?? keys.hash(id)) { state.requests[$0].id == id }
    }

    func slot(reference: String, subscription: String, hash: UInt64, in state: State) -> Int? {
        state.byReference.find(hash: hash) {
            state.requests[$0].draft.clientTransactionRef == reference && state.requests[$0].subscription == subscription
        }
    }

    func slot(link: String, in state: State) -> Int? {
        state.byLink.find(hash: keys.hash(link)) { state.requests[$0].links.contains(link) }
    }

    func slot(shortCode: String, hash: UInt64? = nil, in state: State) -> Int? {
        state.byShortCode.find(hash: hash ?? keys.hash(shortCode)) { state.requests[$0].shortCode == shortCode }
    }

    static func defaultExpiry(_ draft: RequestDraft, now: SandboxInstant) -> SandboxInstant {
        guard let plan = draft.plan else { return now.adding(seconds: RequestDraft.defaultLifetimeSeconds) }
        return max(now, plan.dueDate(ofInstalment: plan.numberOfInstalments)).adding(seconds: RequestDraft.defaultLifetimeSeconds)
    }

    private static func derive(_ request: RequestForPayment, _ link: LinkView) -> PayByLinkStatus {
        derive(request, LinkStanding(link))
    }

    private static func derive(_ request: RequestForPayment, _ link: LinkStanding) -> PayByLinkStatus {
        let paid = link.state == .paid && request.instalmentsPaid < request.links.count ? request.links.count : request.instalmentsPaid
        return PayByLinkStatus.derive(link: link, deliveryFailed: request.deliveryFailed, sent: request.sent,
                                      instalmentsPaid: paid, instalments: request.instalments, requestExpiry: request.expiry)
    }

    func terms(for request: RequestForPayment, instalment: Int) -> LinkTerms {
        TemplatedLink(Self.linkTemplate(for: request.draft, instalment: instalment),
                      merchantReference: Self.merchantReference(request.id, instalment: instalment), expiry: request.expiry).terms
    }

    /// The terms of an instalment's link but its reference and expiry: they depend only on the
    /// draft, so a batch makes its first links' on its reading thread.
    static func linkTemplate(for draft: RequestDraft, instalment: Int) -> LinkTermsTemplate {
        LinkTermsTemplate(merchantIdentifier: ownerName, amount: draft.amount(ofInstalment: instalment),
                          currency: "GBP", language: "en", notificationType: "NONE", text: linkText(for: draft))
    }

    /// The merchant reference of a request's instalment link, `<id>/<instalment>`. The first
    /// instalment's (every request's, made under the store's lock) is written into a string of
    /// its final size: `id + "/1"` copied the id, then grew that copy into a new buffer to
    /// append two bytes (about 680 instructions a request under callgrind).
    static func merchantReference(_ id: String, instalment: Int) -> String {
        guard instalment == 1 else { return id + "/" + String(instalment) }
        var id = id
        return id.withUTF8 { idBytes in
            String(unsafeUninitializedCapacity: idBytes.count + 2) { out in
                let end = out.initialize(fromContentsOf: idBytes)
                out[end] = UInt8(ascii: "/")
                out[end + 1] = UInt8(ascii: "1")
                return end + 2
            }
        }
    }

    /// `draft` with what creating its request needs worked out ahead, outside the lock.
    func prepare(_ draft: consuming RequestDraft, subscription: String) -> PreparedDraft {
        PreparedDraft(draft, subscription: subscription, keys: keys)
    }

    /// The customer text of the links of a request made from `draft`: it depends on nothing
    /// drawn or stored, so it can be made, and its bytes for the link store, before the lock.
    static func linkText(for draft: RequestDraft) -> LinkCustomerText {
        LinkCustomerText(customerEmail: draft.customer.email ?? "", customerName: draft.customer.fullName,
                         customerPhone: draft.customer.mobileNumber, orderDescription: draft.reason ?? draft.accountReference)
    }

    /// Sends the messages for an instalment's link; when none can be delivered the request
    /// fails and its link closes, so it cannot be paid.
    func deliver(_ request: inout RequestForPayment, link: LinkStanding, instalment: Int, now: SandboxInstant,
                         messages: inout [Outbox.Draft]) {
        let outcome = PayByLinkMessages.compose(request, linkID: link.id, instalment: instalment,
                                                shortURL: shortURLMaker(request), longURL: { urls.paymentLink(token: link.token) },
                                                into: &messages)
        apply(outcome, to: &request, linkID: link.id, now: now)
    }

    private func resendSMS(_ request: inout RequestForPayment, link: LinkView, now: SandboxInstant) {
        var smsOnly = request
        smsOnly.draft.channel = .sms
        var messages: [Outbox.Draft] = []
        let outcome = PayByLinkMessages.compose(smsOnly, linkID: link.link.id, instalment: request.links.count,
                                                shortURL: shortURLMaker(request), longURL: { longURL(link) }, into: &messages)
        for draft in messages { outbox.send(draft) }
        if outcome.delivered || request.draft.channel == .sms { apply(outcome, to: &request, linkID: link.link.id, now: now) }
    }

    private func apply(_ outcome: PayByLinkMessages.Outcome, to request: inout RequestForPayment, linkID: String, now: SandboxInstant) {
        if outcome.delivered {
            request.sent = true
        } else {
            request.deliveryFailed = true
            _ = try? engine.update(id: linkID, .init(status: .closed))
        }
        request.deliveryNote = outcome.failures.isEmpty ? nil : outcome.failures.joined(separator: "; ")
    }

    /// A request as it stands at this instant, written nowhere: reads change nothing. A status
    /// the clock brought (Expired) shows at once; the link's expiry event records it, with its
    /// callback, when the expiry sweep gets to it.
    private func read(_ state: State, slot: Int) -> View? {
        var request = state.requests[slot]
        guard let link = engine.link(id: request.currentLinkID) else { return nil }
        let status = Self.derive(request, link)
        if status != request.status {
            request.record(.init(status: status, at: Self.changedAt(status, request: request, link: LinkStanding(link)), note: nil))
            request.updatedAt = link.now
        }
        return View(request: request, link: link)
    }

    /// When a derived status began: an expiry at the link's expiry, so a read before the sweep
    /// and the sweep's record agree; anything else when it is seen.
    private static func changedAt(_ status: PayByLinkStatus, request: RequestForPayment, link: LinkStanding) -> SandboxInstant {
        guard status == .expired else { return link.now }
        let expiry = min(link.expiry, request.expiry)
        return max(expiry, request.lastChange?.at ?? expiry)
    }

    /// Brings a stored request up to date with its link (see `settle`), in place.
    private func refresh(_ state: inout State, slot: Int, link known: LinkView? = nil) -> View? {
        guard let link = known ?? engine.link(id: state.requests[slot].currentLinkID) else { return nil }
        var messages: [Outbox.Draft] = []
        let (opened, change) = settle(&state.requests[slot], link: link, messages: &messages)
        outbox.send(contentsOf: messages)
        recorder?.record(.dialect(DialectChange(.payByLinkRequest, state.requests[slot])))
        if let opened { state.byLink.insert(hash: keys.hash(opened.link.id), slot: slot) }
        keep(change, in: &state)
        return View(request: state.requests[slot], link: opened ?? link)
    }

    /// Counts a paid instalment and opens (and sends) the next, then records a status change
    /// and posts its callback if there is one. Returns the link it opened, as it now stands
    /// (then the request's current link; otherwise `paidOrCurrent` still is), for the caller's
    /// index. The link given is not copied to be handed back: a link's view holds a dozen
    /// strings, and a batch's creates, which open no link here, do not need it back.
    func settle(_ request: inout RequestForPayment, link paidOrCurrent: LinkView, messages: inout [Outbox.Draft])
        -> (opened: LinkView?, change: RequestStatusChange?) {
        var opened: LinkView?
        let now = paidOrCurrent.now
        if paidOrCurrent.state == .paid && request.instalmentsPaid < request.links.count {
            request.instalmentsPaid = request.links.count
            request.amountPaid += paidOrCurrent.link.amount
            request.updatedAt = now
            let number = request.links.count + 1
            if number <= request.instalments, let next = try? engine.createLink(terms(for: request, instalment: number)) {
                request.links.append(next.link.id)
                deliver(&request, link: LinkStanding(next), instalment: number, now: now, messages: &messages)
                opened = engine.link(id: next.link.id) ?? next
            }
        }
        let change = if let opened {
            recordStatus(&request, current: LinkStanding(opened), now: now)
        } else {
            recordStatus(&request, current: LinkStanding(paidOrCurrent), now: now)
        }
        return (opened, change)
    }

    /// Records the status `current` gives the request, when it differs, and posts its callback.
    /// Returns the change to publish, nil when there is none or no one follows them (`keep`).
    func recordStatus(_ request: inout RequestForPayment, current link: LinkStanding, now: SandboxInstant) -> RequestStatusChange? {
        let status = Self.derive(request, link)
        // The request's status read once: each call given the request, which the caller holds
        // in place, first copies its bytes (about 370) to the side.
        let previous = request.status
        guard status != previous else { return nil }
        let at = Self.changedAt(status, request: request, link: link)
        request.record(.init(status: status, at: at, note: status == .failed || status == .sent ? request.deliveryNote : nil))
        request.updatedAt = now
        callbacks.statusChanged(request, from: previous, at: now)
        guard engine.events.follows(.requestStatusChanged) else { return nil }
        return RequestStatusChange(owner: .payByLink(subscription: request.subscription), requestID: request.id,
                                   previous: previous.rawValue, status: status.rawValue, at: at)
    }

    /// Keeps a status change to publish once the lock is released, when some subscriber follows
    /// them: none of the running sandbox's does (callbacks go out from `recordStatus`), and a
    /// batch makes two a record, whose copies and events were a tenth of its work.
    func keep(_ change: @autoclosure () -> RequestStatusChange?, in state: inout State) {
        guard engine.events.follows(.requestStatusChanged), let change = change() else { return }
        state.unpublished.append(change)
    }

    /// Publishes the status changes recorded under the lock; called once it is released.
    func publishStatusChanges() {
        let changes = state.withLock { state -> [RequestStatusChange] in
            defer { state.unpublished.removeAll() }
            return state.unpublished
        }
        engine.events.publish(each: changes) { .requestStatusChanged($0) }
    }
}
