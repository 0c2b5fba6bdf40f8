import Dispatch
import PayLinkCore
import PayLinkJSON
import PayLinkAPS
import PayLinkPayByLink
import Synchronization

/// `GET|PUT /__sandbox/state`: the sandbox's whole state as one JSON document,
/// and back. Holds the parts, so the control API can build one from its context. A round trip is lossless: importing an export into a fresh sandbox with the same
/// configuration and exporting again gives the same bytes, and the next identifiers, expiries,
/// resolutions of uncertain payments and notification retries are the ones the first sandbox
/// would have produced.
///
/// ```json
/// {"state_version": 1, "clock": {…}, "ids": {…}, "links": […], "orders": […],
///  "outbox": {…}, "notifications": {…}, "paybylink": {…}, "batches": {…}, "merchants": {…}}
/// ```
///
/// `merchants` (see `MerchantStateJSON`) holds what was changed at run time: merchants made or
/// replaced, PayByLink keys added, merchants' own clocks. It came later still within version 1;
/// a snapshot without it imports as one with none (the configured merchants and keys only,
/// every merchant on the sandbox clock).
///
/// `paybylink` (requests for payment, see `PayByLinkStateJSON`) and `batches` (both dialects'
/// batch files, see `BatchStateJSON`) came later within version 1: an export always writes
/// them, an import takes a snapshot without them (written before) as one with no PayByLink
/// requests and no batches. A batch exported while Validating or Processing is restored as it
/// stood and is not picked up again; a finished batch keeps its results but not its file.
/// Importing while a batch is being processed stops that work at its next chunk of records;
/// records it commits before then land in the imported state, so wait for batches to finish
/// before importing.
///
/// Not included: configuration (configured merchants, capacities, retry policy: the importing
/// sandbox keeps its own), notifications in flight (a pending one is simply attempted when due) and
/// payments awaiting a 3-D Secure code or wallet OTP (they hold the full card number, which
/// no snapshot may carry; an import drops them and the customer starts again).
package struct SandboxState: Sendable {
    /// The snapshot format this sandbox writes and reads.
    package static let version = 1

    package let engine: LinkEngine
    package let outbox: Outbox
    package let deliveries: DeliveryQueue
    /// Dropped on import: they hold full card numbers, so no snapshot carries them.
    package let verifications: PendingVerifications
    package let payByLink: PayByLinkStore
    package let batches: BatchEngine
    package let uploadKey: UploadSigningKey
    package let apsBatchIDs: APSBatchIDs
    /// Merchants made or replaced at run time, over the configured ones.
    package let merchants: MerchantDirectory
    package let subscriptionKeys: SubscriptionKeys
    /// Saved cards.
    package let tokens: TokenVault
    /// Server-to-server payments waiting for 3-D Secure; dropped on import, as `verifications` are.
    package let challenges: ThreeDSecureChallenges
    /// valU purchases under way; dropped on import, as the challenges are.
    package let valu: ValuJourneys
    /// Told of an import (`--state-dir`'s log writes a new snapshot).
    private let changes: (any StateChangeRecorder)?

    package var clock: SandboxClock { engine.clock }

    package init(engine: LinkEngine, outbox: Outbox, deliveries: DeliveryQueue, verifications: PendingVerifications,
         batchesAndPayByLink parts: BatchAndPayByLinkAssembly, merchants: MerchantDirectory, tokens: TokenVault,
         challenges: ThreeDSecureChallenges = ThreeDSecureChallenges(), valu: ValuJourneys = ValuJourneys(),
         changes: (any StateChangeRecorder)? = nil) {
        self.challenges = challenges
        self.valu = valu
        self.merchants = merchants
        subscriptionKeys = parts.subscriptionKeys
        self.tokens = tokens
        self.changes = changes
        self.engine = engine
        self.outbox = outbox
        self.deliveries = deliveries
        self.verifications = verifications
        payByLink = parts.store
        batches = parts.batches
        uploadKey = parts.uploadKey
        apsBatchIDs = parts.apsBatchIDs
    }

    /// Top-level keys, in the order they are written.
    package static let stateKeys = ["state_version", "clock", "ids", "links", "orders", "tokens", "outbox", "notifications", "paybylink", "batches", "merchants"]

    /// The merchants' part: what was changed at run time.
    private func exportMerchants() -> JSONValue {
        MerchantStateJSON.encode(merchants: merchants.runtimeMerchants(), subscriptionKeys: subscriptionKeys.addedKeys(),
                                 clocks: engine.clocks.snapshot())
    }

    /// The whole state, with links and orders in creation order. Each part is read atomically;
    /// export while no requests are in flight for a snapshot that is consistent across parts.
    ///
    /// Batches are read first, then PayByLink requests, then the engine: background work
    /// creates a link before the request that holds it and a request before the batch counts
    /// it, so every link a request names and every request a batch counts is in the snapshot
    /// even while a batch is processing (the snapshot may then hold a few links and requests
    /// more than the batch has counted yet).
    package func export() -> JSONObject {
        let batchParts = batches.snapshot()
        let requests = payByLink.snapshot()
        let reading = clock.reading()
        let engine = engine.snapshot()
        return [
            "state_version": .number(Self.version),
            "clock": ClockStateJSON.encode(reading),
            "ids": IDStateJSON.encode(engine.ids),
            "links": .array(engine.links.map(LinkStateJSON.encode)),
            "orders": .array(engine.orders.map(OrderStateJSON.encode)),
            "tokens": TokenStateJSON.encode(tokens.all()),
            "outbox": OutboxStateJSON.encode(outbox.snapshot()),
            "notifications": DeliveryStateJSON.encode(deliveries.snapshot()),
            "paybylink": PayByLinkStateJSON.encode(requests),
            "batches": BatchStateJSON.encode(uploadKey: uploadKey.key, apsBatchIDs: apsBatchIDs.snapshot, engine: batchParts),
            "merchants": exportMerchants(),
        ]
    }

    /// Replaces the whole state with a snapshot from `exportState`. Everything is read and
    /// checked before anything changes, so a bad snapshot throws and leaves the sandbox as it
    /// was; the error names the field (`links[3].amount: expected an integer`).
    ///
    /// `recording: false` is for the state directory's own recovery, which the log already holds.
    package func restore(_ object: JSONObject, recording: Bool = true) throws(StateImportError) {
        try restore(try decodeParts(object, values: nil), recording: recording)
    }

    /// `restore` for the state directory: the links, orders and PayByLink requests already
    /// read (from its binary files), the rest of the document as `exportWithoutLists` wrote it.
    /// The links are in a store already, which is finished here with the orders.
    func restore(_ object: JSONObject, values: consuming StateValuesLists) throws(StateImportError) {
        let state = try decodeParts(object, values: values)
        let links = values.links
        values = StateValuesLists()
        let prepared: PreparedEngineState
        do { prepared = try links.finish(ids: state.engine.ids, orders: state.engine.orders) } catch { throw error }
        try validate(state, engine: prepared)
        try apply(state, engineStore: prepared, recording: false)
    }

    /// Checks `state` once and replaces everything with it. The engine's snapshot is checked
    /// while its store (every index) is built from it, in one pass: the store's own tables find
    /// duplicate IDs, tokens and references. A bad snapshot throws before anything changes.
    private func restore(_ state: DecodedState, recording: Bool) throws(StateImportError) {
        let prepared: PreparedEngineState
        do { prepared = try state.engine.prepared() } catch { throw error }
        try validate(state, engine: prepared)
        try apply(state, engineStore: prepared, recording: recording)
    }

    /// Everything `export` holds but the links, orders and PayByLink requests, which the state
    /// directory writes in binary: links and orders a page at a time
    /// (`LinkEngine.links(matching:after:limit:)`, `orders(after:hint:limit:)`) rather than
    /// copying them all at once.
    func exportWithoutLists() -> JSONObject {
        let batchParts = batches.snapshot()
        let ids = payByLink.snapshot().ids
        let reading = clock.reading()
        return [
            "state_version": .number(Self.version),
            "clock": ClockStateJSON.encode(reading),
            "ids": IDStateJSON.encode(engine.idSnapshot()),
            "tokens": TokenStateJSON.encode(tokens.all()),
            "outbox": OutboxStateJSON.encode(outbox.snapshot()),
            "notifications": DeliveryStateJSON.encode(deliveries.snapshot()),
            "paybylink": ["ids": IDStateJSON.encode(ids)],
            "batches": BatchStateJSON.encode(uploadKey: uploadKey.key, apsBatchIDs: apsBatchIDs.snapshot, engine: batchParts),
            "merchants": exportMerchants(),
        ]
    }

    private func apply(_ state: DecodedState, engineStore: PreparedEngineState, recording: Bool) throws(StateImportError) {
        defer { if recording { changes?.record(.everything) } }
        // Validated above, so none of these can fail. The clock goes first: the background
        // resolver then never settles a restored uncertain payment against the old time.
        clock.restore(state.clock)
        engine.clocks.restore(state.merchants.clocks)
        merchants.restore(runtime: state.merchants.merchants)
        subscriptionKeys.restore(added: state.merchants.subscriptionKeys)
        tokens.restore(state.tokens)
        // The engine's restore tells its observers to forget PayByLink requests and batches;
        // theirs follow it.
        // Checked by `restore`, once.
        engine.install(engineStore)
        outbox.restore(state.outbox)
        deliveries.restore(state.deliveries)
        verifications.reset()
        challenges.reset()
        valu.reset()
        payByLink.restore(state.payByLink)
        do { try batches.restore(state.batches.engine) } catch { throw error }
        uploadKey.restore(key: state.batches.uploadKey)
        apsBatchIDs.restore(state.batches.apsBatchIDs)
    }

    /// A decoded and validated snapshot, not yet applied.
    package struct DecodedState {
        package var clock: SandboxClock.Reading
        package var engine: EngineSnapshot
        package var outbox: Outbox.Snapshot
        package var deliveries: DeliveryQueue.Snapshot
        package var payByLink: PayByLinkStore.Snapshot
        package var batches: BatchStateJSON.Decoded
        var merchants: MerchantStateJSON.Decoded
        var tokens: [CardToken]
    }

    package func decode(_ object: JSONObject) throws(StateImportError) -> DecodedState {
        let state = try decodeParts(object, values: nil)
        let prepared: PreparedEngineState
        do { prepared = try state.engine.prepared() } catch { throw error }
        try validate(state, engine: prepared)
        return state
    }

    /// Reads every part, not yet checking them as a whole. `values`, when given, stand in for
    /// the document's links, orders and PayByLink requests (which it must then not have); the
    /// engine's snapshot then has no links (they are in `values.links`' store).
    private func decodeParts(_ object: JSONObject, values: StateValuesLists?) throws(StateImportError) -> DecodedState {
        // The version first: a newer format should say so, not fail on its first new field.
        guard let version = object["state_version"] else {
            throw StateImportError(path: "state_version", message: "is required (this sandbox reads version \(Self.version))")
        }
        guard try JSONReader.integer(version, as: Int.self, path: "state_version") == Self.version else {
            throw StateImportError(path: "state_version", message: "must be \(Self.version), the only version this sandbox reads")
        }
        let root = try JSONReader(.object(object), path: "", keys: Self.stateKeys)
        var links: [PaymentLink] = [], orders: [Order] = values?.orders ?? []
        if values == nil {
            let elements = try root.array("links")
            links.reserveCapacity(elements.count)
            for element in elements { links.append(try LinkStateJSON.decode(element.value, path: element.path)) }
            let orderElements = try root.array("orders")
            orders.reserveCapacity(orderElements.count)
            for element in orderElements { orders.append(try OrderStateJSON.decode(element.value, path: element.path)) }
        }
        let state = DecodedState(
            clock: try ClockStateJSON.decode(try root.value("clock"), path: "clock"),
            engine: EngineSnapshot(ids: try IDStateJSON.decode(try root.value("ids"), path: "ids"), links: links, orders: orders),
            outbox: try OutboxStateJSON.decode(try root.value("outbox"), path: "outbox"),
            deliveries: try DeliveryStateJSON.decode(try root.value("notifications"), path: "notifications"),
            // Absent in a snapshot written before they were added: none of either.
            payByLink: try root.optionalValue("paybylink").map { v throws(StateImportError) in
                guard let values else { return try PayByLinkStateJSON.decode(v, path: "paybylink") }
                let r = try JSONReader(v, path: "paybylink", keys: ["ids"])
                return PayByLinkStore.Snapshot(ids: try IDStateJSON.decode(try r.value("ids"), path: r.path("ids")), requests: values.requests)
            }
                ?? PayByLinkStore.Snapshot(ids: payByLink.snapshot().ids, requests: []),
            batches: try root.optionalValue("batches").map { v throws(StateImportError) in try BatchStateJSON.decode(v, path: "batches") }
                ?? BatchStateJSON.Decoded(uploadKey: uploadKey.key, apsBatchIDs: apsBatchIDs.snapshot, engine: BatchEngine.Snapshot(batches: [], files: [:])),
            // Absent in a snapshot written before it was added: nothing changed at run time.
            merchants: try root.optionalValue("merchants").map { v throws(StateImportError) in try MerchantStateJSON.decode(v, path: "merchants") }
                ?? MerchantStateJSON.Decoded(),
            // Absent in a snapshot written before saved cards existed: none.
            tokens: try root.optionalValue("tokens").map { v throws(StateImportError) in try TokenStateJSON.decodeList(v, path: "tokens") } ?? [])
        return state
    }

    /// Checks the parts other than the engine's, which `engine` was built from (and checked by).
    private func validate(_ state: DecodedState, engine: PreparedEngineState) throws(StateImportError) {
        do {
            try state.outbox.validate(capacity: outbox.capacity)
            try state.deliveries.validate(capacity: deliveries.capacity)
            try state.payByLink.validate(links: Self.links(in: engine, namedBy: state.payByLink))
            try state.batches.engine.validate(path: "batches.batches")
        } catch {
            throw error
        }
        // A merchant's own clock needs the merchant: configured, or made in the snapshot.
        let made = Set(state.merchants.merchants.map(\.identifier))
        for (i, clock) in state.merchants.clocks.enumerated()
        where !made.contains(clock.merchantIdentifier) && !merchants.isConfigured(clock.merchantIdentifier) {
            throw StateImportError(path: "merchants.clocks[\(i)].merchant_identifier",
                                   message: "\(clock.merchantIdentifier) is neither configured nor among merchants.merchants")
        }
    }

    /// The links PayByLink requests name, by id: what their check reads, without a map of
    /// every link (a million, when few or none are PayByLink's).
    private static func links(in engine: PreparedEngineState, namedBy requests: PayByLinkStore.Snapshot) -> [String: PaymentLink] {
        var found: [String: PaymentLink] = [:]
        for id in requests.requests.lazy.flatMap(\.linkIDs) where found[id] == nil {
            if let link = engine.link(id: id) { found[id] = link }
        }
        return found
    }
}
