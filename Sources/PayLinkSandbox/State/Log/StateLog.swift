import Dispatch
import PayLinkSupport
import PayLinkCore
import PayLinkJSON
import Synchronization

/// `--state-dir`'s change log while the sandbox serves. Its own thread takes every change told
/// since the last round (`ChangeBuffer`) and appends them as one frame; with `--durability fsync`
/// the frame is flushed (`LogFlusher`): by the writer itself when no flush runs, else on a
/// flush thread while the writer goes on to the next round, and each flush releases the answers
/// that waited for what it covers (`DurableSequence`): group commit. Idle, every thread waits on
/// a semaphore and costs nothing.
///
/// When the log since the last snapshot outgrows `compactAfterBytes` (or the last snapshot's
/// size, whichever is larger), the writer starts a new segment and a background queue writes a
/// snapshot covering everything before it (streamed, `SnapshotFile`), then deletes the older
/// files; requests are not stopped meanwhile (owners are read one at a time, links and orders
/// a page at a time, and the log after the snapshot repeats anything the snapshot already has,
/// harmlessly: every entry sets a value). A reset or a
/// state import (`StateChange.everything`) is written the same way, with its answer held
/// until the snapshot is on disk.
final class StateLog: Sendable {
    let files: StateFiles
    let buffer: ChangeBuffer
    let durable: DurableSequence
    let flushes: Bool
    /// With `--durability fsync`: flushes what the writer appended, off the writer's thread.
    private let flusher: LogFlusher?
    private let source: SnapshotSource
    private let report: @Sendable (String) -> Void
    private let realTime: any RealTimeSource
    private let compactAfterBytes: Int

    private struct WriterState {
        var segment: LogSegment?
        var bytesSinceSnapshot = 0
        var lastSnapshotBytes = 0
        var lastError: String?
    }
    // Touched only by the writer thread; a lock for the compiler's sake.
    private let writer: Mutex<WriterState>
    private let compaction = DispatchQueue(label: "paylink-sandbox.state-compaction")
    private let compacting = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    /// How many flushes (`fdatasync`) and snapshots the log has made: for tests and benchmarks.
    let flushCount = Atomic<Int>(0)
    let snapshotCount = Atomic<Int>(0)

    /// How many flushes may run at once: two, so a round's flush can start while the last one's
    /// still runs (three measured no better, and cost more thread switches).
    static let flushLanes = 2
    /// How many records must wait before a flush starts beside a running one (`LogFlusher`):
    /// half of a 64-connection load's answers, so a second flush serves a big group or none.
    static let overlapAfter: UInt64 = 32

    init(files: StateFiles, buffer: ChangeBuffer, durable: DurableSequence, flushes: Bool, realTime: any RealTimeSource,
         compactAfterBytes: Int, lastSnapshotBytes: Int, source: SnapshotSource,
         report: @escaping @Sendable (String) -> Void) {
        self.files = files
        self.buffer = buffer
        self.durable = durable
        self.flushes = flushes
        let gate = FlushGate()
        flushGate = gate
        flusher = flushes ? LogFlusher(lanes: Self.flushLanes, overlapAfter: Self.overlapAfter, sync: { fd in
            gate.pass()
            return LogFlusher.systemSync(fd)
        }) : nil
        self.realTime = realTime
        self.compactAfterBytes = compactAfterBytes
        self.source = source
        self.report = report
        writer = Mutex(WriterState(lastSnapshotBytes: lastSnapshotBytes))
    }

    /// Opens the segment that starts after `sequence` and starts the writer thread.
    func start(after sequence: UInt64) throws(StateDirectoryError) {
        let segment = try LogSegment(files: files, first: sequence + 1)
        writer.withLock { $0.segment = segment }
        flusher?.start(path: files.file(segment.name), after: sequence, flushed: { [durable] sequence in
            self.flushCount.add(1, ordering: .relaxed)
            durable.advance(to: sequence)
        }, failed: { sequence, reason in self.failed(reason, upTo: sequence) })
        DedicatedThread.start { self.run() }
    }

