import Dispatch
import Foundation
@testable import PayLinkSandbox
import Synchronization
import Testing

/// The log's flushes (`LogFlusher`): on the lanes' threads, with a sync the test holds and
/// releases call by call, and on the writer's (the caller's) own when nothing else flushes.
struct LogFlusherTests {
    /// A sync whose calls each wait until the test releases them, in any order.
    final class HeldSync: Sendable {
        let entered = DispatchSemaphore(value: 0)
        private let releases = (0..<16).map { _ in DispatchSemaphore(value: 0) }
        private let calls = Atomic<Int>(0)
        private let failing = Mutex<Set<Int>>([])

        var sync: LogFlusher.Sync {
            { _ in
                let call = self.calls.add(1, ordering: .acquiringAndReleasing).oldValue
                self.entered.signal()
                self.releases[call].wait()
                return self.failing.withLock { $0.contains(call) } ? EIO : 0
            }
        }

        func release(_ call: Int, failing: Bool = false) {
            if failing { self.failing.withLock { _ = $0.insert(call) } }
            releases[call].signal()
        }
    }

    /// What the flusher reported, in order, with a semaphore per report.
    final class Reports: Sendable {
        let list = Mutex<[String]>([])
        let arrived = DispatchSemaphore(value: 0)

        func add(_ report: String) {
            list.withLock { $0.append(report) }
            arrived.signal()
        }
    }

    /// More records waiting behind a round than any test's `overlapAfter`: the writer hands the
    /// round's flush to a lane rather than flushing it itself, as it does with a slow disk.
    static let aBigGroup: UInt64 = 1_000

    static func start(_ flusher: LogFlusher, _ reports: Reports) throws -> String {
        let directory = try StateDirectoryTests.temporaryDirectory()
        let path = directory + "/segment.wal"
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        flusher.start(path: path, after: 0, flushed: { reports.add("flushed \($0)") }, failed: { reports.add("failed \($0): \($1)") })
        return directory
    }

    @Test func aLaterFlushReleasesItsRecords_whileAnEarlierFlushStillRuns() throws {
        let held = HeldSync(), reports = Reports()
        let flusher = LogFlusher(lanes: 2, sync: held.sync)
        let directory = try Self.start(flusher, reports)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        flusher.written(upTo: 3, waiting: Self.aBigGroup)
        held.entered.wait()
        flusher.written(upTo: 7, waiting: Self.aBigGroup)
        held.entered.wait()
        held.release(1)
        reports.arrived.wait()
        #expect(reports.list.withLock { $0 } == ["flushed 7"], "the flush of 3 is still running")
        held.release(0)
        reports.arrived.wait()
        #expect(reports.list.withLock { $0 } == ["flushed 7", "flushed 3"])
        flusher.waitUntilFlushed()
        flusher.stop()
    }

    @Test func withEveryLaneBusy_theFirstToFinishFlushesEverythingWrittenMeanwhile() throws {
        let held = HeldSync(), reports = Reports()
        let flusher = LogFlusher(lanes: 1, sync: held.sync)
        let directory = try Self.start(flusher, reports)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        flusher.written(upTo: 1, waiting: Self.aBigGroup)
        held.entered.wait()
        flusher.written(upTo: 2, waiting: Self.aBigGroup)
        flusher.written(upTo: 5, waiting: Self.aBigGroup)
        held.release(0)
        held.entered.wait()
        held.release(1)
        flusher.waitUntilFlushed()
        #expect(reports.list.withLock { $0 } == ["flushed 1", "flushed 5"], "one flush for the two rounds written meanwhile")
        flusher.stop()
    }

    /// Beside a running flush, a second starts only once `overlapAfter` records wait: the two
    /// records written after the first flush began wait, and the second flush, started by the
    /// fourth record waiting, carries all four.
    @Test func aSecondFlushBesideARunningOne_waitsForAGroupOfOverlapAfterRecords() throws {
        let held = HeldSync(), reports = Reports()
        let flusher = LogFlusher(lanes: 2, overlapAfter: 4, sync: held.sync)
        let directory = try Self.start(flusher, reports)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        flusher.written(upTo: 1, waiting: Self.aBigGroup)
        held.entered.wait()
        flusher.written(upTo: 3, waiting: Self.aBigGroup)
        flusher.written(upTo: 5, waiting: Self.aBigGroup)
        held.entered.wait()
        held.release(1)
        reports.arrived.wait()
        #expect(reports.list.withLock { $0 } == ["flushed 5"], "one flush for records 2 to 5, not one for 2 and 3")
        held.release(0)
        flusher.waitUntilFlushed()
        #expect(reports.list.withLock { $0 } == ["flushed 5", "flushed 1"])
        flusher.stop()
    }

