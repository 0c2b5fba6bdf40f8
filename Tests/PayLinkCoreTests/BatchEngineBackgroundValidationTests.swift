import PayLinkJSON
import PayLinkCore
import Synchronization
import Testing

/// A file validated in the background has its first chunk prepared on the other thread while
/// its framing is checked: a sound file is still committed whole, in order, once each record,
/// after the processor hears the count; a refused one commits nothing.
struct BatchEngineBackgroundValidationTests {
    let clock = SandboxClock(start: SandboxInstant(secondsSince1970: 1_767_225_600), mode: .frozen)

    final class Log: Sendable {
        let entries = Mutex<[String]>([])
        let prepared = Atomic<Int>(0)
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    func handler(_ log: Log) -> BatchFileHandler {
        BatchFileHandler { header in
            guard header.fields == ["Name", "Amount"] else { return .failure(BatchFileRejection("bad header")) }
            var processor = BatchRecordProcessor(
                prepare: { record in
                    log.prepared.add(1, ordering: .relaxed)
                    return Int(record.fields.count > 1 ? record.fields[1] : "")
                },
                commit: { record, amount in
                    log.add(record.fields[0])
                    return BatchRecordOutcome(errors: amount == nil ? [FieldProblem(path: "Amount", message: "not a number")] : [])
                })
            processor.reserve = { count in log.add("reserve \(count)") }
            return .success(processor)
        }
    }

    func confirm(_ text: String, log: Log, chunk: Int) throws -> Batch {
        let engine = BatchEngine(clock: clock, scheduler: BatchEngineTests.Threaded(), chunk: chunk, inlineValidationLimit: 0)
        _ = try engine.create(id: "b", owner: .payByLink(subscription: "k"), fileName: "f.csv")
        _ = try engine.upload(id: "b", owner: .payByLink(subscription: "k"), file: Array(text.utf8))
        #expect(try engine.confirm(id: "b", owner: .payByLink(subscription: "k"), handler: handler(log), thenProcess: true).status != .failed)
        return try #require(engine.batch(id: "b"))
    }

    @Test(arguments: [1, 3, 50, 1_000])
    func soundFile_isCommittedWholeInOrder_afterTheCount(chunk: Int) throws {
        let lines = (1...50).map { "r\($0),\($0 % 7 == 0 ? "x" : String($0))" }
        let log = Log()
        let batch = try confirm("Name,Amount\n" + lines.joined(separator: "\n") + "\n", log: log, chunk: chunk)
        #expect(batch.status == .completedWithErrors)
        #expect(batch.lifecycle.totalRecords == 50 && batch.lifecycle.succeededRecords == 43)
        #expect(log.all == ["reserve 50"] + (1...50).map { "r\($0)" })
        #expect(log.prepared.load(ordering: .relaxed) == 50)
        #expect(batch.failures.map(\.line) == [8, 15, 22, 29, 36, 43, 50])
    }

    @Test func fileWithAQuoteLeftOpen_isRefused_andNothingIsCommitted() throws {
        let log = Log()
        let batch = try confirm("Name,Amount\na,1\nb,2\n\"c,3\nd,4\n", log: log, chunk: 2)
        #expect(batch.status == .failed)
        #expect(batch.lifecycle.failureReason?.contains("line 4: a quoted field is not closed") == true)
        #expect(log.all.isEmpty)
    }

    @Test func fileWithABadHeader_isRefused_andNothingIsPrepared() throws {
        let log = Log()
        let batch = try confirm("Nom,Amount\na,1\n", log: log, chunk: 2)
        #expect(batch.status == .failed)
        #expect(log.all.isEmpty && log.prepared.load(ordering: .relaxed) == 0)
    }
}
