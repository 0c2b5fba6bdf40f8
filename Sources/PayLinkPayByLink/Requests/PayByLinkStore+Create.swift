import PayLinkCore
import Synchronization

/// Creating requests: one (`POST /requests`) or a run of a batch file's records at once.
extension PayByLinkStore {
    /// Creates the request and its first link and sends the message.
    package func create(_ draft: RequestDraft, subscription: String) throws(Failure) -> View {
        defer { publishStatusChanges() }
        let now = engine.clock.now()
        // The lock's closure cannot throw a typed error through `withLock`: it returns a Result.
        return try state.withLock { state -> Result<View, Failure> in
            var messages: [Outbox.Draft] = []
            defer { outbox.send(contentsOf: messages) }
            return insert(draft, subscription: subscription, now: now, into: &state, messages: &messages)
                .map { slot, link in View(request: state.requests[slot], link: link) }
        }.get()
    }

    /// Creates a request for each draft, in order, as `create` would one after the other, under
    /// one hold of the lock (a run of a batch file's records), and returns, for each draft, nil
    /// when its request was created or why not. The run's links are made in one call to the
    /// engine's bulk entry point (`LinkEngine.createLinks`), its messages go to the outbox
    /// together and its status changes are published once, after the last. Requests, links,
    /// identifiers and messages come out as one at a time would make them; only the engine's
    /// events of the run differ: every link's creation first, in one `linksCreated` event, then
    /// any link a failed delivery closed.
    package func create(all drafts: [RequestDraft], subscription: String) -> [Failure?] {
        let (failures, events) = createDeferring(all: drafts.map { prepare($0, subscription: subscription) }, subscription: subscription)
        publish(events)
        return failures
    }

    /// The events of a run of creates, in the order they are published: every link's creation,
    /// then the requests' status changes.
    struct RunEvents: Sendable {
        /// The links made, in order (`LinkEngine.CreatedLinks.views`).
        var links: [LinkView] = []
        var changes: [RequestStatusChange] = []
        /// The outbox's messages the run's pushed out of its ring: not events, but held here so
        /// they are freed with them, on the thread that publishes them (see `Outbox.send`).
        var droppedMessages: [OutboxMessage] = []
        var isEmpty: Bool { links.isEmpty && changes.isEmpty && droppedMessages.isEmpty }
    }

