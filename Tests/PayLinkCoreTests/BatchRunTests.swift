import Dispatch
import PayLinkCore
import PayLinkJSON
import Synchronization
import Testing

/// Records committed a run at a time (`BatchRecordProcessor.commitRun`), and result lines kept
/// as CSV.
struct BatchRunTests {
    let clock = SandboxClock(start: SandboxInstant(secondsSince1970: 1_767_225_600), mode: .frozen)

    /// Every record reaches `commitRun` once, in file order, in runs of at most
    /// `BatchEngine.runLength` that never cross a chunk; each outcome lands on its own line.
    @Test func runs_coverEveryRecordInOrder_andOutcomesLandOnTheirLines() throws {
        let engine = BatchEngine(clock: clock, scheduler: InlineBatchScheduler(), chunk: 150)
        let runs = Mutex<[[String]]>([])
        let handler = BatchFileHandler { _ in
            .success(BatchRecordProcessor(prepare: { record in record.fields[0] }, commitRun: { run in
                runs.withLock { $0.append(run.map(\.prepared)) }
                return run.map { item in
                    let number = Int(item.prepared.dropFirst())!
                    return number % 7 == 0
                        ? BatchRecordOutcome(errors: [FieldProblem(path: "Name", message: "sevens fail")], result: [item.prepared, "failed"])
                        : BatchRecordOutcome(result: [item.prepared, "ok"])
                }
            }))
        }
        let names = (1...400).map { "r\($0)" }
        let owner = Owner.payByLink(subscription: "k")
        _ = try engine.create(id: "b1", owner: owner, fileName: "f.csv")
        _ = try engine.upload(id: "b1", owner: owner, file: Array(("Name\n" + names.map { $0 + "\n" }.joined()).utf8))
        _ = try engine.confirm(id: "b1", owner: owner, handler: handler, thenProcess: true)
        let seen = runs.withLock { $0 }
        #expect(seen.flatMap { $0 } == names)
        #expect(seen.allSatisfy { $0.count <= BatchEngine.runLength })
        // Chunks of 150: runs of 64, 64, 22, then again.
        #expect(seen.map(\.count) == [64, 64, 22, 64, 64, 22, 64, 36])
        let batch = try #require(engine.batch(id: "b1", owner: owner))
        #expect(batch.status == .completedWithErrors)
        #expect(batch.failures.map(\.line) == names.indices.filter { ($0 + 1) % 7 == 0 }.map { $0 + 2 })
        #expect(batch.failures.first?.raw == "r7")
        #expect(batch.results.map(\.line) == Array(2...401))
        #expect(batch.results[6].fields == ["r7", "failed"])
        #expect(batch.lifecycle.succeededRecords == 400 - 57 && batch.lifecycle.failedRecords == 57)
    }

    /// What a run leaves to do once committed (publishing its events) is done once per run, in
    /// run order, and all of it before the batch is seen finished; a processor used a record at
    /// a time does it at once.
    @Test func deferredWork_runsInOrder_beforeTheBatchEnds() throws {
        let engine = BatchEngine(clock: clock, scheduler: InlineBatchScheduler(), chunk: 100)
        let done = Mutex<[String]>([])
        let doneWhenFinished = Mutex<Int?>(nil)
        engine.events.subscribe { event in
            guard case .batchProgressed(let batch) = event, batch.status.isFinished else { return }
            doneWhenFinished.withLock { $0 = done.withLock { $0.count } }
        }
        let processor = BatchRecordProcessor(prepare: { record in record.fields[0] }, deferringCommitRun: { run in
            let first = run[0].prepared
            return RunCommit(outcomes: run.map { _ in BatchRecordOutcome() }, afterwards: { done.withLock { $0.append(first) } })
        })
        let handler = BatchFileHandler { _ in .success(processor) }
        let names = (1...250).map { "r\($0)" }
        let owner = Owner.payByLink(subscription: "k")
        _ = try engine.create(id: "b1", owner: owner, fileName: "f.csv")
        _ = try engine.upload(id: "b1", owner: owner, file: Array(("Name\n" + names.map { $0 + "\n" }.joined()).utf8))
        _ = try engine.confirm(id: "b1", owner: owner, handler: handler, thenProcess: true)
        // Chunks of 100 in runs of 64: runs start at records 1, 65, 101, 165, 201.
        #expect(done.withLock { $0 } == ["r1", "r65", "r101", "r165", "r201"])
        #expect(doneWhenFinished.withLock { $0 } == 5)
        #expect(try #require(engine.batch(id: "b1", owner: owner)).status == .completed)

        _ = processor.process(CSVRecord(fields: ["one"], line: 2, raw: "one"))
        #expect(done.withLock { $0 }.last == "one")
    }

