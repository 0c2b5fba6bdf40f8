/// One client connection: its socket, its parser and unsent output, and its `ConnectionState`,
/// which decides everything about its lifecycle. Owned by, and only touched on, the loop thread.
///
/// Its variables are `@exclusivity(unchecked)`: a class's stored property is otherwise checked
/// at run time on every access for overlapping modification (a runtime call each, dozens per
/// request), and these are only ever touched by the loop thread, one access at a time.
final class Connection {
    let fd: Int32
    /// The descriptor plus a generation, so events and deferred answers meant for an earlier
    /// connection on a reused descriptor are recognised and dropped.
    let token: UInt64
    @exclusivity(unchecked) var state: ConnectionState
    @exclusivity(unchecked) var parser: HTTPRequestParser
    /// Responses not yet sent; `outputSent` bytes of it are already on the wire.
    @exclusivity(unchecked) var output: [UInt8] = []
    @exclusivity(unchecked) var outputSent = 0
    /// The events currently registered with the poller (`CEPOLL_*` bits).
    @exclusivity(unchecked) var interest: UInt32
    /// Loop bookkeeping, not lifecycle: already in the loop's list of connections to flush when
    /// the current batch of events ends.
    @exclusivity(unchecked) var isQueuedForFlush = false
    /// The client's address as text, given to each of its requests (`HTTPRequest.peerAddress`).
    let peerAddress: String?

    init(fd: Int32, token: UInt64, limits: HTTPParserLimits, policy: ConnectionPolicy, interest: UInt32, now: Int64,
         peerAddress: String? = nil) {
        self.fd = fd
        self.peerAddress = peerAddress
        self.token = token
        self.state = ConnectionState(policy: policy, now: now)
        self.parser = HTTPRequestParser(limits: limits)
        self.interest = interest
    }

    var pendingOutput: Int { output.count - outputSent }

    /// What the parser still holds, in the terms of the state's deadlines.
    var unreadInput: ConnectionState.UnreadInput {
        if parser.isReadingHead { return .partialHead }
        return parser.hasPartialRequest ? .partialBody : .nothing
    }
}
