import PayLinkCore
import PayLinkJSON

/// What a start finds in a state directory with a change log: the newest snapshot, with every
/// segment's changes after it applied (`StateReplay`). Leftover temporaries of an interrupted
/// write are removed. A torn last frame (a crash in the middle of a write) is cut off and
/// reported, never fatal; damage anywhere else stops the start, naming the file and offset.
/// The zeros a segment holds after its last record (`LogSegment` writes them ahead) are its
/// clean end, cut off without a report.
/// A directory written by an earlier version (`state.json` only) is read as the snapshot.
struct StateRecovery {
    let directory: StateDirectory
    let files: StateFiles
    let report: @Sendable (String) -> Void

    struct Recovered {
        /// The state to import, its running clock already moved on by the downtime: the
        /// document without links, orders and PayByLink requests, and those as values.
        var state: JSONObject
        var values: StateValuesLists
        var lastSequence: UInt64
        /// No snapshot yet (a new directory, or an earlier version's `state.json`): write one now.
        var needsSnapshot: Bool
        var legacyFile: Bool
        var snapshotBytes: Int
        var entriesReplayed: Int
    }

    /// `fresh` is a new sandbox's own state: what an empty directory starts from.
    func recover(fresh: JSONObject) throws(StateDirectoryError) -> Recovered {
        let listing = try files.list()
        for name in listing.temporaries {
            files.remove(name)
            report("\(files.file(name)): removed, left over from an interrupted write")
        }
        var base = fresh, sequence: UInt64 = 0, savedAt: SandboxInstant?, snapshotBytes = 0
        var needsSnapshot = true, legacy = false, values = StateValuesLists()
        var basePath = directory.path
        if let newest = listing.snapshots.last {
            let bytes = try files.read(newest.name)
            snapshotBytes = bytes.count
            basePath = files.file(newest.name)
            if newest.name.hasSuffix(".bin") {
                let contents = try SnapshotFile.read(bytes, path: basePath)
                (base, sequence, savedAt, values) = (contents.document, contents.sequence, contents.savedAt, contents.values)
            } else {
                (base, sequence, savedAt) = try Self.readSnapshot(bytes, path: basePath)
                // Written by an earlier version: the next compaction writes the binary form.
            }
            needsSnapshot = false
        } else if let state = try directory.load() {
            // Its running clock is moved on by `load`.
            base = state
            legacy = true
            basePath = directory.filePath
        }
        // A snapshot written before PayByLink requests, batches and run-time merchants were kept has none.
        for key in ["paybylink", "batches", "merchants"] where base[key] == nil { base[key] = fresh[key] }
        // A JSON snapshot (an earlier version's, or a new directory's fresh state) holds its
        // links, orders and PayByLink requests in the document.
        do throws(StateImportError) {
            try StateValuesLists.take(from: &base, into: &values)
        } catch {
            throw StateDirectoryError(path: basePath, "\(error) (move it away to start empty)")
        }
        var replay = StateReplay(snapshot: base, values: values, sequence: sequence)
        values = StateValuesLists()
        let segments = listing.segments
        for (index, segment) in segments.enumerated() {
            let bytes = try files.read(segment.name)
            let path = files.file(segment.name)
            let scan = LogFrame.scan(bytes)
            for frame in scan.frames {
                let applied = bytes.withUnsafeBytes { raw in
                    Result { () throws(LogReadError) in try replay.apply(frame: UnsafeRawBufferPointer(rebasing: raw[frame])) }
                }
                if case .failure(let error) = applied {
                    throw StateDirectoryError(path: path, "record at offset \(frame.lowerBound - LogFrame.headerSize): \(error) (move the directory away to start empty)")
                }
            }
            switch scan.problem {
            case nil:
                // The zeros the writer kept ahead (`LogSegment`): the clean end, cut off so
                // that a segment opened again under this name goes on after its last record.
                if scan.zeroTail { try files.truncate(segment.name, to: scan.end) }
            case .tornTail(let reason)?:
                var laterData = false
                for later in segments[(index + 1)...] where !(try files.read(later.name)).isEmpty { laterData = true }
                guard !laterData else {
                    throw StateDirectoryError(path: path, "corrupt record at offset \(scan.end): \(reason), with later segments after it (move the directory away to start empty)")
                }
                try files.truncate(segment.name, to: scan.end)
                report("\(path): the last record was torn (\(reason)); cut off at offset \(scan.end), \(bytes.count - scan.end) bytes. It was never acknowledged.")
            case .corrupt(let offset, let reason)?:
                throw StateDirectoryError(path: path, "corrupt record at offset \(offset): \(reason) (move the directory away to start empty)")
            }
        }
        let lastSequence = replay.lastSequence
        let clockSetAt = replay.clockSetAt
        let merchantClocksSetAt = replay.merchantClocksSetAt
        let entries = replay.entriesApplied
        var replayed = replay.finish()
        if let since = clockSetAt ?? savedAt { moveRunningClock(&replayed.document, since: since) }
        if let since = merchantClocksSetAt ?? savedAt { moveRunningMerchantClocks(&replayed.document, since: since) }
        return Recovered(state: replayed.document, values: replayed.values, lastSequence: lastSequence,
                         needsSnapshot: needsSnapshot, legacyFile: legacy, snapshotBytes: snapshotBytes, entriesReplayed: entries)
    }

    /// `{"sequence": N, "saved_at": "…", "state": {…}}`.
    static func readSnapshot(_ bytes: [UInt8], path: String) throws(StateDirectoryError) -> (JSONObject, UInt64, SandboxInstant) {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch { throw StateDirectoryError(path: path, "not valid JSON: \(error)") }
        guard case .object(let document) = value, case .object(let state)? = document["state"],
              case .number(let text)? = document["sequence"], let sequence = UInt64(text),
              case .string(let saved)? = document["saved_at"], let savedAt = ISO8601.parseDateTime(saved) else {
            throw StateDirectoryError(path: path, "must be {\"sequence\": N, \"saved_at\": \"…\", \"state\": {…}}")
        }
        return (state, sequence, savedAt)
    }

    /// The merchants' own running clocks likewise (`merchants.clocks`, see `MerchantStateJSON`).
    private func moveRunningMerchantClocks(_ state: inout JSONObject, since: SandboxInstant) {
        let downtime = directory.realTime.now().millisecondsSince1970 - since.millisecondsSince1970
        guard downtime > 0, case .object(var part)? = state["merchants"], case .array(var clocks)? = part["clocks"] else { return }
        for (i, value) in clocks.enumerated() {
            guard case .object(var clock) = value, clock["mode"] == "running",
                  case .string(let text)? = clock["now"], let now = ISO8601.parseDateTime(text) else { continue }
            clock["now"] = StateValues.instant(now.adding(milliseconds: downtime))
            clocks[i] = .object(clock)
        }
        part["clocks"] = .array(clocks)
        state["merchants"] = .object(part)
    }

    /// A running clock keeps its distance from the wall clock: it moves on by the time since it
    /// was last read into the files.
    private func moveRunningClock(_ state: inout JSONObject, since: SandboxInstant) {
        let downtime = directory.realTime.now().millisecondsSince1970 - since.millisecondsSince1970
        guard downtime > 0, case .object(var clock)? = state["clock"], clock["mode"] == "running",
              case .string(let text)? = clock["now"], let now = ISO8601.parseDateTime(text) else { return }
        clock["now"] = StateValues.instant(now.adding(milliseconds: downtime))
        state["clock"] = .object(clock)
    }
}
