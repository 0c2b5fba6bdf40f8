/// A response a fault holds back: released whole after a delay (`.delayed`), or a few bytes at a
/// time (`.drip`). Pure bookkeeping; the connection state decides when to ask for the next part.
struct HeldResponse: Equatable {
    let bytes: [UInt8]
    /// Bytes per release; nil releases everything at once.
    let chunk: Int?
    /// Milliseconds between two releases of a dripped response.
    let interval: Int64
    private(set) var released = 0
    /// When the next part is due (ms, on the connection's clock).
    private(set) var releaseAt: Int64

    /// The whole response at `time`.
    static func delayed(_ bytes: [UInt8], until time: Int64) -> HeldResponse {
        HeldResponse(bytes: bytes, chunk: nil, interval: 0, releaseAt: time)
    }

    /// `chunk` bytes now, then `chunk` more every `interval` milliseconds.
    static func dripped(_ bytes: [UInt8], chunk: Int, interval: Int64, from now: Int64) -> HeldResponse {
        HeldResponse(bytes: bytes, chunk: max(1, chunk), interval: max(1, interval), releaseAt: now)
    }

    var isFullyReleased: Bool { released >= bytes.count }

    /// The part due at `now` (empty when none is), scheduling the next one.
    mutating func releaseDue(now: Int64) -> ArraySlice<UInt8> {
        guard releaseAt <= now, !isFullyReleased else { return [] }
        let count = min(chunk ?? bytes.count, bytes.count - released)
        let part = bytes[released..<(released + count)]
        released += count
        releaseAt = now + interval
        return part
    }
}