    /// Fewer than `overlapAfter` records written during a flush are taken by that flush's lane
    /// when it ends (nothing else runs then), so none is left waiting.
    @Test func fewRecordsWrittenDuringAFlush_areFlushedWhenItEnds() throws {
        let held = HeldSync(), reports = Reports()
        let flusher = LogFlusher(lanes: 2, overlapAfter: 4, sync: held.sync)
        let directory = try Self.start(flusher, reports)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        flusher.written(upTo: 1, waiting: Self.aBigGroup)
        held.entered.wait()
        flusher.written(upTo: 2, waiting: Self.aBigGroup)
        flusher.written(upTo: 3, waiting: Self.aBigGroup)
        held.release(0)
        held.entered.wait()
        held.release(1)
        flusher.waitUntilFlushed()
        #expect(reports.list.withLock { $0 } == ["flushed 1", "flushed 3"])
        flusher.stop()
    }

    @Test func aFailedFlush_isReportedWithWhatItCovered() throws {
        let held = HeldSync(), reports = Reports()
        let flusher = LogFlusher(lanes: 2, sync: held.sync)
        let directory = try Self.start(flusher, reports)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        flusher.written(upTo: 4, waiting: Self.aBigGroup)
        held.entered.wait()
        held.release(0, failing: true)
        reports.arrived.wait()
        let report = try #require(reports.list.withLock { $0.first })
        #expect(report.hasPrefix("failed 4: cannot flush the log"), "\(report)")
        flusher.waitUntilFlushed()
        flusher.stop()
    }

    /// `waitUntilFlushed` (before the segment changes, and before the log stops) returns only
    /// once the flush running has ended.
    @Test func waitUntilFlushed_waitsForTheFlushesRunning() throws {
        let held = HeldSync(), reports = Reports()
        let flusher = LogFlusher(lanes: 2, sync: held.sync)
        let directory = try Self.start(flusher, reports)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        flusher.written(upTo: 2, waiting: Self.aBigGroup)
        held.entered.wait()
        let waited = DispatchSemaphore(value: 0)
        let returned = Atomic<Bool>(false)
        DispatchQueue.global().async {
            flusher.waitUntilFlushed()
            returned.store(true, ordering: .releasing)
            waited.signal()
        }
        let returnedEarly = returned.load(ordering: .acquiring)
        #expect(!returnedEarly)
        held.release(0)
        waited.wait()
        #expect(reports.list.withLock { $0 } == ["flushed 2"])
        flusher.stop()
    }

    /// A sync that answers at once with `error`, noting the thread of each call.
    final class ImmediateSync: Sendable {
        let threads = Mutex<[pthread_t]>([])
        let error: Int32

        init(failingWith error: Int32 = 0) { self.error = error }

        var sync: LogFlusher.Sync {
            { _ in
                self.threads.withLock { $0.append(pthread_self()) }
                return self.error
            }
        }
    }

    /// With no flush running and few records told behind the round, the writer flushes the
    /// round itself: the flush runs on the caller's thread and is reported before `written`
    /// returns, with no lane woken.
    @Test func withNothingFlushing_andAFewRecordsBehind_theWriterFlushesItself() throws {
        let immediate = ImmediateSync(), reports = Reports()
        let flusher = LogFlusher(lanes: 2, overlapAfter: 4, sync: immediate.sync)
        let directory = try Self.start(flusher, reports)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        flusher.written(upTo: 3, waiting: 0)
        #expect(reports.list.withLock { $0 } == ["flushed 3"])
        flusher.written(upTo: 5, waiting: 3)
        #expect(reports.list.withLock { $0 } == ["flushed 3", "flushed 5"])
        let threads = immediate.threads.withLock { $0 }
        #expect(threads.count == 2 && threads.allSatisfy { pthread_equal($0, pthread_self()) != 0 })
        flusher.waitUntilFlushed()
        flusher.stop()
    }

    /// The writer's own flush failing is reported as a lane's is, before `written` returns.
    @Test func theWritersOwnFailedFlush_isReportedWithWhatItCovered() throws {
        let reports = Reports()
        let flusher = LogFlusher(lanes: 2, sync: ImmediateSync(failingWith: EIO).sync)
        let directory = try Self.start(flusher, reports)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        flusher.written(upTo: 6, waiting: 0)
        let report = try #require(reports.list.withLock { $0.first })
        #expect(report.hasPrefix("failed 6: cannot flush the log"), "\(report)")
        flusher.waitUntilFlushed()
        flusher.stop()
    }

    /// With a big group told behind the round (`overlapAfter` or more), the writer hands the
    /// round's flush to a lane and returns at once, to write that group; and beside the lane's
    /// flush, a round with few behind it is left for that flush's end, not flushed by the writer.
    @Test func withABigGroupBehind_aLaneFlushes_andTheWriterGoesOn() throws {
        let held = HeldSync(), reports = Reports()
        let flusher = LogFlusher(lanes: 2, overlapAfter: 4, sync: held.sync)
        let directory = try Self.start(flusher, reports)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        flusher.written(upTo: 2, waiting: 4)
        held.entered.wait()
        flusher.written(upTo: 4, waiting: 0)
        #expect(reports.list.withLock { $0 }.isEmpty, "records 3 and 4 wait for the running flush")
        held.release(0)
        held.entered.wait()
        held.release(1)
        flusher.waitUntilFlushed()
        #expect(reports.list.withLock { $0 } == ["flushed 2", "flushed 4"])
        flusher.stop()
    }
}
