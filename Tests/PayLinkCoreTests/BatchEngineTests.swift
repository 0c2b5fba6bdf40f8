import PayLinkJSON
import Dispatch
import PayLinkCore
import Synchronization
import Testing

/// The engine with an inline scheduler: files validated and processed record by record,
/// failures with their lines, owners kept apart, reset.
struct BatchEngineTests {
    let clock = SandboxClock(start: SandboxInstant(secondsSince1970: 1_767_225_600), mode: .frozen)

    /// Header `Name,Amount`; a record fails when Amount is not a whole number.
    /// Names of the records processed, in order.
    final class Seen: Sendable {
        let names = Mutex<[String]>([])
        var all: [String] { names.withLock { $0 } }
    }

    func handler(seen: Seen? = nil) -> BatchFileHandler {
        BatchFileHandler { header in
            guard header.fields == ["Name", "Amount"] else { return .failure(BatchFileRejection("bad header")) }
            return .success(BatchRecordProcessor { record in
                if let error = record.syntaxError { return [FieldProblem(path: "line", message: error.description)] }
                guard record.fields.count == 2, Int(record.fields[1]) != nil else {
                    return [FieldProblem(path: "Amount", message: "must be a whole number")]
                }
                seen?.names.withLock { $0.append(record.fields[0]) }
                return []
            })
        }
    }

    func engine(chunk: Int = 2) -> BatchEngine { BatchEngine(clock: clock, scheduler: InlineBatchScheduler(), chunk: chunk) }

    @Test func goodFile_completes_andEveryRecordIsProcessedOnce() throws {
        let engine = engine()
        let seen = Seen()
        _ = try engine.create(id: "b1", owner: .payByLink(subscription: "k"), fileName: "f.csv")
        _ = try engine.upload(id: "b1", owner: .payByLink(subscription: "k"), file: Array("Name,Amount\na,1\nb,2\nc,3\n".utf8))
        let confirmed = try engine.confirm(id: "b1", owner: .payByLink(subscription: "k"), handler: handler(seen: seen), thenProcess: true)
        #expect(confirmed.status == .processing)
        let batch = try #require(engine.batch(id: "b1", owner: .payByLink(subscription: "k")))
        #expect(batch.status == .completed)
        #expect(batch.lifecycle.totalRecords == 3 && batch.lifecycle.succeededRecords == 3)
        #expect(seen.all == ["a", "b", "c"])
        #expect(batch.finishedAt == clock.now())
    }

    /// The processor hears once, before the first record, how many records there are (so the
    /// stores they go into can make room), and results gathered over many chunks all stay, in order.
    @Test func processor_isToldTheRecordCountOnce_beforeTheFirstRecord_andResultsSpanChunks() throws {
        let engine = engine(chunk: 3)
        let events = Mutex<[String]>([])
        let handler = BatchFileHandler { _ in
            var processor = BatchRecordProcessor(reporting: { record in
                events.withLock { $0.append("record \(record.fields[0])") }
                return BatchRecordOutcome(result: [record.fields[0]])
            })
            processor.reserve = { count in events.withLock { $0.append("reserve \(count)") } }
            return .success(processor)
        }
        let names = (1...10).map { "r\($0)" }
        _ = try engine.create(id: "b1", owner: .payByLink(subscription: "k"), fileName: "f.csv")
        _ = try engine.upload(id: "b1", owner: .payByLink(subscription: "k"), file: Array(("Name\n" + names.map { $0 + "\n" }.joined()).utf8))
        _ = try engine.confirm(id: "b1", owner: .payByLink(subscription: "k"), handler: handler, thenProcess: true)
        #expect(events.withLock { $0 } == ["reserve 10"] + names.map { "record \($0)" })
        let batch = try #require(engine.batch(id: "b1", owner: .payByLink(subscription: "k")))
        #expect(batch.status == .completed)
        #expect(batch.results.map(\.fields) == names.map { [$0] })
        #expect(batch.results.map(\.line) == Array(2...11))
    }

    @Test func badRecords_areListedWithLineAndRawText() throws {
        let engine = engine()
        _ = try engine.create(id: "b1", owner: .payByLink(subscription: "k"), fileName: "f.csv")
        _ = try engine.upload(id: "b1", owner: .payByLink(subscription: "k"), file: Array("Name,Amount\r\na,1\r\nb,x\r\nc,3\r\nd,\r\n".utf8))
        _ = try engine.confirm(id: "b1", owner: .payByLink(subscription: "k"), handler: handler(), thenProcess: true)
        let batch = try #require(engine.batch(id: "b1", owner: .payByLink(subscription: "k")))
        #expect(batch.status == .completedWithErrors)
        #expect(batch.failures.map(\.line) == [3, 5])
        #expect(batch.failures.map(\.raw) == ["b,x", "d,"])
        #expect(batch.failures[0].errors == [FieldProblem(path: "Amount", message: "must be a whole number")])
        #expect(batch.lifecycle.failedRecords == 2 && batch.lifecycle.succeededRecords == 2)
    }

