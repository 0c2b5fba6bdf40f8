import PayLinkCore

/// The changes told since the log writer's last round, already encoded as the entries of one
/// binary frame (`LogEntry`), so no change value outlives the call that told it: the writer
/// only adds the ID generator's state, frames, checksums and writes.
///
/// Why encoded when told: a create's changes held as values (a copy of the link, its strings
/// retained) were copied again by the writer to encode them, then released; that copying and
/// reference counting was about a third of the writer's samples, and all of it ran on the one
/// core the sandbox has. Encoded at once, the link is read in place under its owner's lock.
struct ChangeRound {
    /// `LogEntry.binaryMark`, then the entries in the order told.
    var entries: BinaryWriter
    /// The last sequence told in this round (0: nothing told).
    var lastSequence: UInt64 = 0
    /// The ID generator's state of the round's last change that told one, with its sequence.
    /// Written once, at the frame's end, rather than with every create: it is a `set`, so on
    /// replay the last one wins, and the round's last is the one the earlier ones would have
    /// been overwritten by. Its place inside the frame does not matter to the replay: nothing
    /// else in a frame sets the generator, every entry is applied or skipped by its own
    /// sequence, and a frame is whole or cut off whole, so no replay sees the round's other
    /// changes without it.
    var lastIDs: (sequence: UInt64, ids: IDGenerator.Snapshot)?
    /// A reset or an import (`StateChange.everything`) was told: the writer writes a snapshot
    /// covering the round instead of its entries.
    var rebases = false

    init(capacity: Int = 0) {
        entries = BinaryWriter(capacity: capacity)
        entries.byte(LogEntry.binaryMark)
    }

    var isEmpty: Bool { lastSequence == 0 }

    /// Adds one told change, numbered `sequence` (`logged`: see `LogEntry.BatchRecordsLogged`).
    /// The caller sets `lastSequence` (a change may tell none).
    mutating func add(_ change: StateChange, sequence: UInt64, logged: inout LogEntry.BatchRecordsLogged) {
        switch change {
        case .ids(let ids): lastIDs = (sequence, ids)
        case .everything: rebases = true
        default: LogEntry.encode(change, sequence: sequence, into: &entries, logged: &logged)
        }
    }

    /// The frame's payload: the entries, then the round's ID generator state.
    mutating func finishPayload() -> [UInt8] {
        if let lastIDs {
            var unused = LogEntry.BatchRecordsLogged()
            LogEntry.encode(.ids(lastIDs.ids), sequence: lastIDs.sequence, into: &entries, logged: &unused)
        }
        return entries.bytes
    }
}