    /// `create(all:)`, returning the run's events to publish (`publish(_:)`) rather than
    /// publishing them: a batch leaves that to its other thread. Only the links a failed
    /// delivery closed are published at once (their closing before their creation).
    /// The drafts come with their links' customer text and their hashes, made before the lock
    /// (`prepare`) for `subscription`.
    func createDeferring(all drafts: [PreparedDraft], subscription: String) -> (failures: [Failure?], events: RunEvents) {
        guard !drafts.isEmpty else { return ([], RunEvents()) }
        precondition(drafts.allSatisfy { $0.subscription == subscription }, "drafts prepared for the run's subscription")
        defer { publishStatusChanges() }
        let now = engine.clock.now()
        return state.withLock { state in
            // The run's own changes are those it appends; any before them are another caller's,
            // which publishes them once it releases the lock.
            let earlier = state.unpublished.count
            // Two changes a request at most (Pending, then Sent or Failed), when they are kept.
            if engine.events.follows(.requestStatusChanged) { state.unpublished.reserveCapacity(earlier + 2 * drafts.count) }
            var messages: [Outbox.Draft] = []
            messages.reserveCapacity(drafts.count)
            // First every check and identifier, in order; then the links together; then each
            // request completed and indexed, in order.
            // The run's references' buckets are touched together first (see `SlotIndex.touch`):
            // at 100,000 requests each lookup is a cache miss, and misses taken one after
            // another in the same loop overlap where the checks' would not.
            let referenceHashes = drafts.map(\.referenceHash)
            state.touched &+= referenceHashes.reduce(0) { $0 &+ state.byReference.touch(hash: $1) }
            // Each plan is looked at where it is made and moved out of the array when completed:
            // a plan holds a whole request record, and copying one out (to read its hashes, or
            // to iterate) retains and later releases every string in it.
            var plans: [Plan?] = []
            let (links, plannedHashes) = planRun(drafts, subscription: subscription, now: now,
                                                 referenceHashes: referenceHashes,
                                                 into: &plans, in: &state)
            let created = engine.createLinks(from: links)
            // The same for the buckets the run's requests are about to be filed in.
            var touched: UInt64 = 0
            for hashes in plannedHashes {
                touched &+= state.byID.touch(hash: hashes.id) &+ state.byShortCode.touch(hash: hashes.code)
            }
            // By index: iterating the views copied each link (retaining its strings) only to read its id.
            var linkHashes: [UInt64] = []
            linkHashes.reserveCapacity(created.views.count)
            for index in created.views.indices {
                let hash = keys.hash(created.views[index].link.id)
                linkHashes.append(hash)
                touched &+= state.byLink.touch(hash: hash)
            }
            state.touched &+= touched
            // The planned drafts' links, in order: the next refused one's index, and the next view.
            var refusals = created.refused.makeIterator()
            var nextRefused = refusals.next()?.index
            var nextView = 0
            var nextLink = 0
            var outcomes: [Failure?] = []
            outcomes.reserveCapacity(drafts.count)
            // The slot of each draft's request once created, for the drafts after it that repeat
            // its reference (a slot, not the id: an id kept here was retained and released).
            var createdSlots: [Int?] = []
            createdSlots.reserveCapacity(drafts.count)
            for index in plans.indices {
                switch plans[index].take()! {
                case .refused(let failure):
                    outcomes.append(failure)
                    createdSlots.append(nil)
                case .planned(let planned):
                    defer { nextLink += 1 }
                    if nextLink == nextRefused {
                        nextRefused = refusals.next()?.index
                        outcomes.append(.invalid(Self.expiryPassed(now)))
                        createdSlots.append(nil)
                    } else {
                        defer { nextView += 1 }
                        let slot = complete(planned, link: LinkStanding(of: created.views, at: nextView), now: now, into: &state,
                                            messages: &messages, linkHash: linkHashes[nextView]).slot
                        outcomes.append(nil)
                        createdSlots.append(slot)
                    }
                case .repeats(let earlier):
                    if let existing = createdSlots[earlier] {
                        outcomes.append(.duplicate(existingID: state.requests[existing].id))
                        createdSlots.append(nil)
                    } else {
                        // The earlier record with this reference was not created after all, so
                        // this one is created now, on its own, as it would have been.
                        let result = insert(drafts[index].draft, subscription: subscription, now: now, into: &state, messages: &messages)
                        switch result {
                        case .success(let created):
                            outcomes.append(nil)
                            createdSlots.append(created.slot)
                        case .failure(let failure):
                            outcomes.append(failure)
                            createdSlots.append(nil)
                        }
                    }
                }
            }
            let changes: [RequestStatusChange]
            if earlier == 0 {
                // Nearly always: the whole array is the run's, so it is handed over, not copied
                // element by element (a retain and, when removed, a release of each one's strings).
                changes = state.unpublished
                state.unpublished = []
            } else {
                changes = Array(state.unpublished[earlier...])
                state.unpublished.removeSubrange(earlier...)
            }
            let dropped = outbox.send(contentsOf: messages)
            return (outcomes, RunEvents(links: created.views, changes: changes, droppedMessages: dropped))
        }
    }

    /// Publishes the events a run made (see `createDeferring`), in order: the run's links in one
    /// `linksCreated` event, as an APS batch file's run publishes them (no subscriber does
    /// anything with a PayByLink link's creation, and every event costs each subscriber a call,
    /// the event's copy and its destruction: about a third of publishing a batch), then each
    /// status change.
    func publish(_ events: RunEvents) {
        // A plain loop over a concrete type: `EventStream.publish(each:as:)` is generic and lives
        // in another module, so it ran unspecialized here, copying each change through the
        // runtime's value witnesses (a sixth of the publishing thread's time in a batch).
        let stream = engine.events
        if !events.links.isEmpty { stream.publish(.linksCreated(events.links)) }
        for change in events.changes { stream.publish(.requestStatusChanged(change)) }
    }