    @Test func badHeader_failsTheWholeFile_andProcessesNothing() throws {
        let engine = engine()
        let seen = Seen()
        _ = try engine.create(id: "b1", owner: .payByLink(subscription: "k"), fileName: "f.csv")
        _ = try engine.upload(id: "b1", owner: .payByLink(subscription: "k"), file: Array("Nom,Montant\na,1\n".utf8))
        _ = try engine.confirm(id: "b1", owner: .payByLink(subscription: "k"), handler: handler(seen: seen), thenProcess: true)
        let batch = try #require(engine.batch(id: "b1", owner: .payByLink(subscription: "k")))
        #expect(batch.status == .failed)
        #expect(batch.lifecycle.failureReason == "bad header")
        #expect(seen.all.isEmpty)
    }

    @Test func emptyFile_fails() throws {
        let engine = engine()
        _ = try engine.create(id: "b1", owner: .payByLink(subscription: "k"), fileName: "f.csv")
        _ = try engine.upload(id: "b1", owner: .payByLink(subscription: "k"), file: [])
        _ = try engine.confirm(id: "b1", owner: .payByLink(subscription: "k"), handler: handler(), thenProcess: true)
        #expect(engine.batch(id: "b1", owner: .payByLink(subscription: "k"))?.status == .failed)
    }

    @Test func withoutThenProcess_waitsValidated_untilProcess() throws {
        let engine = engine()
        _ = try engine.create(id: "b1", owner: .payByLink(subscription: "m"), fileName: "f.csv", reference: "ref-1")
        _ = try engine.upload(id: "b1", owner: .payByLink(subscription: "m"), file: Array("Name,Amount\na,1\n".utf8))
        _ = try engine.confirm(id: "b1", owner: .payByLink(subscription: "m"), handler: handler(), thenProcess: false)
        #expect(engine.batch(id: "b1", owner: .payByLink(subscription: "m"))?.status == .validated)
        _ = try engine.process(id: "b1", owner: .payByLink(subscription: "m"), handler: handler())
        #expect(engine.batch(id: "b1", owner: .payByLink(subscription: "m"))?.status == .completed)
        #expect(throws: BatchError.alreadyProcessing) { try engine.process(id: "b1", owner: .payByLink(subscription: "m"), handler: handler()) }
    }

    @Test func otherOwners_seeNothing() throws {
        let engine = engine()
        _ = try engine.create(id: "b1", owner: .payByLink(subscription: "k"), fileName: "f.csv")
        #expect(engine.batch(id: "b1", owner: .payByLink(subscription: "other")) == nil)
        #expect(throws: BatchError.notFound) { try engine.upload(id: "b1", owner: .payByLink(subscription: "other"), file: [1]) }
        #expect(engine.batches(owner: .payByLink(subscription: "other")).isEmpty)
    }

    @Test func list_isNewestFirst() throws {
        let engine = engine()
        for id in ["a", "b", "c"] { _ = try engine.create(id: id, owner: .payByLink(subscription: "k"), fileName: "\(id).csv") }
        #expect(engine.batches(owner: .payByLink(subscription: "k")).map(\.id) == ["c", "b", "a"])
    }

    /// Holds work until released, to look between confirm and the background work.
    final class Held: BatchScheduler {
        let work = Mutex<[@Sendable () -> Void]>([])
        func schedule(_ work: @escaping @Sendable () -> Void) { self.work.withLock { $0.append(work) } }
        func runAll() { for work in self.work.withLock({ $0 }) { work() } }
    }

    @Test func smallFile_isValidatedBeforeConfirmAnswers_largeOneInTheBackground() throws {
        let held = Held()
        let small = BatchEngine(clock: clock, scheduler: held, inlineValidationLimit: 1_000)
        _ = try small.create(id: "s", owner: .payByLink(subscription: "k"), fileName: "f.csv")
        _ = try small.upload(id: "s", owner: .payByLink(subscription: "k"), file: Array("Name,Amount\na,1\n".utf8))
        #expect(try small.confirm(id: "s", owner: .payByLink(subscription: "k"), handler: handler(), thenProcess: true).status == .processing)
        _ = try small.create(id: "bad", owner: .payByLink(subscription: "k"), fileName: "f.csv")
        _ = try small.upload(id: "bad", owner: .payByLink(subscription: "k"), file: Array("Nom\na\n".utf8))
        #expect(try small.confirm(id: "bad", owner: .payByLink(subscription: "k"), handler: handler(), thenProcess: true).status == .failed)
        held.runAll()
        #expect(small.batch(id: "s")?.status == .completed)

        let large = BatchEngine(clock: clock, scheduler: Held(), inlineValidationLimit: 0)
        _ = try large.create(id: "l", owner: .payByLink(subscription: "k"), fileName: "f.csv")
        _ = try large.upload(id: "l", owner: .payByLink(subscription: "k"), file: Array("Name,Amount\na,1\n".utf8))
        #expect(try large.confirm(id: "l", owner: .payByLink(subscription: "k"), handler: handler(), thenProcess: true).status == .validating)
    }

