/// Every limit of the server in one place.
public struct HTTPServerConfiguration: Sendable, Equatable {
    /// Address to bind: an IPv4 or IPv6 literal, or a name such as "localhost".
    public var host: String
    /// Port to bind; 0 picks an ephemeral port (see `HTTPServer.start()`'s result).
    public var port: Int
    /// A longer request line is answered 414.
    public var maxRequestLineBytes: Int
    /// A header block (field lines with their line ends, without the request line and the final
    /// empty line) larger than this is answered 431.
    public var maxHeaderBytes: Int
    /// More header fields than this is answered 431.
    public var maxHeaderCount: Int
    /// A larger body (declared by Content-Length, or accumulated from chunks) is answered 413.
    public var maxBodyBytes: Int
    /// The body limit of the requests `uploadRoutes` match (batch files), instead of `maxBodyBytes`.
    public var maxUploadBytes: Int
    /// The requests that upload files; none unless the application names them.
    public var uploadRoutes: [UploadRoute]
    /// Headers not complete this long after the request's first byte: 408, then close.
    public var headerTimeout: Duration
    /// Connections with nothing to do for this long (keep-alive idle, stalled body or stalled reader) are closed.
    public var idleTimeout: Duration
    /// Connections beyond this are answered 503 and closed at once.
    public var maxConnections: Int
    /// Sent in the `Server` header; empty leaves the header out.
    public var serverName: String
    /// How the loop waits for its sockets: epoll on Linux by default, poll(2) where epoll does
    /// not exist; poll can be chosen on Linux too (the test suite runs against both). The default
    /// is `EventBackend.processDefault`.
    public var eventBackend: EventBackend

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxRequestLineBytes: Int = 8 * 1024,
        maxHeaderBytes: Int = 64 * 1024,
        maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 1024 * 1024,
        maxUploadBytes: Int = 256 * 1024 * 1024,
        uploadRoutes: [UploadRoute] = [],
        headerTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(60),
        maxConnections: Int = 10_000,
        serverName: String = "paylink-sandbox",
        eventBackend: EventBackend = .processDefault
    ) {
        self.host = host
        self.port = port
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxUploadBytes = maxUploadBytes
        self.uploadRoutes = uploadRoutes
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.serverName = serverName
        self.eventBackend = eventBackend
    }

    /// The parser limits taken from this configuration.
    public var parserLimits: HTTPParserLimits {
        HTTPParserLimits(
            maxRequestLineBytes: maxRequestLineBytes,
            maxHeaderBytes: maxHeaderBytes,
            maxHeaderCount: maxHeaderCount,
            maxBodyBytes: maxBodyBytes,
            maxUploadBytes: maxUploadBytes,
            uploadRoutes: uploadRoutes
        )
    }
}
