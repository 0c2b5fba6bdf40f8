import PayLinkCore
import PayLinkJSON

/// `serve --state-dir`: the directory's lock, what was recovered from it, and the log that
/// keeps it while serving. `open` runs before the first request is accepted; `stop` after the last.
final class DurableState: Sendable {
    let log: StateLog
    private let lock: StateDirectory.Lock
    /// The segment this run started and its length then, so a start that fails half way (a
    /// scenario that cannot be loaded) can take back what it wrote.
    private let startSegment: String

    private init(log: StateLog, lock: StateDirectory.Lock, startSegment: String) {
        self.log = log
        self.lock = lock
        self.startSegment = startSegment
    }

    /// Puts what the recovery read into `service`; returns the recovery's summary, without the
    /// state it read (so that is freed when this returns).
    private static func load(_ recovered: consuming StateRecovery.Recovered, into service: SandboxService,
                             directory: StateDirectory) throws(StateDirectoryError) -> StateRecovery.Recovered {
        var summary = recovered
        let values = summary.values
        summary.values = StateValuesLists()
        do throws(StateImportError) {
            try service.state.restore(summary.state, values: values)
        } catch {
            let source = summary.legacyFile ? directory.filePath : directory.path
            throw StateDirectoryError(path: source, "\(error) (move it away to start empty)")
        }
        summary.state = [:]
        return summary
    }

    /// Takes the directory's lock, loads what it holds into `service` and starts the log.
    static func open(_ service: SandboxService, directory: StateDirectory, report: @escaping @Sendable (String) -> Void) throws(StateDirectoryError) -> DurableState {
        guard let changes = service.changes, let durable = service.durable else {
            throw StateDirectoryError(path: directory.path, "the sandbox was not built to keep a state directory")
        }
        let lock = try directory.prepare()
        do throws(StateDirectoryError) {
            let files = StateFiles(path: directory.path)
            let recovery = StateRecovery(directory: directory, files: files, report: report)
            let recovered = try load(recovery.recover(fresh: service.exportState()), into: service, directory: directory)
            // What the recovery read is freed now; its pages go back to the system.
            FreedMemory.release()
            changes.resume(after: recovered.lastSequence)
            durable.advance(to: recovered.lastSequence)
            let log = StateLog(files: files, buffer: changes, durable: durable, flushes: service.configuration.durability == .fsync,
                               realTime: directory.realTime, compactAfterBytes: service.configuration.stateCompactionBytes,
                               lastSnapshotBytes: recovered.snapshotBytes, source: SnapshotSource(service.state), report: report)
            if recovered.needsSnapshot {
                try log.writeSnapshot(covering: recovered.lastSequence)
                // Migrated: the snapshot holds it now.
                if recovered.legacyFile { files.remove(StateDirectory.fileName) }
            }
            try log.start(after: recovered.lastSequence)
            return DurableState(log: log, lock: lock, startSegment: StateFiles.segmentName(recovered.lastSequence + 1))
        } catch {
            lock.release()
            throw error
        }
    }

    /// Writes what is left and releases the directory. Idempotent.
    func stop() {
        log.stop()
        log.durable.close()
        lock.release()
    }

    /// Stops without keeping what this run wrote to the log (a start that failed half way), then
    /// releases the directory.
    func discard() {
        log.stop()
        log.durable.close()
        try? log.files.truncate(startSegment, to: 0)
        lock.release()
    }
}