    @Test func reset_forgetsBatches_andStopsScheduledWork() throws {
        let held = Held()
        let engine = BatchEngine(clock: clock, scheduler: held, inlineValidationLimit: 0)
        _ = try engine.create(id: "b1", owner: .payByLink(subscription: "k"), fileName: "f.csv")
        _ = try engine.upload(id: "b1", owner: .payByLink(subscription: "k"), file: Array("Name,Amount\na,1\n".utf8))
        _ = try engine.confirm(id: "b1", owner: .payByLink(subscription: "k"), handler: handler(), thenProcess: true)
        engine.reset()
        _ = try engine.create(id: "b1", owner: .payByLink(subscription: "k"), fileName: "g.csv")
        held.runAll()
        #expect(engine.batch(id: "b1", owner: .payByLink(subscription: "k"))?.status == .awaitingUpload)
    }
}

extension BatchEngineTests {
    /// Runs `aside` on another thread, as the sandbox's worker does.
    struct Threaded: BatchScheduler {
        func schedule(_ work: @escaping @Sendable () -> Void) { work() }
        func overlap(_ aside: @escaping @Sendable () -> Void, with here: () -> Void) {
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async { aside(); done.signal() }
            here()
            done.wait()
        }
    }

    @Test func preparedOnAnotherThread_committedInFileOrder() throws {
        let engine = BatchEngine(clock: clock, scheduler: Threaded(), chunk: 3)
        let committed = Seen()
        let handler = BatchFileHandler { _ in
            .success(BatchRecordProcessor(
                prepare: { record in Int(record.fields[1]) },
                commit: { record, amount in
                    committed.names.withLock { $0.append(record.fields[0]) }
                    return BatchRecordOutcome(errors: amount == nil ? [FieldProblem(path: "Amount", message: "not a number")] : [])
                }))
        }
        let lines = (1...50).map { "r\($0),\($0 % 7 == 0 ? "x" : String($0))" }
        _ = try engine.create(id: "b", owner: .payByLink(subscription: "k"), fileName: "f.csv")
        _ = try engine.upload(id: "b", owner: .payByLink(subscription: "k"), file: Array(("Name,Amount\n" + lines.joined(separator: "\n")).utf8))
        _ = try engine.confirm(id: "b", owner: .payByLink(subscription: "k"), handler: handler, thenProcess: true)
        let batch = try #require(engine.batch(id: "b"))
        #expect(batch.status == .completedWithErrors)
        #expect(committed.all == (1...50).map { "r\($0)" })
        #expect(batch.failures.map(\.line) == [8, 15, 22, 29, 36, 43, 50])
    }
}

extension BatchEngineTests {
    /// An APS merchant's batch files are timed on its clock; PayByLink's on the sandbox clock.
    @Test func anAPSMerchantsBatch_isTimedOnItsClock() throws {
        let clocks = MerchantClocks(global: clock)
        try clocks.change("MA", .advance(milliseconds: 86_400_000))
        let engine = BatchEngine(clock: clock, scheduler: InlineBatchScheduler(), chunk: 2, clocks: clocks)
        let file = Array("Name,Amount\na,1\n".utf8)
        for owner in [Owner.apsMerchant("MA"), .payByLink(subscription: "k")] {
            _ = try engine.create(id: owner.description, owner: owner, fileName: "f.csv")
            _ = try engine.upload(id: owner.description, owner: owner, file: file)
            _ = try engine.confirm(id: owner.description, owner: owner, handler: handler(), thenProcess: true)
        }
        let aps = try #require(engine.batch(id: "aps:MA", owner: .apsMerchant("MA")))
        #expect(aps.createdAt == clock.now().adding(seconds: 86_400) && aps.finishedAt == aps.createdAt)
        let payByLink = try #require(engine.batch(id: "paybylink:k", owner: .payByLink(subscription: "k")))
        #expect(payByLink.createdAt == clock.now() && payByLink.finishedAt == clock.now())
    }
}
