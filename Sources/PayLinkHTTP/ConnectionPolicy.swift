/// The deadlines and limits a connection lives by, in milliseconds. The event loop derives them
/// from `HTTPServerConfiguration` once; tests build them with small round numbers.
struct ConnectionPolicy: Sendable, Equatable {
    /// Headers not complete this long after the request's first byte: 408, then close.
    var headerTimeout: Int64
    /// Nothing moving for this long (keep-alive idle, stalled body, stalled reader): close, or 408 mid-body.
    var idleTimeout: Int64
    /// How long a finished connection keeps reading and discarding after shutting down writing.
    var lingerTimeout: Int64
    /// A lingering peer that sends more than this is cut off at once.
    var lingerDiscardLimit: Int
    /// Reading stops while more than this many bytes of answers wait to be sent.
    var outputHighWater: Int
    /// While an answer is deferred, what the client sends next is read and buffered up to this
    /// many bytes, then left in the socket until the answer is out.
    var deferredInputLimit: Int

    /// Lingering only has to outlast the client reading our last answer; two seconds is plenty,
    /// and a long idle timeout must not keep closed-down connections around for a minute.
    static let maxLingerMillis: Int64 = 2_000
    static let defaultLingerDiscardLimit = 1 << 20
    static let defaultOutputHighWater = 256 * 1024
    static let defaultDeferredInputLimit = 64 * 1024

    init(headerTimeout: Int64, idleTimeout: Int64, lingerTimeout: Int64,
         lingerDiscardLimit: Int = Self.defaultLingerDiscardLimit, outputHighWater: Int = Self.defaultOutputHighWater,
         deferredInputLimit: Int = Self.defaultDeferredInputLimit) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.lingerTimeout = lingerTimeout
        self.lingerDiscardLimit = lingerDiscardLimit
        self.outputHighWater = outputHighWater
        self.deferredInputLimit = deferredInputLimit
    }

    init(configuration: HTTPServerConfiguration) {
        let idle = max(1, milliseconds(configuration.idleTimeout))
        self.init(headerTimeout: max(1, milliseconds(configuration.headerTimeout)),
                  idleTimeout: idle,
                  lingerTimeout: min(Self.maxLingerMillis, idle))
    }
}

/// Milliseconds in a `Duration`, clamped to what the loop's arithmetic can add without overflow.
func milliseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    if seconds > Int64.max / 2000 { return Int64.max / 2 }
    if seconds < 0 { return 0 }
    return seconds * 1000 + attoseconds / 1_000_000_000_000_000
}
