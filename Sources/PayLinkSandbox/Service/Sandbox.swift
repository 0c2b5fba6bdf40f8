import Dispatch
import PayLinkHTTP
import PayLinkCore
import PayLinkAPS
import PayLinkSupport

/// One running emulator: the engine, its clock and the HTTP listener. The whole Swift API a
/// test needs: where to point the application, the clock, what the sandbox holds (links,
/// messages, notifications), settling background work, reset and stop.
///
/// ```swift
/// let sandbox = try await Sandbox.start(.testing())
/// // point the application under test at sandbox.baseURL …
/// sandbox.settle()                       // notifications due now are delivered
/// #expect(sandbox.link(merchant: "CycHZxVj", reference: "order-1")?.state == .paid)
/// await sandbox.stop()
/// ```
/// Instances share nothing, so parallel tests can each run their own.
public final class Sandbox: Sendable {
    /// The package version, printed by `--version` and `GET /__sandbox/health`.
    public static let version = "0.1.0"

    public var configuration: SandboxConfiguration { service.configuration }
    /// `http://HOST:PORT` with the bound port.
    public let baseURL: String
    public let port: Int
    /// The base of `payment_link` URLs: `public_url` when configured, else `baseURL`.
    public var publicURL: String { service.publicURL }
    /// A warning line when `public_url` names this machine on another port than `port`
    /// (see `PublicURLCheck`); `serve` prints it.
    package var publicURLWarning: String? {
        PublicURLCheck.warning(publicURL: configuration.publicURL, boundHost: configuration.server.host, boundPort: port)
    }
    /// The sandbox clock: read it, or move it (`advance`, `set`) as `POST /__sandbox/clock` does.
    public var clock: SandboxClock { service.clock }

    /// What answers the requests (in memory, without the socket): for the package's own tests.
    package let service: SandboxService
    /// Links and their state machine.
    package var engine: LinkEngine { service.engine }

    private let server: HTTPServer
    /// Keeps the state's change log while serving, when `stateDirectory` is set.
    private let durableState: DurableState?
    /// The change log of `stateDirectory`: for tests that count its flushes and snapshots.
    var stateLog: StateLog? { durableState?.log }

    private init(service: SandboxService, server: HTTPServer, port: Int, durableState: DurableState?) {
        self.service = service
        self.server = server
        self.durableState = durableState
        self.port = port
        self.baseURL = "http://\(Self.hostForURL(service.configuration.server.host)):\(port)"
    }

    /// Starts listening; returns once connections are accepted. The start (binding, loading a
    /// state directory) runs on a thread of its own, so the calling task does not block.
    public static func start(_ configuration: SandboxConfiguration) async throws -> Sandbox {
        try await offTheCallersThread { try startBlocking(configuration) }
    }

    /// The synchronous form of `start`, for the command line.
    ///
    /// With `stateDirectory` set, the saved state is loaded before the first request is
    /// accepted (a `StateDirectoryError` naming the file and field when it cannot be), and every
    /// change is logged before its answer is sent. `report` hears of what recovery cut off or
    /// removed, and of writes that fail while serving.
    public static func startBlocking(_ configuration: SandboxConfiguration,
                                     report: @escaping @Sendable (String) -> Void = TextOutput.standard.error) throws -> Sandbox {
        let service = SandboxService(configuration: configuration)
        let durableState = try configuration.stateDirectory.map { path throws(StateDirectoryError) in
            try DurableState.open(service, directory: StateDirectory(path: path), report: report)
        }
        var serverConfiguration = configuration.server
        serverConfiguration.uploadRoutes += SandboxRouter.uploadRoutes
        let server = HTTPServer(configuration: serverConfiguration, handler: service)
        let port: Int
        do { port = try server.start() } catch {
            durableState?.stop()
            throw error
        }
        service.background.start()
        if configuration.publicURL == nil { service.urls.baseURL = defaultPublicURL(host: configuration.server.host, port: port) }
        return Sandbox(service: service, server: server, port: port, durableState: durableState)
    }

    // MARK: - what the sandbox holds

    /// A link by `payment_link_id`, as it stands now.
    public func link(id: String) -> LinkView? { service.engine.link(id: id) }

    /// A link by its merchant and `merchant_reference`.
    public func link(merchant: String, reference: String) -> LinkView? { service.engine.link(merchant: merchant, reference: reference) }

    /// Every link, in creation order.
    public func links() -> [LinkView] { service.engine.links() }

    /// The e-mails and SMS the sandbox "sent", oldest first (`GET /__sandbox/outbox`).
    public func messages(channel: OutboxMessage.Channel? = nil, paymentLinkID: String? = nil) -> [OutboxMessage] {
        service.outbox.messages(channel: channel, paymentLinkID: paymentLinkID)
    }

    /// Notifications to merchants and every attempt to deliver them (`GET /__sandbox/deliveries`).
    public func deliveries() -> [Delivery] { service.deliveries.deliveries() }

    /// Forgets what `scope` covers (`POST /__sandbox/reset`); returns how many links went.
    @discardableResult
    public func reset(_ scope: ResetScope = .everything) -> Int { service.reset(scope) }

    /// Runs every piece of background work due now on the sandbox clock, to the end: due
    /// notifications posted, uncertain payments settled, batch files processed, PayByLink
    /// expiries recorded. Returns how many items each kind handled.
    @discardableResult
    public func settle() -> [(service: String, handled: Int)] { service.settle() }

    // MARK: - stopping

    /// Stops listening, closes every connection and finishes background work (and the last
    /// write of a state directory's log) on a thread of its own. Idempotent.
    public func stop() async { await Self.offTheCallersThread { self.stopBlocking() } }

    /// `stop`, waiting on the calling thread: for the command line and signal handlers.
    public func stopBlocking() { stopBlocking(savingState: true) }

    /// `savingState: false` takes back what this run wrote to `stateDirectory`: for a start that
    /// failed half way (a scenario that could not be loaded), so the directory keeps the state it had.
    public func stopBlocking(savingState: Bool) {
        server.stop()
        if !savingState { durableState?.discard() }
        stopBackgroundWork()
    }

    /// Blocks until `stop` is called (from a signal handler, say) and has finished, the last
    /// write of the state's log included.
    public func waitUntilStopped() {
        server.waitUntilStopped()
        stopBackgroundWork()
    }

    /// Each part's `stop` is idempotent and returns only once that part has stopped, so
    /// whichever of `stopBlocking` and `waitUntilStopped` comes second waits for the first.
    private func stopBackgroundWork() {
        // A slow request in progress finishes first (an import half done is never saved); those
        // still queued are not started: their clients went with the server.
        service.slowWork.stop()
        service.background.stop()
        // Last, once nothing else can change the state.
        durableState?.stop()
    }

    /// Runs blocking work on a Dispatch thread and resumes the caller when it is done.
    private static func offTheCallersThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    private static func offTheCallersThread(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                work()
                continuation.resume()
            }
        }
    }

    /// Links must be openable in a browser: bound to every interface, they point at loopback.
    private static func defaultPublicURL(host: String, port: Int) -> String {
        switch host {
        case "0.0.0.0": "http://127.0.0.1:\(port)"
        case "::", "[::]": "http://[::1]:\(port)"
        default: "http://\(hostForURL(host)):\(port)"
        }
    }

    private static func hostForURL(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }
}
