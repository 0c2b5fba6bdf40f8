import PayLinkCore
import PayLinkJSON

/// `GET|PUT /__sandbox/state` (design §4.3): the sandbox's whole state as one JSON document,
/// and back. Holds the parts, so the control API can build one from its context. A round trip is lossless: importing an export into a fresh sandbox with the same
/// configuration and exporting again gives the same bytes, and the next identifiers, expiries,
/// resolutions of uncertain payments and notification retries are the ones the first sandbox
/// would have produced.
///
/// ```json
/// {"state_version": 1, "clock": {…}, "ids": {…}, "links": […], "orders": […],
///  "outbox": {…}, "notifications": {…}}
/// ```
///
/// Not included: configuration (merchants, capacities, retry policy: the importing sandbox
/// keeps its own), notifications in flight (a pending one is simply attempted when due) and
/// payments awaiting a 3-D Secure code or wallet OTP (they hold the full card number, which
/// no snapshot may carry; an import drops them and the customer starts again).
struct SandboxState: Sendable {
    /// The snapshot format this sandbox writes and reads.
    static let version = 1

    let engine: LinkEngine
    let outbox: Outbox
    let deliveries: DeliveryQueue
    /// Dropped on import: they hold full card numbers, so no snapshot carries them.
    let verifications: PendingVerifications

    var clock: SandboxClock { engine.clock }

    init(engine: LinkEngine, outbox: Outbox, deliveries: DeliveryQueue, verifications: PendingVerifications) {
        self.engine = engine
        self.outbox = outbox
        self.deliveries = deliveries
        self.verifications = verifications
    }

    /// The same parts as the control API sees them.
    init(context: APSContext, checkout: Checkout) {
        self.init(engine: context.engine, outbox: context.outbox, deliveries: context.notifier.queue, verifications: checkout.verifications)
    }

    /// Top-level keys, in the order they are written.
    static let stateKeys = ["state_version", "clock", "ids", "links", "orders", "outbox", "notifications"]

    /// The whole state, with links and orders in creation order. Each part is read atomically;
    /// export while no requests are in flight for a snapshot that is consistent across parts.
    func export() -> JSONObject {
        let reading = clock.reading()
        let engine = engine.snapshot()
        return [
            "state_version": .number(Self.version),
            "clock": ClockStateJSON.encode(reading),
            "ids": IDStateJSON.encode(engine.ids),
            "links": .array(engine.links.map(LinkStateJSON.encode)),
            "orders": .array(engine.orders.map(OrderStateJSON.encode)),
            "outbox": OutboxStateJSON.encode(outbox.snapshot()),
            "notifications": DeliveryStateJSON.encode(deliveries.snapshot()),
        ]
    }

    /// Replaces the whole state with a snapshot from `exportState`. Everything is read and
    /// checked before anything changes, so a bad snapshot throws and leaves the sandbox as it
    /// was; the error names the field (`links[3].amount: must be an integer`).
    func restore(_ object: JSONObject) throws(StateImportError) {
        let state = try decode(object)
        // Validated above, so none of these can fail. The clock goes first: the background
        // resolver then never settles a restored uncertain payment against the old time.
        clock.restore(state.clock)
        do { try engine.restore(state.engine) } catch { throw StateImportError(error) }
        outbox.restore(state.outbox)
        deliveries.restore(state.deliveries)
        verifications.reset()
    }

    /// A decoded and validated snapshot, not yet applied.
    struct DecodedState {
        var clock: SandboxClock.Reading
        var engine: EngineSnapshot
        var outbox: Outbox.Snapshot
        var deliveries: DeliveryQueue.Snapshot
    }

    func decode(_ object: JSONObject) throws(StateImportError) -> DecodedState {
        // The version first: a newer format should say so, not fail on its first new field.
        guard let version = object["state_version"] else {
            throw StateImportError(path: "state_version", message: "is required (this sandbox reads version \(Self.version))")
        }
        guard try StateReader.integer(version, as: Int.self, path: "state_version") == Self.version else {
            throw StateImportError(path: "state_version", message: "must be \(Self.version), the only version this sandbox reads")
        }
        let root = try StateReader(.object(object), path: "", keys: Self.stateKeys)
        var links: [PaymentLink] = [], orders: [Order] = []
        for element in try root.array("links") { links.append(try LinkStateJSON.decode(element.value, path: element.path)) }
        for element in try root.array("orders") { orders.append(try OrderStateJSON.decode(element.value, path: element.path)) }
        let state = DecodedState(
            clock: try ClockStateJSON.decode(try root.value("clock"), path: "clock"),
            engine: EngineSnapshot(ids: try IDStateJSON.decode(try root.value("ids"), path: "ids"), links: links, orders: orders),
            outbox: try OutboxStateJSON.decode(try root.value("outbox"), path: "outbox"),
            deliveries: try DeliveryStateJSON.decode(try root.value("notifications"), path: "notifications"))
        do {
            try state.engine.validate()
            try state.outbox.validate(capacity: outbox.capacity)
            try state.deliveries.validate(capacity: deliveries.capacity)
        } catch {
            throw StateImportError(error)
        }
        return state
    }
}
