import HTTPServer
import PayLinkCore

/// The emulator without a socket: engine, clock and every HTTP surface, answering
/// `HTTPRequest`s in memory. `Sandbox` serves it over HTTP; tests and fuzzers can call it
/// directly.
public final class SandboxService: HTTPRequestHandler {
    public let configuration: SandboxConfiguration
    /// Links and their state machine; read it directly for assertions.
    public let engine: LinkEngine
    /// The e-mails and SMS the sandbox "sent" (design §4.3 `GET /__sandbox/outbox`).
    public let outbox: Outbox
    /// Notifications to merchants and their delivery attempts (`GET /__sandbox/deliveries`).
    public let deliveries: DeliveryQueue
    /// Faults armed by scenarios or `POST /__sandbox/faults`.
    public let faults: FaultRegistry
    private let requestFaults: RequestFaults
    /// The last requests and responses (`GET /__sandbox/journal`), a bounded ring.
    public let journal: Journal
    /// Posts due notifications; `Sandbox` runs it while it serves.
    let deliveryWorker: DeliveryWorker
    let urls: LinkURLs
    /// The customer's side of payments (hosted page and control API).
    let checkout: Checkout
    /// Batch files of both dialects, validated and processed in the background.
    public let batches: BatchEngine
    /// PayByLink requests for payment (each backed by core links in `engine`).
    let payByLink: PayByLinkStore
    /// Processes batches and records PayByLink expiries; `Sandbox` runs it while it serves.
    let payByLinkWorker: PayByLinkWorker
    private let router: SandboxRouter

    public init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        let clock = SandboxClock(start: configuration.clock.start, mode: configuration.clock.mode)
        engine = LinkEngine(clock: clock, seed: configuration.seed)
        outbox = Outbox(clock: clock)
        journal = Journal(capacity: configuration.journalCapacity)
        let faults = FaultRegistry()
        self.faults = faults
        requestFaults = RequestFaults(registry: faults, merchants: MerchantDirectory(configuration.merchants),
                                      payByLinkBasePath: configuration.payByLink.basePath)
        deliveries = DeliveryQueue(clock: clock, retries: configuration.notificationRetries,
                                   retryIntervalSeconds: configuration.notificationRetryIntervalSeconds)
        let worker = DeliveryWorker(queue: deliveries, faults: faults)
        deliveryWorker = worker
        let notifier = FeedbackNotifier(queue: deliveries, wake: { worker.kick() })
        urls = LinkURLs(base: configuration.publicURL ?? "http://\(configuration.server.host):\(configuration.server.port)")
        let context = APSContext(merchants: MerchantDirectory(configuration.merchants), engine: engine, outbox: outbox, notifier: notifier, links: urls,
                                 emptyValues: configuration.emptyValueSignatures, journal: journal)
        let checkout = Checkout(context: context, verifications: PendingVerifications())
        self.checkout = checkout
        let pblWorker = PayByLinkWorker()
        payByLinkWorker = pblWorker
        batches = BatchEngine(clock: clock, scheduler: pblWorker)
        let store = PayByLinkStore(engine: engine, outbox: outbox, callbacks: PayByLinkCallbacks(queue: deliveries, wake: { worker.kick() }),
                                   urls: urls, seed: configuration.seed)
        payByLink = store
        let batchEngine = batches
        engine.addObserver { event in
            store.handle(event)
            switch event {
            case .reset: batchEngine.reset()
            // "pay-by-link" is PayByLink's owner name: resetting it forgets every subscription's batches.
            case .merchantReset(let merchant) where merchant == PayByLinkStore.ownerName:
                batchEngine.reset(ownedBy: { $0.hasPrefix("paybylink:") })
            case .merchantReset(let merchant):
                batchEngine.reset(ownedBy: { $0 == "aps:" + merchant })
            default: break
            }
        }
        pblWorker.setSweep { store.sweepExpired() }
        var keyGenerator = IDGenerator(seed: configuration.seed.map { $0 ^ 0x424C_4F42_4B45_5953 })
        let signer = UploadURLSigner(key: (0..<4).flatMap { _ in withUnsafeBytes(of: keyGenerator.next()) { Array($0) } })
        let payByLinkEndpoint = PayByLinkEndpoint(
            basePath: configuration.payByLink.basePath, keys: configuration.payByLink.subscriptionKeys, store: store,
            batches: PayByLinkBatchesAPI(engine: batches, store: store, signer: signer, urls: urls),
            uploads: BlobUploadEndpoint(batches: batches, signer: signer))
        let apsBatches = APSBatchRoutes(upload: APSBatchUploadEndpoint(context: context, batches: batches, ids: APSBatchIDs(seed: configuration.seed)),
                                        batchAPI: APSBatchAPIEndpoint(context: context, batches: batches))
        router = SandboxRouter(aps: APSEndpoint(context: context),
                               control: ControlAPI(context: context, checkout: checkout, faults: faults, version: Sandbox.version),
                               hostedPage: HostedPage(context: context, checkout: checkout), apsBatches: apsBatches, payByLink: payByLinkEndpoint)
    }

    /// The sandbox clock (`engine.clock`).
    public var clock: SandboxClock { engine.clock }

    /// The base of `payment_link` URLs.
    public var publicURL: String { urls.baseURL }

    /// Answers one request; everything but the control API is journaled.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        if request.path.hasPrefix(SandboxRouter.controlPrefix) { return router.handle(request) }
        let started = ContinuousClock.now
        let arrived = engine.clock.now()
        var response: HTTPResponse
        let fault = requestFaults.take(for: request)
        if let fault, RequestFaults.replacesProcessing(fault) {
            response = requestFaults.replacement(for: fault, request: request)
        } else {
            response = router.handle(request)
            if let fault { response = requestFaults.damage(response, with: fault) }
        }
        let elapsed = ContinuousClock.now - started
        journal.record(request, response, at: arrived, durationMicroseconds: elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000,
                       fault: fault.map(RequestFaults.name))
        return response
    }
}
