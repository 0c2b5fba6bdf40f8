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

    public let configuration: SandboxConfiguration
    /// Links and their state machine; read it directly for assertions.
    public let engine: LinkEngine
    /// The sandbox clock (`engine.clock`).
    public var clock: SandboxClock { engine.clock }
    /// `http://HOST:PORT` with the bound port.
    public let baseURL: String
    public let port: Int
    /// The base of `payment_link` URLs: `public_url` when configured, else `baseURL`.
    public var publicURL: String { urls.baseURL }

    private let server: HTTPServer
    private let urls: LinkURLs

    private init(configuration: SandboxConfiguration, engine: LinkEngine, server: HTTPServer, urls: LinkURLs, port: Int) {
        self.configuration = configuration
        self.engine = engine
        self.server = server
        self.urls = urls
        self.port = port
        self.baseURL = "http://\(Self.hostForURL(configuration.server.host)):\(port)"
    }

    /// Starts listening; returns once connections are accepted.
    public static func start(_ configuration: SandboxConfiguration) async throws -> Sandbox {
        try startBlocking(configuration)
    }

    /// The synchronous form of `start`, for the command line.
    public static func startBlocking(_ configuration: SandboxConfiguration) throws -> Sandbox {
        let clock = SandboxClock(start: configuration.clock.start, mode: configuration.clock.mode)
        let engine = LinkEngine(clock: clock, seed: configuration.seed)
        let urls = LinkURLs(base: configuration.publicURL ?? "")
        let context = APSContext(merchants: MerchantDirectory(configuration.merchants), engine: engine, links: urls,
                                 emptyValues: configuration.emptyValueSignatures)
        let router = SandboxRouter(aps: APSEndpoint(context: context), control: ControlAPI(context: context, version: version))
        let server = HTTPServer(configuration: configuration.server, handler: router)
        let port = try server.start()
        let sandbox = Sandbox(configuration: configuration, engine: engine, server: server, urls: urls, port: port)
        if configuration.publicURL == nil { urls.baseURL = defaultPublicURL(host: configuration.server.host, port: port) }
        return sandbox
    }

    /// Stops listening and closes every connection. Idempotent.
    public func stop() async { stopBlocking() }

    public func stopBlocking() { server.stop() }

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
