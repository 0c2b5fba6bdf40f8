/// The socket events a connection wants to hear about; the event loop maps them to `CEPOLL_*` bits.
struct ConnectionInterest: OptionSet, Equatable {
    let rawValue: UInt8

    /// Request bytes (or, while lingering, bytes to discard) may be read.
    static let read = ConnectionInterest(rawValue: 1)
    /// Output is pending and the socket should say when it takes more.
    static let write = ConnectionInterest(rawValue: 2)
    /// Not reading, but told when the peer hangs up: while an answer is held or deferred, a
    /// client that leaves frees its connection at once instead of when the answer is due.
    static let hangUp = ConnectionInterest(rawValue: 4)
}
