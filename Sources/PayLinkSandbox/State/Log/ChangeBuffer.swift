import Dispatch
import PayLinkCore
import Synchronization

/// Where the owners of state tell their changes (`StateChangeRecorder`), numbered in the order
/// told and encoded at once into the round the log writer takes next (`ChangeRound`). Telling
/// is an append under this buffer's lock (a leaf: nothing else is locked while it is held),
/// taken while the owner holds its own.
final class ChangeBuffer: StateChangeRecorder {
    private struct Pending {
        var round = ChangeRound()
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
    /// the current batch ends). The loop takes requests that are ready at once into the same
    /// batch before paying it (`owesWake`), a few polls at most (`EventLoop.maxExtraPolls`).
    private let deferring = Atomic<Int>(0)
    private let wakeOwed = Atomic<Bool>(false)
    /// The last sequence handed out; read without the lock before and after a request.
    private let last: Atomic<UInt64>

    init(after sequence: UInt64 = 0) { last = Atomic(sequence) }

    var lastSequence: UInt64 { last.load(ordering: .acquiring) }

    func record(_ change: StateChange) {
        let signal = pending.withLock { pending -> Bool in
            let sequence = last.load(ordering: .relaxed) + 1
            pending.round.add(change, sequence: sequence)
            pending.round.lastSequence = sequence
            last.store(sequence, ordering: .releasing)
            defer { pending.writerWaiting = false }
            return pending.writerWaiting
        }
        if signal { wakeWriter() }
    }

    func record(_ changes: [StateChange]) {
        let signal = pending.withLock { pending -> Bool in
            let sequence = last.load(ordering: .relaxed) + 1
            for change in changes { pending.round.add(change, sequence: sequence) }
            // Even when `changes` is empty: the writer's round then covers the number.
            pending.round.lastSequence = sequence
            last.store(sequence, ordering: .releasing)
            defer { pending.writerWaiting = false }
            return pending.writerWaiting
        }
        if signal { wakeWriter() }
    }

    func recordNewLink(_ link: borrowing PaymentLink, ids: IDGenerator.Snapshot) {
        let signal = pending.withLock { pending -> Bool in
            let sequence = last.load(ordering: .relaxed) + 1
            pending.round.addNewLink(link, ids: ids, sequence: sequence)
            pending.round.lastSequence = sequence
            last.store(sequence, ordering: .releasing)
            defer { pending.writerWaiting = false }
            return pending.writerWaiting
        }
        if signal { wakeWriter() }
    }

    private func wakeWriter() {
        if deferring.load(ordering: .acquiring) > 0 {
            wakeOwed.store(true, ordering: .releasing)
            // The batch may have ended meanwhile: then pay the wake here.
            if deferring.load(ordering: .acquiring) == 0, wakeOwed.exchange(false, ordering: .acquiringAndReleasing) { wake.signal() }
        } else {
            wake.signal()
        }
    }

    /// Whether a wake is owed (`endDeferring` would wake the writer).
    var owesWake: Bool { wakeOwed.load(ordering: .relaxed) }

    /// An event loop starts a batch of requests: wakes are owed until `endDeferring`.
    func beginDeferring() { deferring.add(1, ordering: .acquiringAndReleasing) }

    /// The batch is over: the owed wake, if any, is paid.
    func endDeferring() {
        deferring.subtract(1, ordering: .acquiringAndReleasing)
        if wakeOwed.exchange(false, ordering: .acquiringAndReleasing) { wake.signal() }
    }

    /// Numbers continue after `sequence` (what recovery replayed); only before anything is told.
    func resume(after sequence: UInt64) { pending.withLock { _ in last.store(sequence, ordering: .releasing) } }

    /// Everything told so far, waiting while there is nothing; nil once closed and drained.
    func take() -> ChangeRound? {
        enum Taken { case round(ChangeRound), closed, nothingYet }
        while true {
            let taken = pending.withLock { pending -> Taken in
                if !pending.round.isEmpty {
                    // The next round starts with room for as much as this one held.
                    let next = ChangeRound(capacity: pending.round.entries.bytes.count)
                    return .round(exchange(&pending.round, with: next))
                }
                if pending.closed { return .closed }
                pending.writerWaiting = true
                return .nothingYet
            }
            switch taken {
            case .round(let round): return round
            case .closed: return nil
            case .nothingYet: wake.wait()
            }
        }
    }

    /// The writer's `take` returns what is left, then nil.
    func close() {
        let signal = pending.withLock { pending -> Bool in
            pending.closed = true
            defer { pending.writerWaiting = false }
            return pending.writerWaiting
        }
        if signal { wake.signal() }
    }
}
