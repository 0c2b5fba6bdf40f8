/// What the event loop must do after a `ConnectionState` transition. The state machine decides;
/// the loop performs the system calls, so every decision can be tested without a socket.
enum ConnectionAction: Equatable {
    /// Nothing to do now.
    case none
    /// The bytes just read belong to requests: feed them to the parser and answer what is complete.
    case answerRequests
    /// Append these bytes (the released part of a held response) to the output and send them;
    /// then answer requests buffered meanwhile, if the connection reads requests again.
    case send(ArraySlice<UInt8>)
    /// Answer with this error, the connection's last response (the state is already closing),
    /// then send it.
    case answer(status: Int, message: String)
    /// Keep sending the pending output; the connection finishes once it is out.
    case flush
    /// Everything is sent and nothing more will be read: shut down our sending side, drop
    /// buffered request bytes and keep reading (to discard) until the peer closes or the linger
    /// deadline. Closing at once with unread bytes would make the kernel reset the connection,
    /// and the client could lose the answer it has not read yet.
    case shutdownWritingAndLinger
    /// Close the socket.
    case close
}
