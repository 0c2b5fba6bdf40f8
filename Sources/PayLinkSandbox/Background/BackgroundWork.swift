import Dispatch
import Synchronization

/// Runs a sandbox's background services on one serial queue: on every tick of its ticker, at
/// once when kicked (a notification was just queued), and all together, to the end, on
/// `settle`. Batch files run on their own queue (`BatchQueue`), which `settle` waits for.
///
/// With a `ManualTicker` nothing happens by itself, kicks included: tests and the scenario
/// runner decide when work runs, so the order of events never depends on a timer.
package final class BackgroundWork: Sendable {
    private let ticker: any Ticker
    private let runsWhenKicked: Bool
    private let queue = DispatchQueue(label: "paylink-sandbox.background")
    private let services = Mutex<[any BackgroundService]>([])
    /// Run at the end of `settle` only: they keep their own, slower, schedule otherwise.
    private let settleOnly = Mutex<[(name: String, run: @Sendable () -> Int)]>([])
    private let batches: BatchQueue
    private let running = Atomic<Bool>(false)

    /// `settle` gives up after this many rounds: a merchant endpoint that keeps answering with
    /// new work (a duplicate fault armed for every notification) cannot make it run forever.
    static let maxSettleRounds = 100

    package init(ticker: any Ticker, runsWhenKicked: Bool, batches: BatchQueue) {
        self.ticker = ticker
        self.runsWhenKicked = runsWhenKicked
        self.batches = batches
    }

    /// The schedule a configuration asks for.
    package convenience init(_ schedule: BackgroundSchedule, batches: BatchQueue) {
        switch schedule {
        case .automatic: self.init(ticker: DispatchTicker(interval: .milliseconds(20)), runsWhenKicked: true, batches: batches)
        case .manual: self.init(ticker: ManualTicker(), runsWhenKicked: false, batches: batches)
        }
    }

    /// Adds a service; they run in the order added.
    package func register(_ service: any BackgroundService) {
        services.withLock { $0.append(service) }
    }

    /// Adds work that `settle` runs last, once everything else is quiet (the state saver,
    /// which otherwise saves on its own one-second ticker). Held weakly: the service's owner
    /// holds this sandbox too.
    package func registerForSettle<Service: BackgroundService & AnyObject>(_ service: Service) {
        let name = service.name
        settleOnly.withLock { $0.append((name, { [weak service] in service?.runDue() ?? 0 })) }
    }

    package func start() {
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        ticker.start(on: queue) { [weak self] in
            guard let self, self.running.load(ordering: .acquiring) else { return }
            self.runOnce()
        }
    }

    /// Returns once the work in progress has ended; batch work already queued runs to its end
    /// (a batch runs whole), so a state saved after this has no batch half done.
    package func stop() {
        running.store(false, ordering: .releasing)
        ticker.stop()
        let current = services.withLock { $0 }
        for service in current { service.stop() }
        queue.sync {}
        batches.stop()
    }

    /// Looks for due work now instead of at the next tick (not with a manual ticker).
    package func kick() {
        guard runsWhenKicked, running.load(ordering: .acquiring) else { return }
        queue.async { [weak self] in
            guard let self, self.running.load(ordering: .acquiring) else { return }
            self.runOnce()
        }
    }

    /// Runs every service until none has anything left that is due now on the sandbox clock,
    /// batch files included, and says how many items each handled. Works whether or not the
    /// ticker runs.
    package func settle() -> [(service: String, handled: Int)] {
        queue.sync {
            var totals = [(service: "batches", handled: 0)] + services.withLock { $0 }.map { (service: $0.name, handled: 0) }
            for _ in 0..<Self.maxSettleRounds {
                var handled = batches.drain()
                totals[0].handled += handled
                for (index, service) in services.withLock({ $0 }).enumerated() {
                    let count = service.runDue()
                    totals[index + 1].handled += count
                    handled += count
                }
                if handled == 0 { break }
            }
            for service in settleOnly.withLock({ $0 }) { totals.append((service: service.name, handled: service.run())) }
            return totals
        }
    }

    private func runOnce() {
        for service in services.withLock({ $0 }) { _ = service.runDue() }
    }
}

/// When background work runs.
public enum BackgroundSchedule: Sendable, Equatable {
    /// Every 20 ms of real time, and at once when a notification is queued: a served sandbox.
    case automatic
    /// Only when settled (`Sandbox.settle`, `POST /__sandbox/settle`): a test that wants
    /// every effect to happen at a moment it chooses.
    case manual
}