    /// Creates one request and its first link, indexes it and composes its messages (the
    /// caller sends them); returns its slot and its link as it now stands.
    func insert(_ draft: RequestDraft, subscription: String, now: SandboxInstant, into state: inout State,
                messages: inout [Outbox.Draft]) -> Result<(slot: Int, link: LinkView), Failure> {
        var run = RunKeys()
        switch plan(draft, subscription: subscription, now: now, in: &state, run: &run, index: 0) {
        case .refused(let failure):
            return .failure(failure)
        case .repeats:
            preconditionFailure("a single request repeats nothing in its run")
        case .planned(let planned):
            do throws(LinkError) {
                let link = try engine.createLink(terms(for: planned.request, instalment: 1))
                let completed = complete(planned, link: LinkStanding(link), now: now, into: &state, messages: &messages)
                return .success((completed.slot, completed.closedLink ?? link))
            } catch {
                return .failure(.invalid(Self.expiryPassed(now)))
            }
        }
    }

    /// What became of a draft's checks before its link is made.
    enum Plan {
        case refused(Failure)
        /// Its reference is that of the draft at `index` earlier in the same run.
        case repeats(Int)
        case planned(Planned)
    }

    /// A request checked and numbered, awaiting its link, with the hashes it is indexed under.
    struct Planned {
        var request: RequestForPayment
        var referenceHash: UInt64
        var idHash: UInt64
        var codeHash: UInt64
        /// Its `RequestListIndex.ChainHashes`, when they were worked out before.
        var chains: RequestListIndex.ChainHashes?
    }

    /// Keys drawn or claimed earlier in the run, not yet in the indexes: a run is short (see
    /// `BatchEngine.runLength`), so a scan of hashes beats a set of strings.
    struct RunKeys {
        var references: [(hash: UInt64, index: Int, reference: String)] = []
        /// Every ID and short code drawn in the run, in order: those a planned request claimed
        /// are not drawn again in the run, and all of them, drawn without looking in the
        /// indexes (see `planRun`), are looked for there afterwards, all together. One array
        /// holding each string once: an array of IDs, one of codes and one of every draw held
        /// each twice, three arrays to grow and free a run.
        var drawn: [DrawnKeys] = []
        /// The hashes of the references, IDs and codes claimed, so a key the run has not
        /// claimed is known so without a scan.
        private var claimedReferences = KeyHashFilter(), claimedIDs = KeyHashFilter(), claimedCodes = KeyHashFilter()

        /// The index of the draft earlier in the run that has this reference.
        func earlier(reference: String, hash: UInt64) -> Int? {
            guard claimedReferences.mayContain(hash) else { return nil }
            return references.first(where: { $0.hash == hash && $0.reference == reference })?.index
        }

        func claimed(id: String, hash: UInt64) -> Bool {
            claimedIDs.mayContain(hash) && drawn.contains { $0.claimed && $0.idHash == hash && $0.id == id }
        }

        func claimed(code: String, hash: UInt64) -> Bool {
            claimedCodes.mayContain(hash) && drawn.contains { $0.claimed && $0.codeHash == hash && $0.code == code }
        }

        /// The last keys drawn are claimed by the draft at `index`, with its reference.
        mutating func claimLastDrawn(reference: String, hash: UInt64, index: Int) {
            references.append((hash, index, reference))
            drawn[drawn.count - 1].claimed = true
            claimedReferences.insert(hash)
            claimedIDs.insert(drawn[drawn.count - 1].idHash)
            claimedCodes.insert(drawn[drawn.count - 1].codeHash)
        }
    }

    /// An ID and short code drawn for a draft, and whether its request claimed them (a draft
    /// refused after the draw, its expiry passed, claims nothing).
    struct DrawnKeys {
        let idHash: UInt64
        let id: String
        let codeHash: UInt64
        let code: String
        var claimed = false
    }

