import PayLinkCore
import Synchronization
import Testing

/// How the batch engine hands records from its reading thread to its committing one
/// (`BatchHandOffPlan`): whole chunks, but the file's last chunk in halves down to one run.
struct BatchHandOffTests {
    let clock = SandboxClock(start: SandboxInstant(secondsSince1970: 1_767_225_600), mode: .frozen)

    /// The pieces of a 100,000-record file: 99 whole chunks, then the last one halved.
    @Test func handOffPlan_halvesTheLastChunk_downToOneRun() {
        let plan = BatchHandOffPlan(chunk: 1_000, run: 64, records: 100_000)
        let sizes = pieces(plan)
        #expect(sizes.count == 99 + 5)
        #expect(sizes.prefix(99).allSatisfy { $0 == 1_000 })
        #expect(Array(sizes.suffix(5)) == [512, 256, 128, 64, 40])
    }

    /// For any file, the pieces cover it once, never cross a chunk, and within a chunk all but
    /// the last are whole runs (so a chunk is cut into the same runs); only the file's last
    /// chunk is cut, and its last piece is at most one run.
    @Test(arguments: [(1_000, 64, 100_000), (1_000, 64, 99_999), (1_000, 64, 1_000), (1_000, 64, 1), (150, 64, 400),
                      (100, 64, 250), (100, 64, 3_000), (7, 3, 50), (1, 64, 5), (200, 64, 400), (1_000, 64, 1_064)])
    func handOffPlan_piecesTileTheChunks(chunk: Int, run: Int, records: Int) {
        let plan = BatchHandOffPlan(chunk: chunk, run: run, records: records)
        let sizes = pieces(plan)
        #expect(sizes.reduce(0, +) == records)
        var handed = 0
        for size in sizes {
            let chunkStart = handed / chunk * chunk
            let endsItsChunk = plan.endsChunk(handed + size) || handed + size == records
            #expect(size > 0)
            #expect(handed + size <= chunkStart + chunk, "a piece never crosses a chunk")
            if !endsItsChunk { #expect(size % run == 0, "whole runs but for a chunk's last piece") }
            let lastChunk = chunkStart + chunk >= records
            if !lastChunk { #expect(handed == chunkStart && size == chunk, "a chunk before the last is one piece") }
            handed += size
        }
        let lastChunkStart = (records - 1) / chunk * chunk
        if records - lastChunkStart > run { #expect(sizes.last! <= run, "the last piece is one run at most") }
    }

    /// A file counted short or long by validation is still handed over whole, in pieces that
    /// never cross a chunk.
    @Test func handOffPlan_withAWrongCount_stillKeepsToTheChunks() {
        for (records, actual) in [(400, 450), (400, 350), (0, 120)] {
            let plan = BatchHandOffPlan(chunk: 100, run: 64, records: records)
            var handed = 0
            while handed < actual {
                let size = min(plan.pieceSize(after: handed), actual - handed)
                #expect(size > 0)
                #expect(handed / 100 == (handed + size - 1) / 100)
                handed += size
            }
        }
    }

    /// In the last chunk, the work a run left (its events) is done while the next piece
    /// commits, so when the last run commits only its own is left: here the last chunk of 200
    /// goes as 128, 64 and 8 records. The runs and the progress written are a chunk's as before.
    @Test func lastChunk_deferredWork_isDoneAPieceAtATime() throws {
        let engine = BatchEngine(clock: clock, scheduler: InlineBatchScheduler(), chunk: 200)
        let done = Mutex<[Int]>([])
        let doneAtCommit = Mutex<[Int]>([])
        let progress = Mutex<[Int]>([])
        let doneWhenFinished = Mutex<Int?>(nil)
        engine.events.subscribe { event in
            guard case .batchProgressed(let batch) = event, batch.lifecycle.processedRecords > 0 else { return }
            progress.withLock { $0.append(batch.lifecycle.processedRecords) }
            if batch.status.isFinished { doneWhenFinished.withLock { $0 = done.withLock { $0.count } } }
        }
        let processor = BatchRecordProcessor(prepare: { record in Int(record.fields[0])! }, deferringCommitRun: { run in
            let first = run[0].prepared
            doneAtCommit.withLock { $0.append(done.withLock { $0.count }) }
            return RunCommit(outcomes: run.map { _ in BatchRecordOutcome() }, afterwards: { done.withLock { $0.append(first) } })
        })
        let owner = Owner.payByLink(subscription: "k")
        _ = try engine.create(id: "b1", owner: owner, fileName: "f.csv")
        _ = try engine.upload(id: "b1", owner: owner, file: Array(("N\n" + (1...400).map { "\($0)\n" }.joined()).utf8))
        _ = try engine.confirm(id: "b1", owner: owner, handler: BatchFileHandler { _ in .success(processor) }, thenProcess: true)
        // The runs of two chunks of 200, as ever.
        #expect(done.withLock { $0 } == [1, 65, 129, 193, 201, 265, 329, 393])
        // The first chunk's four runs' work is done while the first piece of the last commits
        // (two runs), theirs while the second does, and so on.
        #expect(doneAtCommit.withLock { $0 } == [0, 0, 0, 0, 4, 4, 6, 7])
        #expect(doneWhenFinished.withLock { $0 } == 8)
        #expect(progress.withLock { $0 } == [200, 400])
    }

    /// On two threads too: every run's work once, in order, before the end; progress written
    /// at every chunk and nowhere else.
    @Test func lastChunk_inPieces_onTwoThreads_keepsOrderAndProgress() throws {
        let engine = BatchEngine(clock: clock, scheduler: BatchRunTests.TwoThreadScheduler(), chunk: 1_000)
        let done = Mutex<[Int]>([])
        let progress = Mutex<[Int]>([])
        let doneWhenFinished = Mutex<Int?>(nil)
        engine.events.subscribe { event in
            guard case .batchProgressed(let batch) = event, batch.lifecycle.processedRecords > 0 else { return }
            progress.withLock { $0.append(batch.lifecycle.processedRecords) }
            if batch.status.isFinished { doneWhenFinished.withLock { $0 = done.withLock { $0.count } } }
        }
        let processor = BatchRecordProcessor(prepare: { record in Int(record.fields[0])! }, deferringCommitRun: { run in
            let first = run[0].prepared
            return RunCommit(outcomes: run.map { _ in BatchRecordOutcome() }, afterwards: { done.withLock { $0.append(first) } })
        })
        let owner = Owner.apsMerchant("m1")
        _ = try engine.create(id: "b1", owner: owner, fileName: "f.csv")
        _ = try engine.upload(id: "b1", owner: owner, file: Array(("N\n" + (1...2_500).map { "\($0)\n" }.joined()).utf8))
        _ = try engine.confirm(id: "b1", owner: owner, handler: BatchFileHandler { _ in .success(processor) }, thenProcess: false)
        _ = try engine.process(id: "b1", owner: owner, handler: BatchFileHandler { _ in .success(processor) })
        let expected = (0..<2).flatMap { chunk in (0..<16).map { chunk * 1_000 + $0 * 64 + 1 } } + (0..<8).map { 2_001 + $0 * 64 }
        #expect(done.withLock { $0 } == expected)
        #expect(doneWhenFinished.withLock { $0 } == expected.count)
        #expect(progress.withLock { $0 } == [1_000, 2_000, 2_500])
    }

    /// `PROCESS_BATCH`'s path: the stores make room for every record once, before the first
    /// is committed (beside the reading of the first piece).
    @Test func process_reservesForEveryRecord_beforeTheFirstCommit() throws {
        let engine = BatchEngine(clock: clock, scheduler: InlineBatchScheduler(), chunk: 100)
        let reserved = Mutex<[Int]>([])
        let reservedAtFirstCommit = Mutex<[Int]?>(nil)
        var processor = BatchRecordProcessor(prepare: { record in record.fields[0] }, deferringCommitRun: { run in
            reservedAtFirstCommit.withLock { seen in if seen == nil { seen = reserved.withLock { $0 } } }
            return RunCommit(outcomes: run.map { _ in BatchRecordOutcome() })
        })
        processor.reserve = { records in reserved.withLock { $0.append(records) } }
        let handler = BatchFileHandler { [processor] _ in .success(processor) }
        let owner = Owner.apsMerchant("m1")
        _ = try engine.create(id: "b1", owner: owner, fileName: "f.csv")
        _ = try engine.upload(id: "b1", owner: owner, file: Array(("N\n" + (1...250).map { "r\($0)\n" }.joined()).utf8))
        _ = try engine.confirm(id: "b1", owner: owner, handler: handler, thenProcess: false)
        _ = try engine.process(id: "b1", owner: owner, handler: handler)
        #expect(reserved.withLock { $0 } == [250])
        #expect(reservedAtFirstCommit.withLock { $0 } == [250])
        #expect(try #require(engine.batch(id: "b1", owner: owner)).status == .completed)
    }

    /// The sizes of the pieces of a file whose count is right.
    private func pieces(_ plan: BatchHandOffPlan) -> [Int] {
        var sizes: [Int] = []
        var handed = 0
        while handed < plan.records {
            let size = min(plan.pieceSize(after: handed), plan.records - handed)
            sizes.append(size)
            handed += size
        }
        return sizes
    }
}
