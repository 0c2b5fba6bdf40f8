import Dispatch
import PayLinkCrypto
import PayLinkJSON
import Synchronization

/// Keeps `StateDirectory` up to date while the sandbox serves, from its own serial queue.
///
/// Exporting the state costs time in proportion to its size, so it is not done on every
/// request. Once a second the saver checks whether any request arrived since the last save and
/// saves if so; every `idleCheckSeconds` (15) it also exports and compares a hash of the state with
/// the last saved one, which catches what changes without a request (batches processed in the
/// background, notification attempts, uncertain payments settling on the clock). The clock's
/// own reading is left out of that hash: a running clock alone is not a change. `stop` saves
/// one last time, so a clean stop loses nothing; a crash loses at most the last second.
final class StateSaver: Sendable {
    private let directory: StateDirectory
    private let export: @Sendable () -> JSONObject
    private let requestCount: @Sendable () -> UInt64
    private let report: @Sendable (String) -> Void
    private let idleCheckSeconds: Int
    private let dispatch = DispatchQueue(label: "paylink-sandbox.state-saver")
    private let running = Atomic<Bool>(false)

    private struct Progress {
        var savedRequestCount: UInt64 = 0
        var savedDigest: [UInt8] = []
        var ticksSinceSave = 0
        var lastError: String?
    }
    private let progress = Mutex(Progress())

    init(directory: StateDirectory, export: @escaping @Sendable () -> JSONObject, requestCount: @escaping @Sendable () -> UInt64,
         report: @escaping @Sendable (String) -> Void, idleCheckSeconds: Int = 15) {
        self.directory = directory
        self.idleCheckSeconds = max(1, idleCheckSeconds)
        self.export = export
        self.requestCount = requestCount
        self.report = report
    }

    /// Starts watching. What was just loaded counts as saved.
    func start() {
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        let state = export(), count = requestCount()
        progress.withLock {
            $0.savedRequestCount = count
            $0.savedDigest = Self.digest(state)
        }
        dispatch.asyncAfter(deadline: .now() + .seconds(1)) { self.tick() }
    }

    /// Stops watching and saves the final state. Idempotent: a second call saves nothing, but
    /// returns only once the first call's save is done.
    func stop() {
        guard running.compareExchange(expected: true, desired: false, ordering: .acquiringAndReleasing).exchanged else {
            dispatch.sync {}
            return
        }
        dispatch.sync { save(export(), count: requestCount()) }
    }

    private func tick() {
        guard running.load(ordering: .acquiring) else { return }
        let count = requestCount()
        let (requestsArrived, idleCheckDue) = progress.withLock { p in
            p.ticksSinceSave += 1
            return (count != p.savedRequestCount, p.ticksSinceSave >= idleCheckSeconds)
        }
        if requestsArrived {
            save(export(), count: count)
        } else if idleCheckDue {
            let state = export()
            if Self.digest(state) != progress.withLock({ $0.savedDigest }) {
                save(state, count: count)
            } else {
                progress.withLock { $0.ticksSinceSave = 0 }
            }
        }
        dispatch.asyncAfter(deadline: .now() + .seconds(1)) { self.tick() }
    }

    private func save(_ state: JSONObject, count: UInt64) {
        do {
            try directory.save(state)
            progress.withLock {
                $0.savedRequestCount = count
                $0.savedDigest = Self.digest(state)
                $0.ticksSinceSave = 0
                $0.lastError = nil
            }
        } catch {
            // Said once, not every second while the disk stays full.
            let message = "state not saved: \(error)"
            let isNew = progress.withLock { p in
                defer { p.lastError = message }
                return p.lastError != message
            }
            if isNew { report(message) }
        }
    }

    /// The state without the clock's reading, hashed.
    private static func digest(_ state: JSONObject) -> [UInt8] {
        var withoutClock = state
        withoutClock["clock"] = nil
        var hash = SHA256()
        withoutClock.serialized().withUnsafeBytes { hash.update($0) }
        return hash.finalize()
    }
}
