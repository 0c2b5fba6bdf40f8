import Synchronization

/// The one batch engine of both dialects: it owns every batch's file and lifecycle under one
/// lock, and processes records on a `BatchScheduler`, so confirming a file of 100,000 records
/// answers at once while the records are worked through in the background. A small file (up
/// to `inlineValidationLimit`) is validated before `confirm` answers, a larger one in the
/// background too.
///
/// Validation reads the whole file once (header, framing, record count) and keeps nothing but
/// the count; processing reads it again record by record, so memory holds the file and the
/// failures, never every record.
package final class BatchEngine: Sendable {
    package let clock: SandboxClock
    /// Each step of every batch, as `EngineEvent.batchProgressed`.
    package let events: EventStream
    private let scheduler: any BatchScheduler
    private let state = Mutex(State())
    /// Progress is written back every `chunk` records: one lock per chunk, not per record.
    private let chunk: Int

    private struct State {
        var batches: [String: Batch] = [:]
        var files: [String: [UInt8]] = [:]
        var order: [String] = []
        var byReference: [ReferenceKey: String] = [:]
        /// Bumped by `reset`, so work already scheduled stops touching forgotten batches.
        var generation = 0
    }

    private struct ReferenceKey: Hashable {
        var owner: Owner
        var reference: String
    }

    /// Files up to this size are validated before `confirm` answers; larger ones in the background.
    package let inlineValidationLimit: Int

    /// Told every change under the lock (`--state-dir`'s log).
    private let recorder: (any StateChangeRecorder)?

    /// An APS merchant's batches follow its clock (`MerchantClocks`); PayByLink's, the sandbox clock.
    private let clocks: MerchantClocks

    package init(clock: SandboxClock, scheduler: any BatchScheduler, chunk: Int = 1_000, inlineValidationLimit: Int = 64 * 1024,
                events: EventStream = EventStream(), recorder: (any StateChangeRecorder)? = nil, clocks: MerchantClocks? = nil) {
        self.clock = clock
        self.clocks = clocks ?? MerchantClocks(global: clock)
        self.recorder = recorder
        self.events = events
        self.scheduler = scheduler
        self.chunk = max(1, chunk)
        self.inlineValidationLimit = inlineValidationLimit
    }

    /// The time for `owner`'s batches.
    private func now(for owner: Owner) -> SandboxInstant {
        guard case .apsMerchant(let merchant) = owner else { return clock.now() }
        return clocks.now(for: merchant)
    }

    /// A batch awaiting its file.
    package func create(id: String, owner: Owner, fileName: String, reference: String? = nil) throws(BatchError) -> Batch {
        let batch = Batch(id: id, owner: owner, fileName: fileName, reference: reference, createdAt: now(for: owner))
        let created = try state.withLock { (state: inout State) throws(BatchError) -> Batch in
            guard state.batches[id] == nil else { throw .duplicateID }
            if let reference {
                let key = ReferenceKey(owner: owner, reference: reference)
                guard state.byReference[key] == nil else { throw .duplicateReference }
                state.byReference[key] = id
            }
            state.batches[id] = batch
            state.order.append(id)
            recorder?.record(.batch(batch, file: .unchanged))
            return batch
        }
        events.publish(.batchProgressed(created))
        return created
    }

    package func batch(id: String, owner: Owner) -> Batch? {
        state.withLock { state in state.batches[id].flatMap { $0.owner == owner ? $0 : nil } }
    }

    /// The owner's batch with this reference (APS `batch_reference`).
    package func batch(owner: Owner, reference: String) -> Batch? {
        state.withLock { state in state.byReference[ReferenceKey(owner: owner, reference: reference)].flatMap { state.batches[$0] } }
    }

    /// A batch whoever owns it (an upload URL names the batch, not the owner).
    package func batch(id: String) -> Batch? { state.withLock { $0.batches[id] } }

    /// The owner's batches, newest first.
    package func batches(owner: Owner) -> [Batch] {
        state.withLock { state in state.order.reversed().compactMap { state.batches[$0] }.filter { $0.owner == owner } }
    }

    /// Stores (or, before confirmation, replaces) the file.
    package func upload(id: String, owner: Owner, file: [UInt8]) throws(BatchError) -> Batch {
        let now = now(for: owner)
        let uploaded = try state.withLock { (state: inout State) throws(BatchError) -> Batch in
            guard var batch = state.batches[id], batch.owner == owner else { throw .notFound }
            try batch.lifecycle.upload()
            batch.uploadedAt = now
            batch.fileByteCount = file.count
            state.batches[id] = batch
            state.files[id] = file
            recorder?.record(.batch(batch, file: .kept(file)))
            return batch
        }
        events.publish(.batchProgressed(uploaded))
        return uploaded
    }

    /// Confirms the upload and schedules validation; with `thenProcess` processing follows at
    /// once (PayByLink), without it the batch waits in Validated for `process` (APS).
    /// Confirming again changes nothing and returns the batch as it stands.
    package func confirm(id: String, owner: Owner, handler: BatchFileHandler, thenProcess: Bool) throws(BatchError) -> Batch {
        let now = now(for: owner)
        let (batch, generation, started) = try state.withLock { (state: inout State) throws(BatchError) -> (Batch, Int, Bool) in
            guard var batch = state.batches[id], batch.owner == owner else { throw .notFound }
            let started = try batch.lifecycle.confirm()
            if started { batch.confirmedAt = now }
            state.batches[id] = batch
            recorder?.record(.batch(batch, file: .unchanged))
            return (batch, state.generation, started)
        }
        guard started else { return batch }
        events.publish(.batchProgressed(batch))
        if batch.fileByteCount <= inlineValidationLimit {
            // A small file is checked before answering, so the answer (and any status read after
            // it) already says whether the file is sound; its records are still processed later.
            let process = validate(id: id, generation: generation, handler: handler, thenProcess: thenProcess)
            // Read before the records are scheduled, so the answer does not race them.
            let validated = self.batch(id: id) ?? batch
            if process { scheduler.schedule { self.runRecords(id: id, generation: generation, handler: handler) } }
            return validated
        }
        scheduler.schedule { self.validateThenRun(id: id, generation: generation, handler: handler, thenProcess: thenProcess) }
        return batch
    }

    /// Starts processing a validated batch (APS `PROCESS_BATCH`).
    package func process(id: String, owner: Owner, handler: BatchFileHandler) throws(BatchError) -> Batch {
        let (batch, generation) = try state.withLock { (state: inout State) throws(BatchError) -> (Batch, Int) in
            guard var batch = state.batches[id], batch.owner == owner else { throw .notFound }
            try batch.lifecycle.startProcessing()
            if batch.status.isFinished { batch.finishedAt = now(for: owner) }
            state.batches[id] = batch
            recorder?.record(.batch(batch, file: .unchanged))
            return (batch, state.generation)
        }
        events.publish(.batchProgressed(batch))
        if batch.status == .processing { scheduler.schedule { self.runRecords(id: id, generation: generation, handler: handler) } }
        return batch
    }

    /// Forgets the batches whose owner `matches`; their work in progress stops at its next chunk.
    package func reset(ownedBy matches: (Owner) -> Bool) {
        state.withLock { state in
            let gone = Set(state.batches.values.filter { matches($0.owner) }.map(\.id))
            guard !gone.isEmpty else { return }
            for id in gone { state.batches[id] = nil; state.files[id] = nil }
            state.order.removeAll { gone.contains($0) }
            state.byReference = state.byReference.filter { !gone.contains($0.value) }
        }
    }

    /// Forgets every batch; work in progress stops at its next chunk.
    package func reset() {
        state.withLock { state in
            state.batches.removeAll()
            state.files.removeAll()
            state.order.removeAll()
            state.byReference.removeAll()
            state.generation += 1
        }
    }

    // MARK: - state snapshot

    /// Every batch in creation order, with the files the engine still keeps, read in one step.
    package func snapshot() -> Snapshot {
        state.withLock { state in
            Snapshot(batches: state.order.compactMap { state.batches[$0] }, files: state.files)
        }
    }

    /// Replaces every batch with `snapshot`'s, in one step; it is validated first and a bad
    /// one throws and changes nothing. Work in progress on the batches replaced stops at its
    /// next chunk. A restored batch that is Validating or Processing is not picked up again:
    /// it stays as the snapshot recorded it (no handler would know how to finish it).
    package func restore(_ snapshot: Snapshot) throws(SnapshotError) {
        try snapshot.validate(path: "batches.batches")
        state.withLock { state in
            let generation = state.generation + 1
            state = State()
            state.generation = generation
            for batch in snapshot.batches {
                state.batches[batch.id] = batch
                state.order.append(batch.id)
                if let reference = batch.reference { state.byReference[ReferenceKey(owner: batch.owner, reference: reference)] = batch.id }
            }
            state.files = snapshot.files
        }
    }

    // MARK: - background work

    private func file(id: String, generation: Int) -> [UInt8]? {
        state.withLock { $0.generation == generation ? $0.files[id] : nil }
    }

    /// Applies `change` to the batch if it still exists in this generation. `change` throws
    /// before it changes anything (each lifecycle step checks, then moves). The batch is changed
    /// where it is stored, so its results and failures, which grow with every chunk, are not
    /// copied each time.
    private func update(id: String, generation: Int, _ change: (inout Batch) throws(BatchError) -> Void) -> Bool {
        let times = clocks.times()
        let updated = state.withLock { state -> Batch? in
            guard state.generation == generation, let index = state.batches.index(forKey: id) else { return nil }
            let now = times.now(for: state.batches.values[index].owner)
            do { try change(&state.batches.values[index]) } catch { return nil }
            var file = BatchFileChange.unchanged
            if state.batches.values[index].status.isFinished && state.batches.values[index].finishedAt == nil {
                state.batches.values[index].finishedAt = now
                if state.files.removeValue(forKey: id) != nil { file = .dropped }
            }
            let batch = state.batches.values[index]
            recorder?.record(.batch(batch, file: file))
            return batch
        }
        guard let updated else { return false }
        events.publish(.batchProgressed(updated))
        return true
    }

    /// Checks the header and counts the records; true when processing should follow now.
    private func validate(id: String, generation: Int, handler: BatchFileHandler, thenProcess: Bool) -> Bool {
        guard let file = file(id: id, generation: generation) else { return false }
        var reader = CSVReader(file)
        let outcome: Result<Int, BatchFileRejection>
        var resultColumns: [String] = []
        if let header = reader.next() {
            switch handler.header(header) {
            case .failure(let rejection): outcome = .failure(rejection)
            case .success(let processor):
                resultColumns = processor.resultColumns
                // Framing only: the records' text is made when they are processed.
                let (count, unclosed) = reader.countRemaining()
                // A quote left open runs to the end of the file, so the lines after it would
                // vanish into one field: the file is refused, never half-processed.
                if let unclosed {
                    outcome = .failure(BatchFileRejection(
                        "line \(unclosed): a quoted field is not closed before the end of the file, so every line after it would be lost"))
                } else {
                    outcome = .success(count)
                }
            }
        } else {
            outcome = .failure(BatchFileRejection("the file is empty: it needs a header row"))
        }
        let proceed = update(id: id, generation: generation) { (batch: inout Batch) throws(BatchError) in
            switch outcome {
            case .success(let count):
                try batch.lifecycle.validationSucceeded(records: count)
                batch.resultColumns = resultColumns
                if thenProcess { try batch.lifecycle.startProcessing() }
            case .failure(let rejection):
                try batch.lifecycle.validationFailed(reason: rejection.reason)
                batch.failureCode = rejection.code
            }
        }
        if proceed && thenProcess, case .success(let count) = outcome, count > 0 { return true }
        return false
    }

    /// Validates a file confirmed in the background and, with `thenProcess`, processes it: its
    /// first chunk is read and prepared on the other thread while this one checks the framing
    /// (preparing touches no state, so a file the check refuses just drops what was prepared),
    /// so the committing thread starts on the first chunk as soon as the file is known sound.
    private func validateThenRun(id: String, generation: Int, handler: BatchFileHandler, thenProcess: Bool) {
        guard thenProcess, let file = file(id: id, generation: generation), let source = chunkSource(file, handler: handler) else {
            if validate(id: id, generation: generation, handler: handler, thenProcess: thenProcess) {
                runRecords(id: id, generation: generation, handler: handler)
            }
            return
        }
        var proceed = false
        // A whole chunk: how many records there are is known once validation is done.
        let prepared = readFirstPiece(chunk, from: source) {
            proceed = validate(id: id, generation: generation, handler: handler, thenProcess: thenProcess)
        }
        guard proceed else { return }
        let records = recordsLeft(id: id)
        source.processor.reserve(records)
        runRecords(id: id, generation: generation, source: source, first: prepared, records: records)
    }

    /// The first `count` records of `source`, read and prepared on the scheduler's other thread
    /// while this one does `work`.
    private func readFirstPiece(_ count: Int, from source: ChunkSource, beside work: () -> Void) -> [PreparedRecord] {
        let first = ChunkSlot()
        scheduler.overlap({ first.put(source.next(count)) }, with: work)
        let prepared = first.take()
        first.put([])
        return prepared
    }

    /// The file's records after its header, read and prepared a piece at a time; nil when the
    /// handler refuses the header.
    private func chunkSource(_ file: [UInt8], handler: BatchFileHandler) -> ChunkSource? {
        var reader = CSVReader(file)
        guard let header = reader.next(), case .success(let processor) = handler.header(header) else { return nil }
        return ChunkSource(reader: reader, processor: processor)
    }

    /// The records of a validated batch not processed yet.
    private func recordsLeft(id: String) -> Int {
        state.withLock { $0.batches[id].map { $0.lifecycle.totalRecords - $0.lifecycle.processedRecords } ?? 0 }
    }

    private func runRecords(id: String, generation: Int, handler: BatchFileHandler) {
        guard let file = file(id: id, generation: generation) else { return }
        guard let source = chunkSource(file, handler: handler) else {
            // The file passed validation, so this cannot happen unless the handler changed its mind.
            _ = update(id: id, generation: generation) { (batch: inout Batch) throws(BatchError) in
                let left = batch.lifecycle.totalRecords - batch.lifecycle.processedRecords
                try batch.lifecycle.recordsProcessed(succeeded: 0, failed: left)
            }
            return
        }
        // The stores make room for the records while the other thread reads the first piece.
        let records = recordsLeft(id: id)
        let plan = BatchHandOffPlan(chunk: chunk, run: Self.runLength, records: records)
        let prepared = readFirstPiece(plan.pieceSize(after: 0), from: source) { source.processor.reserve(records) }
        runRecords(id: id, generation: generation, source: source, first: prepared, records: records)
    }

    /// Commits a validated file's records from `source`, starting with `first`, its first piece;
    /// the stores have made room for its `records`.
    private func runRecords(id: String, generation: Int, source: ChunkSource, first: [PreparedRecord], records: Int) {
        let processor = source.processor
        let plan = BatchHandOffPlan(chunk: chunk, run: Self.runLength, records: records)
        // While this thread commits one piece, the scheduler's other thread reads and prepares
        // the next: the two halves of the work overlap on a machine with two cores.
        var current = first
        var handed = first.count
        var progress = Progress()
        // What the runs of the last piece left to do (publishing their events): done while the
        // next piece commits, by whichever thread is done with its own part first (the other
        // one once it has read the next piece, this one once it has committed it), so neither
        // thread waits idle for the other while there is work left.
        let owedWork = WorkSlot()
        // The piece committed last, freed on the other thread too (its records' values are
        // many small allocations).
        let retired = ChunkSlot()
        while !current.isEmpty {
            let upcoming = ChunkSlot()
            let size = plan.pieceSize(after: handed)
            var owed: [@Sendable () -> Void] = []
            scheduler.overlap({
                retired.put([])
                upcoming.put(source.next(size))
                owedWork.run()
            }, with: {
                progress.results.reserveCapacity(progress.results.count + current.count)
                // Committed a run at a time: a dialect's store holds its lock for one run, short
                // enough that a request arriving meanwhile hardly waits.
                var start = 0
                while start < current.count {
                    let run = current[start..<min(start + Self.runLength, current.count)]
                    let committed = processor.commitRunDeferring(run)
                    if let afterwards = committed.afterwards { owed.append(afterwards) }
                    // By index: a record is read only when its outcome needs it; iterating the
                    // run copied every record (retaining its fields and text) to read its line.
                    for (offset, outcome) in committed.outcomes.enumerated() {
                        let position = run.startIndex + offset
                        if outcome.errors.isEmpty {
                            progress.succeeded += 1
                        } else {
                            progress.failures.append(BatchRecordFailure(line: run[position].record.line, raw: run[position].record.raw,
                                                                        errors: outcome.errors))
                        }
                        if let result = outcome.result { progress.results.append(BatchRecordResult(line: run[position].record.line, fields: result)) }
                    }
                    start = run.endIndex
                }
                owedWork.run()
            })
            let next = upcoming.take()
            // Handed over whole, so what the work holds is freed on the thread that runs it.
            owedWork.put(owed)
            owed = []
            if next.isEmpty {
                // The last piece: its events go out before the batch's end is written.
                owedWork.run()
            }
            if next.isEmpty || plan.endsChunk(handed) {
                guard flush(id: id, generation: generation, &progress) else {
                    owedWork.run()
                    return
                }
            }
            retired.put(current)
            current = next
            handed += next.count
        }
    }

    /// Records a processor commits at once (see `BatchRecordProcessor.commitRun`).
    package static let runLength = 64

    /// Records processed since the last flush.
    private struct Progress {
        var succeeded = 0
        var failures: [BatchRecordFailure] = []
        var results: [BatchRecordResult] = []
    }

    private func flush(id: String, generation: Int, _ progress: inout Progress) -> Bool {
        let done = progress
        progress = Progress()
        return update(id: id, generation: generation) { (batch: inout Batch) throws(BatchError) in
            try batch.lifecycle.recordsProcessed(succeeded: done.succeeded, failed: done.failures.count)
            batch.failures.append(contentsOf: done.failures)
            batch.results.append(contentsOf: done.results)
        }
    }
}