    /// Writes what is left, then stops; returns once the last frame is on disk. A snapshot being
    /// written is abandoned (its temporary is removed at the next start).
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        buffer.close()
        finished.wait()
        writer.withLock { state in
            state.segment?.close()
            state.segment = nil
        }
    }

    /// Writes a snapshot of the current state now (the first start of a directory, a migrated
    /// `state.json`), covering every change up to `sequence`.
    func writeSnapshot(covering sequence: UInt64) throws(StateDirectoryError) {
        guard let length = try writeSnapshotFile(covering: sequence, evenWhenStopping: true) else {
            throw StateDirectoryError(path: files.file(StateFiles.snapshotName(sequence)), "the state changed while its snapshot was written")
        }
        snapshotCount.add(1, ordering: .relaxed)
        writer.withLock { $0.lastSnapshotBytes = length; $0.bytesSinceSnapshot = 0 }
    }

    /// Taken around each round's write: a test holds it to see answers wait for the flush.
    let writeGate = DispatchSemaphore(value: 1)
    /// Passed before each flush: a test closes it to hold flushes while the rest goes on.
    let flushGate: FlushGate

    /// Returns once the snapshot being written in the background, if any, is done.
    func waitForCompaction() { compaction.sync {} }

    private func run() {
        var logged = LogEntry.BatchRecordsLogged()
        while let round = buffer.take() {
            writeGate.wait()
            defer { writeGate.signal() }
            if round.rebases {
                rebase(covering: round.lastSequence)
            } else {
                append(round, logged: &logged)
            }
        }
        flusher?.waitUntilFlushed()
        flusher?.stop()
        finished.signal()
    }

    private func append(_ round: consuming ChangeRound, logged: inout LogEntry.BatchRecordsLogged) {
        let last = round.lastSequence
        let payload = round.finishPayload(logged: &logged)
        var frame: [UInt8] = []
        frame.reserveCapacity(payload.count + LogFrame.headerSize)
        LogFrame.append(payload, to: &frame)
        let outcome = writer.withLock { state -> (compactNow: Bool, error: String?) in
            guard state.segment != nil else { return (false, "the log is closed") }
            do throws(StateDirectoryError) {
                try state.segment!.append(frame)
            } catch {
                return (false, error.description)
            }
            state.lastError = nil
            state.bytesSinceSnapshot += frame.count
            return (state.bytesSinceSnapshot >= max(compactAfterBytes, state.lastSnapshotBytes), nil)
        }
        if let error = outcome.error {
            failed(error, upTo: last)
            return
        }
        if let flusher {
            // The changes told since this round was taken: the writer's next round.
            let waiting = buffer.lastSequence - min(last, buffer.lastSequence)
            flusher.written(upTo: last, waiting: waiting)
        } else {
            durable.advance(to: last)
        }
        if outcome.compactNow && !compacting.load(ordering: .acquiring) { startCompaction(covering: last) }
    }

    /// A new segment from `sequence + 1` on, and a snapshot covering everything before, in the
    /// background.
    private func startCompaction(covering sequence: UInt64) {
        guard rotate(after: sequence) else { return }
        compacting.store(true, ordering: .releasing)
        compaction.async {
            defer { self.compacting.store(false, ordering: .releasing) }
            self.snapshotAndPrune(covering: sequence)
        }
    }

    /// A reset or an import: the whole state again, answered once it is on disk.
    private func rebase(covering sequence: UInt64) {
        guard rotate(after: sequence) else {
            failed("cannot start a new log segment", upTo: sequence)
            return
        }
        // After any compaction in progress, so the newest snapshot is this one.
        let written = compaction.sync { snapshotAndPrune(covering: sequence, evenWhenStopping: true) }
        if written { durable.advance(to: sequence) } else { failed("the snapshot could not be written", upTo: sequence) }
    }

    private func rotate(after sequence: UInt64) -> Bool {
        do {
            let next = try LogSegment(files: files, first: sequence + 1)
            // Everything in the old segment is flushed before the writer leaves it.
            flusher?.waitUntilFlushed()
            writer.withLock { state in
                state.segment?.close()
                state.segment = next
                state.bytesSinceSnapshot = 0
            }
            flusher?.switchSegment(to: files.file(next.name))
            return true
        } catch {
            failed(error.description, upTo: 0)
            return false
        }
    }

    /// Writes the snapshot, then removes what it replaces: older snapshots and every segment
    /// that ends at or before `sequence`. True when written. A compaction gives up once the
    /// sandbox is stopping (the log alone keeps everything); a reset or an import, whose
    /// answer waits for it, is written even then.
    @discardableResult
    private func snapshotAndPrune(covering sequence: UInt64, evenWhenStopping: Bool = false) -> Bool {
        guard evenWhenStopping || !stopped.load(ordering: .acquiring) else { return false }
        var written: Int?
        // A merchant reset while the pages are read makes the snapshot start over (a reset
        // or an import must get one; a compaction tries again at its next turn).
        for _ in 0..<(evenWhenStopping ? 3 : 1) where written == nil {
            do { written = try writeSnapshotFile(covering: sequence, evenWhenStopping: evenWhenStopping) } catch {
                report("state snapshot not written: \(error)")
                return false
            }
        }
        guard let length = written else { return false }
        snapshotCount.add(1, ordering: .relaxed)
        writer.withLock { $0.lastSnapshotBytes = length }
        let name = StateFiles.snapshotName(sequence)
        if let listing = try? files.list() {
            for snapshot in listing.snapshots where snapshot.sequence < sequence || (snapshot.sequence == sequence && snapshot.name != name) {
                files.remove(snapshot.name)
            }
            for segment in listing.segments where segment.first <= sequence { files.remove(segment.name) }
            files.syncDirectory()
        }
        return true
    }

    /// Streams the snapshot into place (`SnapshotFile`); its length, or nil when it gave up
    /// (stopping, or a merchant reset moved the pages).
    private func writeSnapshotFile(covering sequence: UInt64, evenWhenStopping: Bool) throws(StateDirectoryError) -> Int? {
        var output = try files.create(StateFiles.snapshotName(sequence))
        let complete: Bool
        do {
            complete = try SnapshotFile.write(sequence: sequence, savedAt: realTime.now(), source: source, to: &output,
                                              shouldStop: { !evenWhenStopping && stopped.load(ordering: .acquiring) })
        } catch {
            output.abandon()
            throw error
        }
        guard complete else {
            output.abandon()
            return nil
        }
        try output.commit()
        return output.length
    }

    private func failed(_ error: String, upTo sequence: UInt64) {
        // Said once, not at every round while the disk stays full.
        let isNew = writer.withLock { state -> Bool in
            defer { state.lastError = error }
            // What did not reach the log is in the next snapshot: take one as soon as it works again.
            state.bytesSinceSnapshot = Int.max / 2
            return state.lastError != error
        }
        if isNew { report("state not saved: \(error)") }
        if sequence > 0 { durable.fail(upTo: sequence, reason: error) }
    }
}