    /// `plan` for each draft of a run, in order: puts each draft's plan in `plans` and returns
    /// the links to make (each draft's template with its request's reference and expiry) and
    /// the hashes of the planned requests' ids and short codes, in order.
    ///
    /// The identifiers are drawn first without looking for them in the indexes, then looked
    /// for there all together, their buckets touched first: at 100,000 requests each lookup is
    /// a cache miss, and misses taken one after another overlap where those of one draw after
    /// another did not. A drawn identifier that is taken (as good as never: 122 random bits, or
    /// 57^8 codes) means the run is planned again from the generator as it was, looking each
    /// one up as it is drawn, so the run's identifiers, and every later one for a seed, are
    /// those that one draw after another makes.
    func planRun(_ drafts: [PreparedDraft], subscription: String, now: SandboxInstant,
                 referenceHashes: [UInt64], into plans: inout [Plan?], in state: inout State)
        -> (links: [TemplatedLink], hashes: [(id: UInt64, code: UInt64)]) {
        let drawnFrom = state.ids
        for lookingUp in [false, true] {
            var run = RunKeys()
            // Each grown from empty, they were copied four or five times a run.
            run.references.reserveCapacity(drafts.count)
            run.drawn.reserveCapacity(drafts.count)
            plans.removeAll(keepingCapacity: true)
            plans.reserveCapacity(drafts.count)
            var links: [TemplatedLink] = []
            links.reserveCapacity(drafts.count)
            var hashes: [(id: UInt64, code: UInt64)] = []
            hashes.reserveCapacity(drafts.count)
            for index in drafts.indices {
                let prepared = drafts[index]
                plans.append(plan(prepared.draft, subscription: subscription, now: now, in: &state, run: &run, index: index,
                                  referenceHash: referenceHashes[index], chains: prepared.chains, lookingUp: lookingUp) { ready in
                    links.append(TemplatedLink(prepared.linkTemplate, merchantReference: Self.merchantReference(ready.request.id, instalment: 1),
                                               expiry: ready.request.expiry))
                    hashes.append((ready.idHash, ready.codeHash))
                })
            }
            if lookingUp || allVacant(run.drawn, in: &state) { return (links, hashes) }
            state.ids = drawnFrom
        }
        preconditionFailure("the second pass looks every identifier up as it draws it")
    }

    /// None of `drawn` is the id or short code of a stored request.
    private func allVacant(_ drawn: [DrawnKeys], in state: inout State) -> Bool {
        state.touched &+= drawn.reduce(0) { $0 &+ state.byID.touch(hash: $1.idHash) &+ state.byShortCode.touch(hash: $1.codeHash) }
        return drawn.allSatisfy { slot(id: $0.id, hash: $0.idHash, in: state) == nil && slot(shortCode: $0.code, hash: $0.codeHash, in: state) == nil }
    }