/// Reads and prepares the records of one file, a piece at a time, from one thread at a time
/// (the lock only hands the reader over between the engine's threads).
private final class ChunkSource: Sendable {
    private let reader: Mutex<CSVReader>
    let processor: BatchRecordProcessor

    init(reader: CSVReader, processor: BatchRecordProcessor) {
        self.reader = Mutex(reader)
        self.processor = processor
    }

    /// The next `count` records (fewer at the end of the file).
    func next(_ count: Int) -> [PreparedRecord] {
        reader.withLock { reader in
            var chunk: [PreparedRecord] = []
            chunk.reserveCapacity(count)
            while chunk.count < count, let record = reader.next() {
                chunk.append(PreparedRecord(record: record, prepared: processor.prepare(record)))
            }
            return chunk
        }
    }
}

/// What committed runs left to do (see `BatchRecordProcessor.commitRunDeferring`), done by
/// both of the engine's threads as each gets to it: one item at a time, in order, each under
/// the lock, so the items never overlap or pass each other whichever thread runs them.
private final class WorkSlot: Sendable {
    private struct Queue {
        var items: [(@Sendable () -> Void)?] = []
        var next = 0
    }

    private let queue = Mutex(Queue())

    func put(_ owed: [@Sendable () -> Void]) {
        queue.withLock { queue in queue.items.append(contentsOf: owed.map { $0 }) }
    }

    /// Runs the items left, in order, until none is.
    func run() {
        while queue.withLock({ queue -> Bool in
            guard queue.next < queue.items.count else {
                queue.items.removeAll()
                queue.next = 0
                return false
            }
            // Taken out first: what the item holds is freed here once it has run.
            let item = queue.items[queue.next].take()
            queue.next += 1
            item?()
            return true
        }) {}
    }
}

/// Hands a prepared chunk from the thread that made it to the one that commits it.
private final class ChunkSlot: Sendable {
    private let chunk = Mutex<[PreparedRecord]>([])
    /// Replaces what the slot holds; what it held is freed here, on the caller's thread.
    func put(_ records: [PreparedRecord]) {
        let previous = chunk.withLock { slot in
            defer { slot = records }
            return slot
        }
        _ = consume previous
    }
    func take() -> [PreparedRecord] { chunk.withLock { $0 } }
}
