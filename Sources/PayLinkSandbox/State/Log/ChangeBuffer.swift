import Dispatch
import PayLinkCore
import Synchronization

/// Where the owners of state tell their changes (`StateChangeRecorder`), numbered in the order
/// told, until the log writer takes them. Telling is an append under this buffer's lock (a
/// leaf: nothing else is locked while it is held), taken while the owner holds its own.
final class ChangeBuffer: StateChangeRecorder {
    struct Numbered {
        var sequence: UInt64
        var changes: [StateChange]
    }

    private struct Pending {
        var items: [Numbered] = []
        var writerWaiting = false
        var closed = false
    }

    private let pending = Mutex(Pending())
    private let wake = DispatchSemaphore(value: 0)
    /// Event loops inside a batch of requests (`deferWakes`): while one is, a change does not
    /// wake the writer itself but leaves the wake owed, and the loop pays it once at the end of
    /// its batch. One wake, one write and one flush then serve every request of the batch,
    /// where a wake per request cost a thread switch each on the loop's own core. A loop never
    /// waits for the writer, so the owed wake always comes (off-loop changes wait at most until
    /// the current batch ends).
    private let deferring = Atomic<Int>(0)
    private let wakeOwed = Atomic<Bool>(false)
    /// The last sequence handed out; read without the lock before and after a request.
    private let last: Atomic<UInt64>

    init(after sequence: UInt64 = 0) { last = Atomic(sequence) }

    var lastSequence: UInt64 { last.load(ordering: .acquiring) }

    func record(_ change: StateChange) { record([change]) }

    func record(_ changes: [StateChange]) {
        let signal = pending.withLock { pending -> Bool in
            let sequence = last.load(ordering: .relaxed) + 1
            pending.items.append(Numbered(sequence: sequence, changes: changes))
            last.store(sequence, ordering: .releasing)
            defer { pending.writerWaiting = false }
            return pending.writerWaiting
        }
        guard signal else { return }
        if deferring.load(ordering: .acquiring) > 0 {
            wakeOwed.store(true, ordering: .releasing)
            // The batch may have ended meanwhile: then pay the wake here.
            if deferring.load(ordering: .acquiring) == 0, wakeOwed.exchange(false, ordering: .acquiringAndReleasing) { wake.signal() }
        } else {
            wake.signal()
        }
    }

    /// An event loop starts a batch of requests: wakes are owed until `endDeferring`.
    func beginDeferring() { deferring.add(1, ordering: .acquiringAndReleasing) }

    /// The batch is over: the owed wake, if any, is paid.
    func endDeferring() {
        deferring.subtract(1, ordering: .acquiringAndReleasing)
        if wakeOwed.exchange(false, ordering: .acquiringAndReleasing) { wake.signal() }
    }

    /// Numbers continue after `sequence` (what recovery replayed); only before anything is told.
    func resume(after sequence: UInt64) { pending.withLock { _ in last.store(sequence, ordering: .releasing) } }

    /// Everything told so far, waiting while there is nothing; empty once closed and drained.
    func take() -> [Numbered] {
        while true {
            let taken = pending.withLock { pending -> [Numbered]? in
                if !pending.items.isEmpty {
                    defer { pending.items.removeAll(keepingCapacity: true) }
                    return pending.items
                }
                if pending.closed { return [] }
                pending.writerWaiting = true
                return nil
            }
            if let taken { return taken }
            wake.wait()
        }
    }

    /// The writer's `take` returns what is left, then empty.
    func close() {
        let signal = pending.withLock { pending -> Bool in
            pending.closed = true
            defer { pending.writerWaiting = false }
            return pending.writerWaiting
        }
        if signal { wake.signal() }
    }
}