    /// Checks the reference and draws the identifiers, as creating would; changes nothing but
    /// the identifier generator. `lookingUp: false` draws them without looking for them in the
    /// indexes (only in the run), and leaves that to the caller (`planRun`). `whenPlanned` is
    /// shown the plan of a draft that passes, before it is wrapped in a `Plan`: reading it back
    /// out of one (`if case .planned(let ready)`) copied the whole request record. The draft is
    /// taken consumed, so the request record takes over the caller's copy: borrowed, it was
    /// copied out of the run's `PreparedDraft` and again into the record.
    func plan(_ draft: consuming RequestDraft, subscription: String, now: SandboxInstant, in state: inout State, run: inout RunKeys, index: Int,
              referenceHash known: UInt64? = nil, chains: RequestListIndex.ChainHashes? = nil, lookingUp: Bool = true,
              whenPlanned: (borrowing Planned) -> Void = { _ in }) -> Plan {
        let referenceHash = known ?? keys.hash(subscription, draft.clientTransactionRef)
        if let existing = slot(reference: draft.clientTransactionRef, subscription: subscription, hash: referenceHash, in: state) {
            return .refused(.duplicate(existingID: state.requests[existing].id))
        }
        if let earlier = run.earlier(reference: draft.clientTransactionRef, hash: referenceHash) {
            return .repeats(earlier)
        }
        var id = state.ids.guid()
        var idHash = keys.hash(id)
        while (lookingUp && slot(id: id, hash: idHash, in: state) != nil) || run.claimed(id: id, hash: idHash) {
            id = state.ids.guid()
            idHash = keys.hash(id)
        }
        var code = state.ids.shortCode()
        var codeHash = keys.hash(code)
        while (lookingUp && slot(shortCode: code, hash: codeHash, in: state) != nil)
            || run.claimed(code: code, hash: codeHash) {
            code = state.ids.shortCode()
            codeHash = keys.hash(code)
        }
        run.drawn.append(DrawnKeys(idHash: idHash, id: id, codeHash: codeHash, code: code))
        let expiry = draft.expiry ?? Self.defaultExpiry(draft, now: now)
        // The engine would refuse the link (after the identifiers were drawn, as here): known
        // now, a later record with the same reference is created in its turn.
        guard expiry > now else { return .refused(.invalid(Self.expiryPassed(now))) }
        run.claimLastDrawn(reference: draft.clientTransactionRef, hash: referenceHash, index: index)
        let request = RequestForPayment(id: id, subscription: subscription, shortCode: code, createdAt: now, draft: draft, expiry: expiry)
        let planned = Planned(request: request, referenceHash: referenceHash, idHash: idHash, codeHash: codeHash, chains: chains)
        whenPlanned(planned)
        return .planned(planned)
    }

    /// Completes a planned request with its new link: sends its messages, settles its status,
    /// stores and indexes it. Returns its slot, and its link as a failed delivery closed it
    /// (nil when the message went out: the new link is then as it was made).
    func complete(_ planned: consuming Planned, link: LinkStanding, now: SandboxInstant, into state: inout State,
                  messages: inout [Outbox.Draft], linkHash: UInt64? = nil) -> (slot: Int, closedLink: LinkView?) {
        let (idHash, referenceHash, codeHash, chains) = (planned.idHash, planned.referenceHash, planned.codeHash, planned.chains)
        // Moved, not copied, out of the plan: the record's strings are not retained again.
        var request = (consume planned).request
        request.links.append(link.id)
        deliver(&request, link: link, instalment: 1, now: now, messages: &messages)
        // A delivered message leaves the new link as it was; a failed one closed it. A new link
        // is not paid, so settling it (`settle`) opens none and only records its status.
        // Two calls rather than a standing chosen first, which copied `link` when it was the one.
        let closedLink = request.deliveryFailed ? engine.link(id: link.id) : nil
        let change = if let closedLink {
            recordStatus(&request, current: LinkStanding(closedLink), now: closedLink.now)
        } else {
            recordStatus(&request, current: link, now: link.now)
        }
        keep(RequestStatusChange(owner: .payByLink(subscription: request.subscription), requestID: request.id,
                                 previous: nil, status: PayByLinkStatus.pending.rawValue, at: now), in: &state)
        keep(change, in: &state)
        let slot = state.requests.count
        state.requests.append(consume request)
        state.byID.insert(hash: idHash, slot: slot)
        state.byReference.insert(hash: referenceHash, slot: slot)
        state.byLink.insert(hash: linkHash ?? keys.hash(link.id), slot: slot)
        state.byShortCode.insert(hash: codeHash, slot: slot)
        state.lists.add(slot: slot, requests: state.requests, chains: chains)
        recorder?.record([.dialect(DialectChange(.payByLinkRequest, state.requests[slot])), .dialect(DialectChange(.payByLinkIDs, state.ids.snapshot))])
        return (slot, closedLink)
    }

    static func expiryPassed(_ now: SandboxInstant) -> FieldErrors {
        var errors = FieldErrors()
        errors.add("ExpiryDate", "must be in the future (sandbox time is \(ISO8601.formatUTC(now)))")
        return errors
    }
}
