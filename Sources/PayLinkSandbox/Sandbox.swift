import HTTPServer
import PayLinkCore

/// One running emulator: the engine, its clock and the HTTP listener.
///
/// ```swift
/// let sandbox = try await Sandbox.start(.testing())
/// // point the application under test at sandbox.baseURL …
/// await sandbox.stop()
/// ```
/// Instances share nothing, so parallel tests can each run their own.
public final class Sandbox: Sendable {
    /// The package version, printed by `--version` and `GET /__sandbox/health`.
    public static let version = "0.1.0"

    /// What answers the requests.
    public let service: SandboxService
    public var configuration: SandboxConfiguration { service.configuration }
    /// Links and their state machine; read it directly for assertions.
    public var engine: LinkEngine { service.engine }
    /// The sandbox clock (`engine.clock`).
    public var clock: SandboxClock { service.clock }
    /// `http://HOST:PORT` with the bound port.
    public let baseURL: String
    public let port: Int
    /// The base of `payment_link` URLs: `public_url` when configured, else `baseURL`.
    public var publicURL: String { service.publicURL }

    private let server: HTTPServer

    private init(service: SandboxService, server: HTTPServer, port: Int) {
        self.service = service
        self.server = server
        self.port = port
        self.baseURL = "http://\(Self.hostForURL(service.configuration.server.host)):\(port)"
    }

    /// Starts listening; returns once connections are accepted.
    public static func start(_ configuration: SandboxConfiguration) async throws -> Sandbox {
        try startBlocking(configuration)
    }

    /// The synchronous form of `start`, for the command line.
    public static func startBlocking(_ configuration: SandboxConfiguration) throws -> Sandbox {
        let service = SandboxService(configuration: configuration)
        let server = HTTPServer(configuration: configuration.server, handler: service)
        let port = try server.start()
        let checkout = service.checkout
        service.deliveryWorker.start(periodic: { checkout.resolveDueUncertainPayments() })
        service.payByLinkWorker.start()
        if configuration.publicURL == nil { service.urls.baseURL = defaultPublicURL(host: configuration.server.host, port: port) }
        return Sandbox(service: service, server: server, port: port)
    }

    /// Stops listening and closes every connection. Idempotent.
    public func stop() async { stopBlocking() }

    public func stopBlocking() {
        server.stop()
        service.deliveryWorker.stop()
        service.payByLinkWorker.stop()
    }

    /// Blocks until `stop` is called (from a signal handler, say).
    public func waitUntilStopped() { server.waitUntilStopped() }

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
