import Dispatch
import PayLinkCore
import PayLinkCrypto
import PayLinkJSON
import Synchronization

/// Keeps `StateDirectory` up to date while the sandbox serves, from its own serial queue.
///
/// Exporting the state costs time in proportion to its size, so it is not done on every
/// request. Once a second the saver checks whether any request that may change the state
/// arrived since the last save, and if so exports it; every `idleCheckSeconds` (15) it exports
/// anyway, which catches what changes without a request (batches processed in the background,
/// notification attempts, uncertain payments settling on the clock). An export is written only
/// when it differs from the last one written (compared by hash), so polling a large sandbox
/// costs an export a second, never a disk write. `stop` saves one last time, so a clean stop
/// loses nothing; a crash loses what arrived since the last save. Settling the sandbox saves
/// at once (`runDue`).
final class StateSaver: BackgroundService {
    let name = "state"
    private let directory: StateDirectory
    private let lock: StateDirectory.Lock
    private let export: @Sendable () -> JSONObject
    private let requestCount: @Sendable () -> UInt64
    private let report: @Sendable (String) -> Void
    private let idleCheckSeconds: Int
    private let dispatch = DispatchQueue(label: "paylink-sandbox.state-saver")
    private let ticker: any Ticker
    private let running = Atomic<Bool>(false)

    private struct Progress {
        var savedRequestCount: UInt64 = 0
        var savedDigest: [UInt8] = []
        var ticksSinceExport = 0
        var lastError: String?
    }
    private let progress = Mutex(Progress())

    /// `lock` is held until `stop` or `discard`.
    init(directory: StateDirectory, lock: StateDirectory.Lock, export: @escaping @Sendable () -> JSONObject,
         requestCount: @escaping @Sendable () -> UInt64, report: @escaping @Sendable (String) -> Void, idleCheckSeconds: Int = 15,
         ticker: any Ticker = DispatchTicker(interval: .seconds(1))) {
        self.ticker = ticker
        self.directory = directory
        self.lock = lock
        self.export = export
        self.requestCount = requestCount
        self.report = report
        self.idleCheckSeconds = max(1, idleCheckSeconds)
    }

    /// Starts watching. What was just loaded counts as saved.
    func start() {
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        let count = requestCount()
        let digest = digest(of: export())
        progress.withLock {
            $0.savedRequestCount = count
            $0.savedDigest = digest
        }
        ticker.start(on: dispatch) { [weak self] in self?.tick() }
    }

    /// Saves now if anything changed since the last save; returns 1 when the file was written.
    func runDue() -> Int {
        dispatch.sync {
            guard running.load(ordering: .acquiring) else { return 0 }
            return save(export(), count: requestCount()) ? 1 : 0
        }
    }

    /// Stops watching, saves the final state and releases the directory. Idempotent; on the
    /// queue, so a second caller returns only once the first caller's save is done.
    func stop() {
        ticker.stop()
        dispatch.sync {
            guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
            save(export(), count: requestCount())
            lock.release()
        }
    }

    /// Stops watching without saving (a start that failed half way must not overwrite the
    /// file with what it half did) and releases the directory.
    func discard() {
        ticker.stop()
        dispatch.sync {
            guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
            lock.release()
        }
    }

    private func tick() {
        guard running.load(ordering: .acquiring) else { return }
        let count = requestCount()
        let (requestsArrived, idleCheckDue) = progress.withLock { p in
            p.ticksSinceExport += 1
            return (count != p.savedRequestCount, p.ticksSinceExport >= idleCheckSeconds)
        }
        if requestsArrived || idleCheckDue { save(export(), count: count) }
    }

    /// Writes the state unless it is what was last written; true when it wrote.
    @discardableResult
    private func save(_ state: JSONObject, count: UInt64) -> Bool {
        let digest = digest(of: state)
        let unchanged = progress.withLock { p in
            p.savedRequestCount = count
            p.ticksSinceExport = 0
            return p.savedDigest == digest
        }
        if unchanged { return false }
        do {
            try directory.save(state)
            progress.withLock {
                $0.savedDigest = digest
                $0.lastError = nil
            }
            return true
        } catch {
            // Said once, not every second while the disk stays full.
            let message = "state not saved: \(error)"
            let isNew = progress.withLock { p in
                defer { p.lastError = message }
                return p.lastError != message
            }
            if isNew { report(message) }
            return false
        }
    }

    /// A hash of what a restart would restore. A running clock's reading moves by itself, so
    /// for it only the distance from the wall clock counts (whole seconds): the same after a
    /// restart, and changed only when someone sets or advances the clock.
    private func digest(of state: JSONObject) -> [UInt8] {
        var content = state
        if case .object(var clock)? = state["clock"], clock["mode"] == "running",
           case .string(let text)? = clock["now"], let now = ISO8601.parseDateTime(text) {
            let offset = (now.millisecondsSince1970 - directory.realTime.now().millisecondsSince1970) / 1000
            clock["now"] = .string("wall clock \(offset >= 0 ? "+" : "")\(offset) s")
            content["clock"] = .object(clock)
        }
        var hash = SHA256()
        content.serialized().withUnsafeBytes { hash.update($0) }
        return hash.finalize()
    }
}
