import PayLinkHTTP
import PayLinkCore
import Synchronization
import PayLinkAPS
import PayLinkPayByLink

/// The emulator without a socket: engine, clock and every HTTP surface, answering
/// `HTTPRequest`s in memory. `Sandbox` serves it over HTTP; tests and fuzzers can call it
/// directly.
package final class SandboxService: HTTPRequestHandler {
    package let configuration: SandboxConfiguration
    /// Links and their state machine; read it directly for assertions.
    package let engine: LinkEngine
    /// The e-mails and SMS the sandbox "sent" (`GET /__sandbox/outbox`).
    package let outbox: Outbox
    /// Notifications to merchants and their delivery attempts (`GET /__sandbox/deliveries`).
    package let deliveries: DeliveryQueue
    /// Faults armed by scenarios or `POST /__sandbox/faults`.
    package let faults: FaultRegistry
    private let requestFaults: RequestFaults
    /// The last requests and responses (`GET /__sandbox/journal`), a bounded ring.
    package let journal: Journal
    /// Deliveries, settlements, batch files and expiry sweeps; `Sandbox` starts its ticker.
    package let background: BackgroundWork
    package let urls: LinkURLs
    /// The customer's side of payments (hosted page and control API).
    package let checkout: Checkout
    /// Batch files of both dialects, validated and processed in the background.
    package let batches: BatchEngine
    /// PayByLink requests for payment (each backed by core links in `engine`).
    package let payByLink: PayByLinkStore
    /// The parts a state snapshot covers (`GET|PUT /__sandbox/state`).
    package let state: SandboxState
    private let router: SandboxRouter
    /// Answers the routes marked `offLoop`, away from the event loop.
    package let slowWork = SlowWork()
    private let resetter: SandboxReset
    /// With `--state-dir`: where every owner of state tells its changes, for the log.
    let changes: ChangeBuffer?
    /// With `--state-dir`: how far the log is on disk; an answer that changed the state waits for it.
    let durable: DurableSequence?

    package init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        let changes = configuration.stateDirectory == nil ? nil : ChangeBuffer()
        self.changes = changes
        durable = changes == nil ? nil : DurableSequence(durable: 0)
        let clock = SandboxClock(start: configuration.clock.start, mode: configuration.clock.mode, recorder: changes)
        engine = LinkEngine(clock: clock, seed: configuration.seed, recorder: changes)
        outbox = Outbox(clocks: engine.clocks, recorder: changes)
        journal = Journal(capacity: configuration.journalCapacity)
        let faults = FaultRegistry()
        self.faults = faults
        deliveries = DeliveryQueue(clocks: engine.clocks, retries: configuration.notificationRetries,
                                   retryIntervalSeconds: configuration.notificationRetryIntervalSeconds, recorder: changes)
        let batchQueue = BatchQueue()
        let background = BackgroundWork(configuration.backgroundWork, batches: batchQueue)
        self.background = background
        let notifier = FeedbackNotifier(queue: deliveries, wake: { [weak background] in background?.kick() })
        urls = LinkURLs(base: configuration.publicURL ?? "http://\(configuration.server.host):\(configuration.server.port)")
        let context = APSContext(merchants: MerchantDirectory(configuration.merchants, recorder: changes), engine: engine, links: urls,
                                 emptyValues: configuration.emptyValueSignatures, paymentOptionRules: configuration.paymentOptionRules,
                                 installments: configuration.installments, tokens: TokenVault(recorder: changes))
        let effects = APSEffects(merchants: context.merchants, notifier: notifier, outbox: outbox, urls: urls)
        engine.events.subscribe(to: APSEffects.followedEvents) { effects.handle($0) }
        let checkout = Checkout(context: context, verifications: PendingVerifications())
        self.checkout = checkout
        let assembly = BatchAndPayByLinkAssembly(configuration: configuration, context: context, outbox: outbox, deliveries: deliveries,
                                                 batchQueue: batchQueue, wake: { [weak background] in background?.kick() }, changes: changes)
        (batches, payByLink) = (assembly.batches, assembly.store)
        // Settlements first: they queue notifications that the deliveries then post in the same round.
        background.register(UncertainPaymentSettlement(checkout: checkout))
        background.register(BNPLSessionExpiry(checkout: BNPLCheckout(context: context, checkout: checkout)))
        background.register(ExpirySweep(engine: engine))
        background.register(DeliveryService(queue: deliveries, faults: faults, rewrite: configuration.notificationRewrite))
        let state = SandboxState(engine: engine, outbox: outbox, deliveries: deliveries, verifications: checkout.verifications,
                                 batchesAndPayByLink: assembly, merchants: context.merchants, tokens: context.tokens,
                                 challenges: context.challenges, valu: context.valu, changes: changes)
        self.state = state
        let reset = SandboxReset(engine: engine, outbox: outbox, deliveries: deliveries, verifications: checkout.verifications, journal: journal,
                                 faults: faults, payByLink: assembly.store, batches: assembly.batches, merchants: context.merchants,
                                 subscriptionKeys: assembly.subscriptionKeys, tokens: context.tokens, challenges: context.challenges,
                                 valu: context.valu, changes: changes)
        resetter = reset
        let aps = APSEndpoint(context: context)
        requestFaults = RequestFaults(registry: faults, aps: aps, engine: engine)
        router = SandboxRouter(aps: aps,
                               control: ControlAPI(engine: engine, merchants: context.merchants, outbox: outbox, deliveries: deliveries, urls: urls, journal: journal, checkout: checkout, faults: faults, version: Sandbox.version, state: state,
                                                   background: background, reset: reset, subscriptionKeys: assembly.subscriptionKeys),
                               hostedPage: HostedPage(context: context, checkout: checkout),
                               paymentPage: PaymentPageEndpoint(context: context, checkout: HostedCheckout(context: context, checkout: checkout),
                                                                tokenization: MerchantPageTokenization(context: context)),
                               apsBatches: assembly.apsBatches, payByLink: assembly.payByLink,
                               dashboard: Dashboard(engine: engine, merchants: context.merchants, urls: urls, backOffice: APSBackOffice(context: context),
                                                   console: DeveloperConsole(outbox: outbox, deliveries: deliveries, journal: journal, payByLink: assembly.store,
                                                                             batches: assembly.batches, emptyValues: configuration.emptyValueSignatures,
                                                                             subscriptions: { [keys = assembly.subscriptionKeys] in keys.all },
                                                                             wake: { [weak background] in background?.kick() })))
    }

    /// The sandbox clock (`engine.clock`).
    package var clock: SandboxClock { engine.clock }

    /// The base of `payment_link` URLs.
    package var publicURL: String { urls.baseURL }

    /// Answers one request; everything but the control API is journaled. A route marked
    /// `offLoop` is answered later, from the slow-work queue, faults and journal included.
    ///
    /// With `--state-dir`, an answer to a request that changed the state is held until the log
    /// holds the change (`DurableSequence`); one that changed nothing goes at once.
    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        let surface = Surface.of(request.path, payByLinkBasePath: configuration.payByLink.basePath)
        guard router.runsOffLoop(request, surface: surface) else {
            guard let changes, let durable else { return process(request, surface: surface) }
            let before = changes.lastSequence
            let response = process(request, surface: surface)
            let after = changes.lastSequence
            return after == before ? response : durable.answer(response, after: after)
        }
        return slowWork.answer { self.processDurably(request, surface: surface) }
    }

    /// With `--state-dir`, the changes of one loop wake's requests wake the log writer once.
    package func loopBatchWillStart() { changes?.beginDeferring() }
    package func loopBatchDidEnd() { changes?.endDeferring() }
    package var loopBatchOwesWork: Bool { changes?.owesWake ?? false }

    /// Answers on the calling thread, slow routes included: for callers that are not an event
    /// loop (in-memory tests, fuzzers).
    package func handleInline(_ request: HTTPRequest) -> HTTPResponse {
        processDurably(request, surface: Surface.of(request.path, payByLinkBasePath: configuration.payByLink.basePath))
    }

    /// `process`, then waiting on this thread until its changes are in the log.
    private func processDurably(_ request: HTTPRequest, surface: Surface) -> HTTPResponse {
        guard let changes, let durable else { return process(request, surface: surface) }
        let before = changes.lastSequence
        let response = process(request, surface: surface)
        let after = changes.lastSequence
        if after != before { durable.wait(for: after) }
        return response
    }

    private func process(_ request: HTTPRequest, surface: Surface) -> HTTPResponse {
        let started = Stopwatch()
        var logged = LoggedOutcome()
        let response = surface == .control ? control(request) : journaled(request, surface: surface, started: started, outcome: &logged)
        if let requestLog = configuration.requestLog {
            // A fault may have forced or damaged the answer: then its code is read from what was sent.
            let code = logged.faulted && surface == .aps ? APSResponseCodeScan.code(in: response.body) : logged.responseCode
            requestLog.record(method: request.method, path: request.path, surface: surface, command: logged.command, status: response.status,
                              responseCode: code, microseconds: logged.microseconds ?? started.microseconds)
        }
        return response
    }

    private func control(_ request: HTTPRequest) -> HTTPResponse {
        RefusalDetail.ensured(router.handle(request, surface: .control).response, for: request)
    }

    /// What the request log says of an answer besides its status.
    private struct LoggedOutcome {
        var command: String?
        var responseCode: String?
        var faulted = false
        /// The time the journal recorded, which the log line reuses (one clock reading less).
        var microseconds: Int64?
    }

    private func journaled(_ request: HTTPRequest, surface: Surface, started: Stopwatch, outcome: inout LoggedOutcome) -> HTTPResponse {
        let arrived = engine.clock.now()
        var response: HTTPResponse
        var failedSignature: SignatureCheck?
        var fault = requestFaults.take(for: request, surface: surface)
        // `fault != nil` before each `if let`: binding copied the optional, nil or not, through
        // `Optional`'s generic value witness (about 90 instructions a request).
        if fault != nil, let fault, RequestFaults.replacesProcessing(fault) {
            response = requestFaults.replacement(for: fault, request: request)
        } else {
            var routed = router.handle(request, surface: surface)
            // The optionals taken out, not copied: a copy of each went through `Optional`'s
            // generic value witness (about 115 instructions, where a move is a few).
            failedSignature = routed.failedSignature.take()
            outcome.command = routed.command.take()
            outcome.responseCode = routed.responseCode.take()
            response = routed.response
            if fault == nil { fault = requestFaults.take(for: request, surface: surface, answeredWith: response) }
            if fault != nil, let fault { response = requestFaults.damage(response, with: fault) }
        }
        outcome.faulted = fault != nil
        response = RefusalDetail.ensured(response, for: request)
        let microseconds = started.microseconds
        outcome.microseconds = microseconds
        journal.record(request, response, surface: surface, failedSignature: failedSignature, at: arrived,
                       durationMicroseconds: microseconds, fault: fault == nil ? nil : fault.map(RequestFaults.name))
        return response
    }

    /// Forgets what `scope` covers, in every component (as `POST /__sandbox/reset` does);
    /// returns how many links went.
    @discardableResult
    package func reset(_ scope: ResetScope = .everything) -> Int { resetter(scope) }

    /// Runs all background work due now on the sandbox clock, to the end (see `BackgroundWork.settle`).
    @discardableResult
    package func settle() -> [(service: String, handled: Int)] { background.settle() }
}
