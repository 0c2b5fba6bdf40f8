#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import Testing
@testable import PayLinkSandbox

/// Background services on a ticker the test drives: no timer, no sleep.
struct BackgroundWorkTests {
    /// Which services ran, in order.
    final class RunLog: Sendable {
        let entries = Mutex<[String]>([])
        var names: [String] { entries.withLock { $0 } }
    }

    /// Handles one queued item per run, and may queue another for the next round.
    final class CountingService: BackgroundService {
        let name: String
        private let log: RunLog
        private let queued: Mutex<Int>
        /// How many items each item handled queues in turn (a duplicate fault's copy, say).
        let followUps: Int

        init(_ name: String, queued: Int = 0, followUps: Int = 0, log: RunLog = RunLog()) {
            self.name = name
            self.queued = Mutex(queued)
            self.followUps = followUps
            self.log = log
        }

        func enqueue(_ count: Int = 1) { queued.withLock { $0 += count } }
        var runs: [String] { log.names }

        func runDue() -> Int {
            let handled = queued.withLock { queued in
                let now = queued
                queued = now * followUps
                return now
            }
            log.entries.withLock { $0.append(name) }
            return handled
        }

        func stop() {}
    }

    @Test func aManualTicker_runsEveryServiceInOrder_onlyWhenTicked() {
        let ticker = ManualTicker()
        let work = BackgroundWork(ticker: ticker, runsWhenKicked: false, batches: BatchQueue())
        let log = RunLog()
        let first = CountingService("settlements", queued: 1, log: log)
        let second = CountingService("deliveries", queued: 2, log: log)
        work.register(first)
        work.register(second)
        work.start()
        #expect(log.names.isEmpty)
        work.kick()
        #expect(log.names.isEmpty, "a kick runs nothing when the ticker is manual")
        ticker.tick()
        #expect(log.names == ["settlements", "deliveries"])
        work.stop()
        ticker.tick()
        #expect(log.names.count == 2, "no tick after stop")
    }

    @Test func settle_runsRoundsUntilNothingIsDue_andCountsWhatEachHandled() {
        let work = BackgroundWork(ticker: ManualTicker(), runsWhenKicked: false, batches: BatchQueue())
        let settlements = CountingService("settlements", queued: 2)
        let deliveries = CountingService("deliveries", queued: 3)
        work.register(settlements)
        work.register(deliveries)
        let report = work.settle()
        #expect(report.map(\.service) == ["batches", "settlements", "deliveries"])
        #expect(report.map(\.handled) == [0, 2, 3])
        // One more round found nothing: the last round of a settle is always an empty one.
        #expect(deliveries.runs.count == 2)
        #expect(work.settle().map(\.handled) == [0, 0, 0])
    }

    @Test func settle_stopsAfterItsBound_whenWorkKeepsMakingWork() {
        let work = BackgroundWork(ticker: ManualTicker(), runsWhenKicked: false, batches: BatchQueue())
        let endless = CountingService("deliveries", queued: 1, followUps: 1)
        work.register(endless)
        #expect(work.settle().last?.handled == BackgroundWork.maxSettleRounds)
    }

    @Test func settle_waitsForQueuedBatchFiles() {
        let batches = BatchQueue()
        let work = BackgroundWork(ticker: ManualTicker(), runsWhenKicked: false, batches: batches)
        let done = Atomic<Int>(0)
        // Slow files (50 ms each): were settle not to wait, none would be done when it returns.
        for _ in 0..<3 {
            batches.schedule {
                usleep(50_000)
                done.add(1, ordering: .relaxed)
            }
        }
        #expect(work.settle().first?.handled == 3)
        #expect(done.load(ordering: .relaxed) == 3)
    }
}