    /// With the two halves on two threads (as the sandbox's batch queue runs them), the work
    /// runs leave is still done once each, in run order, all before the batch ends, whichever
    /// thread gets to it.
    @Test func deferredWork_onTwoThreads_staysInOrder() throws {
        let engine = BatchEngine(clock: clock, scheduler: TwoThreadScheduler(), chunk: 100)
        let done = Mutex<[Int]>([])
        let doneWhenFinished = Mutex<Int?>(nil)
        engine.events.subscribe { event in
            guard case .batchProgressed(let batch) = event, batch.status.isFinished else { return }
            doneWhenFinished.withLock { $0 = done.withLock { $0.count } }
        }
        let processor = BatchRecordProcessor(prepare: { record in Int(record.fields[0])! }, deferringCommitRun: { run in
            let first = run[0].prepared
            return RunCommit(outcomes: run.map { _ in BatchRecordOutcome() }, afterwards: { done.withLock { $0.append(first) } })
        })
        let owner = Owner.payByLink(subscription: "k")
        _ = try engine.create(id: "b1", owner: owner, fileName: "f.csv")
        _ = try engine.upload(id: "b1", owner: owner, file: Array(("N\n" + (1...3_000).map { "\($0)\n" }.joined()).utf8))
        _ = try engine.confirm(id: "b1", owner: owner, handler: BatchFileHandler { _ in .success(processor) }, thenProcess: true)
        // Each chunk of 100 in runs of 64 and 36.
        let expected = (0..<30).flatMap { [$0 * 100 + 1, $0 * 100 + 65] }
        #expect(done.withLock { $0 } == expected)
        #expect(doneWhenFinished.withLock { $0 } == expected.count)
    }

    /// Runs `schedule` inline and `overlap`'s two halves on two threads at once.
    struct TwoThreadScheduler: BatchScheduler {
        func schedule(_ work: @escaping @Sendable () -> Void) { work() }
        func overlap(_ aside: @escaping @Sendable () -> Void, with here: () -> Void) {
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group, execute: aside)
            here()
            group.wait()
        }
    }

    /// A processor built from `commitRun` also commits a single record.
    @Test func runProcessor_processesOneRecord() {
        let processor = BatchRecordProcessor(prepare: { $0.fields.count }, commitRun: { run in run.map { BatchRecordOutcome(result: [String($0.prepared)]) } })
        #expect(processor.process(CSVRecord(fields: ["a", "b"], line: 2, raw: "a,b")).result == ["2"])
    }

    /// A processor whose prepared values are its own objects (`init(preparingObjects:)`) gets
    /// them back in `commitRun` as the very objects `prepare` made, every record once, in file
    /// order and in the same runs as a boxed processor; its failures land on their lines.
    @Test func objectProcessor_getsItsOwnObjects_inOrder() throws {
        final class Made: Sendable {
            let name: String
            init(_ name: String) { self.name = name }
        }
        let made = Mutex<[ObjectIdentifier]>([]), committed = Mutex<[ObjectIdentifier]>([]), runs = Mutex<[Int]>([])
        let processor = BatchRecordProcessor(preparingObjects: { record in
            let object = Made(record.fields[0])
            made.withLock { $0.append(ObjectIdentifier(object)) }
            return object
        }, deferringCommitRun: { run in
            let objects = run.map { $0.prepared as! Made }
            committed.withLock { $0 += objects.map(ObjectIdentifier.init) }
            runs.withLock { $0.append(run.count) }
            return RunCommit(outcomes: zip(run, objects).map { item, object in
                #expect(item.record.fields[0] == object.name)
                return object.name.hasSuffix("7") ? BatchRecordOutcome(errors: [FieldProblem(path: "Name", message: "sevens fail")]) : BatchRecordOutcome()
            })
        })
        let engine = BatchEngine(clock: clock, scheduler: TwoThreadScheduler(), chunk: 150)
        let owner = Owner.payByLink(subscription: "k")
        _ = try engine.create(id: "b1", owner: owner, fileName: "f.csv")
        _ = try engine.upload(id: "b1", owner: owner, file: Array(("Name\n" + (1...400).map { "r\($0)\n" }.joined()).utf8))
        _ = try engine.confirm(id: "b1", owner: owner, handler: BatchFileHandler { _ in .success(processor) }, thenProcess: true)
        #expect(committed.withLock { $0 } == made.withLock { $0 })
        #expect(made.withLock { $0.count } == 400)
        #expect(runs.withLock { $0 } == [64, 64, 22, 64, 64, 22, 64, 36])
        let batch = try #require(engine.batch(id: "b1", owner: owner))
        #expect(batch.failures.map(\.line) == (1...400).filter { $0 % 10 == 7 }.map { $0 + 1 })
        #expect(batch.failures.first?.raw == "r7")
    }

    /// A processor of its own objects also commits a single record, with what its `prepare` made.
    @Test func objectProcessor_processesOneRecord() {
        final class Count: Sendable {
            let fields: Int
            init(_ fields: Int) { self.fields = fields }
        }
        let processor = BatchRecordProcessor(preparingObjects: { Count($0.fields.count) }, deferringCommitRun: { run in
            RunCommit(outcomes: run.map { BatchRecordOutcome(result: [String(($0.prepared as! Count).fields)]) })
        })
        #expect(processor.process(CSVRecord(fields: ["a", "b", "c"], line: 2, raw: "a,b,c")).result == ["3"])
    }

    /// A result keeps its fields as the CSV line the results answer writes, and gives them back.
    @Test(arguments: [[], [""], ["a"], ["48000", "Success", "say \"hi\"", "a,b", "line\r\nbreak", "ünïcödé", ""], ["\"", "\"\""]])
    func resultLine_isQuotedCSV_andRoundTrips(fields: [String]) {
        var result = BatchRecordResult(line: 3, fields: fields)
        #expect(result.fields == fields)
        let expected = fields.map { "\"" + $0.replacing("\"", with: "\"\"") + "\"" }.joined(separator: ",")
        #expect(String(decoding: result.csv, as: UTF8.self) == expected)
        result.fields = ["x"]
        #expect(result == BatchRecordResult(line: 3, fields: ["x"]))
    }
}
