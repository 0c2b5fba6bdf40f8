import Synchronization

/// The one owner of link and order state for a sandbox instance. Every read-check-write
/// happens inside one lock, so two concurrent payments of a link give exactly one Paid and one
/// refusal, and concurrent captures or refunds never take an amount past its bounds.
///
/// A `Mutex` rather than an actor: the HTTP server calls in synchronously from its event loop,
/// and an uncontended lock costs tens of nanoseconds where an actor hop costs microseconds.
package final class LinkEngine: Sendable {
    /// The sandbox clock; merchants with a clock of their own follow `clocks` instead.
    package let clock: SandboxClock
    /// The time for each merchant's links and orders (`MerchantClocks`): every operation reads
    /// it before taking the lock, as one `ClockTimes` or one merchant's instant.
    package let clocks: MerchantClocks
    /// Every change, published after the lock is released (see `EngineEvent`).
    package let events: EventStream
    /// Internal rather than private so the engine's reads can live in files of their own
    /// (`LinkEngine+Query`).
    let store: Mutex<LinkStore>
    /// Told every change under the lock (`--state-dir`'s log); nil keeps nothing.
    /// Internal so the engine's other transitions can live in files of their own.
    let recorder: (any StateChangeRecorder)?

    package init(clock: SandboxClock, seed: UInt64? = nil, events: EventStream = EventStream(), recorder: (any StateChangeRecorder)? = nil) {
        self.clock = clock
        self.clocks = MerchantClocks(global: clock, recorder: recorder)
        self.events = events
        self.recorder = recorder
        self.store = Mutex(LinkStore(ids: IDGenerator(seed: seed)))
    }

    /// Creates an Open link. `requestedID` lets the merchant choose `payment_link_id`
    /// (the old PAYMENT_LINK field table lists it as optional input).
    package func createLink(_ draft: LinkTerms, requestedID: String? = nil) throws(LinkError) -> LinkView {
        let now = clocks.now(for: draft.merchantIdentifier)
        let view = try store.withLock { (store: inout LinkStore) throws(LinkError) -> LinkView in
            try create(draft, requestedID: requestedID, at: now, in: &store)
        }
        events.publish(.linkCreated(view))
        return view
    }

    /// Creates a link for each of `terms`, in order, exactly as `createLink` would one after the
    /// other, under one hold of the lock (the bulk entry point of batch files: the PayByLink
    /// store and APS payment-link files call it with a run of records at a time); the
    /// creation events follow, in the same order, once the lock is released.
    /// With `publishing` false the caller publishes the creation events itself (a batch run
    /// hands them to its other thread), as `.linkCreated` of each link made, in order.
    package func createLinks(_ terms: [(terms: LinkTerms, requestedID: String?)], publishing: Bool = true) -> [Result<LinkView, LinkError>] {
        let times = clocks.times()
        let results = store.withLock { store in
            // Each item copied out once, its terms then handed on as they are: mapped into
            // `PreparedLinkTerms` first (an APS batch's way in), every item was copied twice
            // through the runtime's generic tuple copy, its terms once more, and two arrays
            // destroyed. A part read from the array (`terms[index].terms`) still copied the
            // whole tuple out, once for each part.
            var results: [Result<LinkView, LinkError>] = []
            results.reserveCapacity(terms.count)
            for index in terms.indices {
                let (linkTerms, requestedID) = terms[index]
                let now = times.now(for: linkTerms.merchantIdentifier)
                do throws(LinkError) {
                    results.append(.success(try create(linkTerms, requestedID: requestedID, at: now, in: &store)))
                } catch {
                    results.append(.failure(error))
                }
            }
            return results
        }
        if publishing { for case .success(let view) in results { events.publish(.linkCreated(view)) } }
        return results
    }

    /// `createLinks`, with terms whose customer text may have been prepared off the lock
    /// (`LinkCustomerText`): what the store makes of that text is then only copied in.
    package func createLinks(prepared terms: [(terms: PreparedLinkTerms, requestedID: String?)], publishing: Bool = true)
        -> [Result<LinkView, LinkError>] {
        let times = clocks.times()
        let results = store.withLock { store in
            // Each item copied out once, as in `createLinks(_:publishing:)`.
            var results: [Result<LinkView, LinkError>] = []
            results.reserveCapacity(terms.count)
            for index in terms.indices {
                let (prepared, requestedID) = terms[index]
                let now = times.now(for: prepared.terms.merchantIdentifier)
                do throws(LinkError) {
                    results.append(.success(try create(prepared.terms, customerText: prepared.customerText, requestedID: requestedID,
                                                       at: now, in: &store)))
                } catch {
                    results.append(.failure(error))
                }
            }
            return results
        }
        if publishing { for case .success(let view) in results { events.publish(.linkCreated(view)) } }
        return results
    }

    /// Checks and stores one new Open link; called under the lock.
    ///
    /// The identifiers are drawn first and the link placed with one walk of each table that
    /// both looks for its ID, token and reference and finds where each goes
    /// (`LinkStore.insertNew`): checking each key before inserting walked every table twice,
    /// a cache miss each at 100,000 links. When a key is taken (a reused reference, or a drawn
    /// identifier that collides), nothing was stored: the generator goes back to where it was
    /// and the keys are checked one at a time, so the same error, and the same identifiers for
    /// a seed, come out as before.
    ///
    /// Internal so that the bulk entry points can live in files of their own. The terms are
    /// taken consumed, so the new link takes over those its caller made for it
    /// (`createLinks(from:)`): borrowed, they were copied into the link and destroyed after.
    func create(_ draft: consuming LinkTerms, customerText: LinkCustomerText? = nil, requestedID: String?, at now: SandboxInstant,
                in store: inout LinkStore) throws(LinkError) -> LinkView {
        guard draft.expiry > now else { throw .expiryNotInFuture }
        let drawnFrom = store.ids
        let link = PaymentLink(id: requestedID ?? store.ids.numericID(), token: store.ids.hexToken(), terms: draft, createdAt: now)
        do throws(CompactLinks.Duplicate) {
            try store.insertNew(link, customerText: customerText)
        } catch {
            store.ids = drawnFrom
            return try createCheckingEachKey(link.terms, requestedID: requestedID, at: now, in: &store)
        }
        recorder?.recordNewLink(link, ids: store.ids.snapshot)
        return LinkView(link: link, state: .open, now: now)
    }

    /// `create` one key at a time: the reference, then the ID (drawing again while a drawn one
    /// is taken), then the token.
    private func createCheckingEachKey(_ draft: LinkTerms, requestedID: String?, at now: SandboxInstant,
                                       in store: inout LinkStore) throws(LinkError) -> LinkView {
        guard !store.hasLink(merchant: draft.merchantIdentifier, reference: draft.merchantReference) else {
            throw .duplicateMerchantReference
        }
        let id: String
        if let requestedID {
            guard !store.hasLink(id: requestedID) else { throw .duplicateLinkID }
            id = requestedID
        } else {
            var candidate = store.ids.numericID()
            while store.hasLink(id: candidate) { candidate = store.ids.numericID() }
            id = candidate
        }
        var token = store.ids.hexToken()
        while store.hasLink(token: token) { token = store.ids.hexToken() }
        let link = PaymentLink(id: id, token: token, terms: draft, createdAt: now)
        store.insert(link)
        recorder?.recordNewLink(link, ids: store.ids.snapshot)
        return LinkView(link: link, state: .open, now: now)
    }

    /// A link as a scenario's setup states it: like `createLink` but with any expiry, then
    /// Closed or Paid (with its order) when asked. Expired means an expiry already past.
    package func seedLink(_ draft: LinkTerms, requestedID: String? = nil, state: LinkState) throws(LinkError) -> LinkView {
        let now = clocks.now(for: draft.merchantIdentifier)
        let view = try store.withLock { (store: inout LinkStore) throws(LinkError) -> LinkView in
            guard !store.hasLink(merchant: draft.merchantIdentifier, reference: draft.merchantReference) else {
                throw .duplicateMerchantReference
            }
            if let requestedID, store.hasLink(id: requestedID) { throw .duplicateLinkID }
            var id = requestedID ?? store.ids.numericID()
            while requestedID == nil && store.hasLink(id: id) { id = store.ids.numericID() }
            var token = store.ids.hexToken()
            while store.hasLink(token: token) { token = store.ids.hexToken() }
            var link = PaymentLink(id: id, token: token, terms: draft, createdAt: now)
            if state == .closed { link.lifecycle = .closed }
            store.insert(link)
            recorder?.recordNewLink(link, ids: store.ids.snapshot)
            return LinkView(link: link, state: link.state(at: now), now: now)
        }
        var seeded = view
        switch state {
        case .paid:
            let details = PaymentDetails(maskedCardNumber: "400555******0001", paymentOption: "VISA")
            seeded = try transaction(id: view.link.id, details: details, status: .approved) { link, _, now throws(LinkError) in
                try LinkStateMachine.pay(link, at: now)
            }.link
        case .expired where view.state != .expired: throw .expiryNotInFuture
        case .open where view.state != .open: throw .expired
        default: break
        }
        events.publish(.linkSeeded(seeded))
        return seeded
    }

    package func link(id: String) -> LinkView? {
        let times = clocks.times()
        return store.withLock { $0.readLink(id: id).map { LinkView($0, at: times) } }
    }

    package func link(merchant: String, reference: String) -> LinkView? {
        let now = clocks.now(for: merchant)
        return store.withLock { store in
            store.readLink(merchant: merchant, reference: reference).map { LinkView(link: $0, state: $0.state(at: now), now: now) }
        }
    }

    /// `link(merchant:reference:)` lent to `body` under the store's lock, with its state now:
    /// no `PaymentLink` copied out (a copy retained and released each of its strings). False
    /// when there is no such link. `body` must not call back into the engine. Not generic: a
    /// generic one, called from another module, ran unspecialized. Its last argument: the
    /// link's shown text is known plain (`PaymentLink.shownTextIsPlain`), when it is.
    package func withLink(merchant: String, reference: String,
                          _ body: (borrowing PaymentLink, LinkState, SandboxInstant, Bool) -> Void) -> Bool {
        let now = clocks.now(for: merchant)
        return store.withLock { store in
            store.withLink(merchant: merchant, reference: reference) { link, plain in body(link, link.state(at: now), now, plain) } != nil
        }
    }

    package func link(token: String) -> LinkView? {
        let times = clocks.times()
        return store.withLock { store in
            store.readLink(token: token).map { LinkView($0, at: times) }
        }
    }

    /// All links in creation order.
    package func links() -> [LinkView] {
        let times = clocks.times()
        return store.withLock { store in store.allLinks.map { LinkView($0, at: times) } }
    }

    /// A merchant's change; published as closed, reopened or amended.
    /// A new notification type or recipient on a link left Open is published too (`linkRecipientsChanged`).
    package func update(id: String, _ update: LinkStateMachine.Update) throws(LinkError) -> LinkView {
        var before = LinkState.open
        var channels: [String] = []
        let view = try transition(id: id) { (link, now) throws(LinkError) in
            before = link.state(at: now)
            let next = try LinkStateMachine.apply(update, to: link, at: now)
            channels = LinkStateMachine.channelsToNotifyAgain(before: link.terms, after: next.terms)
            return next
        }
        switch (before, view.state) {
        case (.closed, .closed), (.open, .open): events.publish(.linkAmended(view))
        case (_, .closed): events.publish(.linkClosed(view))
        case (_, .open): events.publish(.linkReopened(view))
        default: events.publish(.linkAmended(view))
        }
        if view.state == .open && !channels.isEmpty { events.publish(.linkRecipientsChanged(view, channels: channels)) }
        return view
    }

    package func pay(id: String) throws(LinkError) -> LinkView {
        try payment(id: id, details: PaymentDetails()).link
    }

    /// A successful payment: the link becomes Paid and its order (PURCHASE or AUTHORIZATION,
    /// from the link's `link_command`) is created, in one step.
    package func payment(id: String, details: PaymentDetails) throws(LinkError) -> (link: LinkView, order: Order) {
        let result = try transaction(id: id, details: details, status: .approved) { link, _, now throws(LinkError) in
            try LinkStateMachine.pay(link, at: now)
        }
        events.publish(.linkPaid(result.link, result.order))
        return result
    }

    /// A payment the issuer declined (or 3-D Secure failed): a declined transaction with its own
    /// `fort_id` is recorded, and the link stays Open with the attempt on record.
    package func declinedPayment(id: String, details: PaymentDetails, code: APSResponseCode) throws(LinkError) -> (link: LinkView, order: Order) {
        let result = try transaction(id: id, details: details, status: .declined(code)) { link, fortID, now throws(LinkError) in
            try LinkStateMachine.requirePayable(link, at: now)
            return link.recording(PaymentAttempt(at: now, responseCode: code.code, maskedCardNumber: details.maskedCardNumber, fortID: fortID))
        }
        events.publish(.paymentDeclined(result.link, result.order))
        return result
    }

    /// A payment processed without confirmation (status 15): the link refuses further payments
    /// (784) until `resolveDueUncertainPayments` settles it at `resolvesAt`.
    package func uncertainPayment(id: String, details: PaymentDetails, resolvesAt: SandboxInstant,
                                 approves: Bool) throws(LinkError) -> (link: LinkView, order: Order) {
        let status = OrderStatus.uncertain(resolvesAt: resolvesAt, approves: approves)
        let result = try transaction(id: id, details: details, status: status) { link, fortID, now throws(LinkError) in
            try LinkStateMachine.requirePayable(link, at: now)
            var next = link.recording(PaymentAttempt(at: now, responseCode: "15777", maskedCardNumber: details.maskedCardNumber, fortID: fortID))
            next.pendingFortID = fortID
            return next
        }
        events.publish(.paymentUncertain(result.link, result.order))
        return result
    }

    /// Settles the uncertain payments whose time has come. One that approves pays its link if
    /// the link is still Open (an order made without a link is simply approved); otherwise (or
    /// when it declines) it ends declined with 666.
    package func resolveDueUncertainPayments() -> [(link: LinkView?, order: Order)] {
        let times = clocks.times()
        let settled = store.withLock { store -> [(link: LinkView?, order: Order)] in
            guard !store.pendingFortIDs.isEmpty else { return [] }
            var resolved: [(link: LinkView?, order: Order)] = []
            for fortID in store.pendingFortIDs {
                guard var order = store.order(fortID: fortID), case .uncertain(let due, let approves) = order.status else { continue }
                // Due on the clock of the order's merchant.
                let now = times.now(for: order.merchantIdentifier)
                guard due <= now else { continue }
                var link = order.paymentLinkID.flatMap { store.link(id: $0) }
                link?.pendingFortID = nil
                var approved = approves && order.paymentLinkID == nil
                if approves, let open = link, var paid = try? LinkStateMachine.pay(open, at: now) {
                    // Approved after all: the attempt is no longer a failed one.
                    paid.failedAttempts.removeAll { $0.fortID == fortID }
                    link = paid
                    approved = true
                }
                if approved {
                    order.status = .approved
                    if order.command == .purchase { order.capturedAmount = order.amount }
                } else {
                    order.status = .declined(APSResponseCode(status: order.command.failureStatus, message: "666"))
                }
                store.replace(order)
                if let link { store.replace(link) }
                recorder?.record(link.map { [.link($0), .order(order)] } ?? [.order(order)])
                resolved.append((link.map { LinkView(link: $0, state: $0.state(at: now), now: now) }, order))
            }
            store.pendingFortIDs.removeAll { fortID in resolved.contains { $0.order.fortID == fortID } }
            return resolved
        }
        for (link, order) in settled { events.publish(.paymentSettled(link, order)) }
        return settled
    }

    /// Records an attempt that did not reach the acquirer (cancelled, abandoned); refused, like
    /// a payment, unless the link is Open.
    package func recordFailedAttempt(id: String, responseCode: String, maskedCardNumber: String?) throws(LinkError) -> LinkView {
        let view = try transition(id: id) { (link, now) throws(LinkError) in
            try LinkStateMachine.requirePayable(link, at: now)
            return link.recording(PaymentAttempt(at: now, responseCode: responseCode, maskedCardNumber: maskedCardNumber))
        }
        events.publish(.attemptRecorded(view))
        return view
    }

    /// Creates a transaction (order) for a payment attempt and moves the link, in one step.
    private func transaction(id: String, details: PaymentDetails, status: OrderStatus,
                             _ moveLink: (PaymentLink, String, SandboxInstant) throws(LinkError) -> PaymentLink) throws(LinkError) -> (link: LinkView, order: Order) {
        let times = clocks.times()
        return try store.withLock { (store: inout LinkStore) throws(LinkError) -> (link: LinkView, order: Order) in
            guard let ordinal = store.links.ordinal(id: id) else { throw .notFound }
            let link = store.links.reading(ordinal)
            let now = times.now(for: link.merchantIdentifier)
            // Refused before an id is drawn, so a lost race leaves the ID sequence as it was
            // (runs with one seed stay identical whoever wins).
            try LinkStateMachine.requirePayable(link, at: now)
            var fortID = store.ids.numericID()
            while store.hasOrder(fortID: fortID) { fortID = store.ids.numericID() }
            let next = try moveLink(link, fortID, now)
            let order = Order(
                fortID: fortID, merchantIdentifier: link.merchantIdentifier, merchantReference: link.merchantReference,
                paymentLinkID: link.id, command: link.transactionCommand, currency: link.currency, amount: link.amount,
                authorizationCode: status == .approved || status.isUncertainApproval ? store.ids.numericID(length: 6) : "",
                payment: details, createdAt: now, status: status)
            store.replace(next, at: ordinal)
            store.insert(order)
            if case .uncertain = status { store.pendingFortIDs.append(fortID) }
            recorder?.record([.link(next), .order(order), .ids(store.ids.snapshot)])
            return (LinkView(link: next, state: next.state(at: now), now: now), order)
        }
    }

    package func order(fortID: String) -> Order? { store.withLock { $0.order(fortID: fortID) } }

    package func order(merchant: String, reference: String) -> Order? {
        store.withLock { $0.orders.newest(merchant: merchant, reference: reference) }
    }

    /// `language` is the request's, for the notification of the capture.
    package func capture(fortID: String, amount: Int64, currency: String?, language: String = "en",
                         maintenanceReference: String? = nil) throws(OrderError) -> Order {
        let order = try transitionOrder(fortID: fortID) { (order, now) throws(OrderError) in
            try OrderStateMachine.capture(order, amount: amount, currency: currency, at: now, maintenanceReference: maintenanceReference)
        }
        events.publish(.orderCaptured(order, amount: amount, language: language))
        return order
    }

    package func voidAuthorization(fortID: String, amount: Int64? = nil, currency: String? = nil, language: String = "en",
                                   maintenanceReference: String? = nil) throws(OrderError) -> Order {
        let order = try transitionOrder(fortID: fortID) { (order, now) throws(OrderError) in
            try OrderStateMachine.voidAuthorization(order, amount: amount, currency: currency, at: now,
                                                    maintenanceReference: maintenanceReference)
        }
        events.publish(.orderVoided(order, language: language))
        return order
    }

    package func refund(fortID: String, amount: Int64, currency: String?, maintenanceReference: String?, language: String = "en") throws(OrderError) -> Order {
        let order = try transitionOrder(fortID: fortID) { (order, now) throws(OrderError) in
            try OrderStateMachine.refund(order, amount: amount, currency: currency, maintenanceReference: maintenanceReference, at: now)
        }
        events.publish(.orderRefunded(order, amount: amount, language: language))
        return order
    }

    private func transitionOrder(fortID: String, _ body: (Order, SandboxInstant) throws(OrderError) -> Order) throws(OrderError) -> Order {
        let times = clocks.times()
        return try store.withLock { (store: inout LinkStore) throws(OrderError) -> Order in
            guard let order = store.order(fortID: fortID) else { throw .notFound }
            let next = try body(order, times.now(for: order.merchantIdentifier))
            store.replace(next)
            recorder?.record(.order(next))
            return next
        }
    }

    package func recordOpening(id: String) throws(LinkError) -> LinkView {
        let view = try transition(id: id) { link, now in LinkStateMachine.recordOpening(link, at: now) }
        if view.state == .open { events.publish(.linkOpened(view)) }
        return view
    }

    /// Forgets one merchant's links and orders; returns how many links went.
    @discardableResult
    package func reset(merchantIdentifier: String) -> Int {
        store.withLock { $0.remove(merchant: merchantIdentifier) }
    }

    /// Everything the engine holds, read in one step under its lock (see `EngineSnapshot`).
    package func snapshot() -> EngineSnapshot {
        store.withLock { EngineSnapshot(store: $0) }
    }

    /// Replaces everything the engine holds with `snapshot`, in one step under its lock. The
    /// snapshot is checked first; a bad one throws and changes nothing.
    package func restore(_ snapshot: EngineSnapshot) throws(SnapshotError) {
        install(try snapshot.prepared())
    }

    /// Replaces everything the engine holds with a prepared snapshot, in one step under its lock.
    package func install(_ prepared: PreparedEngineState) {
        store.withLock { $0 = prepared.store }
    }

    /// Makes room for `count` more links at once (a batch file about to create them), so the
    /// maps grow in one step instead of rehashing while the lock is held for a create. Changes
    /// nothing anyone can see.
    package func reserveCapacity(forMoreLinks count: Int) {
        guard count > 0 else { return }
        store.withLock { $0.reserveCapacity(forMoreLinks: count) }
    }

    /// How many links the engine holds.
    package var linkCount: Int { store.withLock { $0.links.count } }

    /// Forgets every link.
    package func reset() {
        store.withLock { store in store.removeAll() }
    }

    /// Several links read at one instant under one lock (nil where an id is unknown).
    package func links(ids: [String]) -> [LinkView?] {
        let times = clocks.times()
        return store.withLock { store in ids.map { id in store.link(id: id).map { LinkView($0, at: times) } } }
    }

    /// Reads the link, computes its successor and stores it, all under the lock.
    private func transition(id: String, _ body: (PaymentLink, SandboxInstant) throws(LinkError) -> PaymentLink) throws(LinkError) -> LinkView {
        let times = clocks.times()
        return try store.withLock { (store: inout LinkStore) throws(LinkError) -> LinkView in
            guard let ordinal = store.links.ordinal(id: id) else { throw .notFound }
            let link = store.links.reading(ordinal)
            let now = times.now(for: link.merchantIdentifier)
            let next = try body(link, now)
            store.replace(next, at: ordinal)
            recorder?.record(.link(next))
            return LinkView(link: next, state: next.state(at: now), now: now)
        }
    }
}
