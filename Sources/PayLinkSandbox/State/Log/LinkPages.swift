import Dispatch
import PayLinkSupport
import PayLinkCore
import Synchronization

/// The `L` frames of a snapshot decoded into links on a thread of their own, a frame (a page
/// of up to `SnapshotFile.pageSize` links) at a time and in order, for one reader to take
/// with `next()` while it does something else with the pages before: a start decodes on one
/// core while it builds the store on the other. At most `ahead` pages wait to be taken, so
/// the links decoded but not yet taken stay a few thousand however large the snapshot.
final class LinkPages: Sendable {
    private struct Queue {
        var pages: [Result<[PaymentLink], LogReadError>] = []
        var cancelled = false
    }

    private static let ahead = 4
    private let queue = Mutex(Queue())
    /// Signalled once a page is queued.
    private let ready = DispatchSemaphore(value: 0)
    /// Signalled once a page is taken (or the reader gives up), so the decoder can go on.
    private let room = DispatchSemaphore(value: ahead)

    init(bytes: [UInt8], frames: [Range<Int>]) {
        DedicatedThread.start { [self] in decode(bytes, frames) }
    }

    /// The next frame's links; waits for them to be decoded. Call once per frame.
    func next() throws(LogReadError) -> [PaymentLink] {
        ready.wait()
        let page = queue.withLock { $0.pages.removeFirst() }
        room.signal()
        return try page.get()
    }

    /// Tells the decoder the reader takes no more pages (it stopped early, or took them all).
    func cancel() {
        queue.withLock { $0.cancelled = true }
        room.signal()
    }

    private func decode(_ bytes: [UInt8], _ frames: [Range<Int>]) {
        for range in frames {
            room.wait()
            if queue.withLock({ $0.cancelled }) { return }
            let page = bytes.withUnsafeBytes { raw in
                Result { () throws(LogReadError) -> [PaymentLink] in
                    var r = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[range]), offset: 1)
                    let count = try r.unsigned()
                    var links: [PaymentLink] = []
                    links.reserveCapacity(Int(min(count, UInt64(SnapshotFile.pageSize))))
                    for _ in 0..<count { links.append(try LinkStateBinary.decode(&r)) }
                    guard r.isAtEnd else { throw LogReadError("a snapshot frame holds more than its records") }
                    return links
                }
            }
            let failed = if case .failure = page { true } else { false }
            queue.withLock { $0.pages.append(page) }
            ready.signal()
            // The reader stops at a failure; nothing after it is wanted.
            if failed { return }
        }
    }
}
