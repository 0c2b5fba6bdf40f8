import PayLinkCore

/// The changes told since the log writer's last round, the frequent ones already encoded as
/// the binary entries of one frame (`LogEntry`), so no link or order value outlives the call
/// that told it: the writer adds the rare JSON entries and the ID generator's state, frames,
/// checksums and writes.
///
/// Why encoded when told: a create's changes held as values (a copy of the link, its strings
/// retained) were copied again by the writer to encode them, then released; that copying and
/// reference counting was about a third of the writer's samples, and all of it ran on the one
/// core the sandbox has. Encoded at once, the link is read in place under its owner's lock.
struct ChangeRound {
    /// `LogEntry.binaryMark`, then the binary entries (links, orders, outbox messages, PayByLink
    /// requests) in the order told.
    var entries: BinaryWriter
    /// The changes written as JSON entries, in the order told, kept as values for the writer to
    /// encode: they are rare, and some are big (a batch's records, an uploaded file), so they
    /// are not encoded under the buffer's lock while every other owner waits for it. They go
    /// after the binary entries; those touch other members of the state (links, orders, the
    /// outbox, PayByLink requests) than any JSON entry does, so replay is the same, and the
    /// JSON entries keep their order among themselves (a batch's `put` and `add` depend on it).
    var jsonChanges: [(sequence: UInt64, change: StateChange)] = []
    /// The last sequence told in this round (0: nothing told yet).
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

    /// Adds one told change, numbered `sequence`. The caller sets `lastSequence` (a call may
    /// tell no change).
    mutating func add(_ change: StateChange, sequence: UInt64) {
        switch change {
        case .ids(let ids): lastIDs = (sequence, ids)
        case .everything: rebases = true
        default:
            if !LogEntry.encodeBinary(change, sequence: sequence, into: &entries) { jsonChanges.append((sequence, change)) }
        }
    }

    /// `add(.link(link))` then `add(.ids(ids))`, both numbered `sequence`, with the link read
    /// where it stands (`StateChangeRecorder.recordNewLink`).
    mutating func addNewLink(_ link: borrowing PaymentLink, ids: IDGenerator.Snapshot, sequence: UInt64) {
        LogEntry.encodeLink(link, sequence: sequence, into: &entries)
        lastIDs = (sequence, ids)
    }

    /// The frame's payload, on the writer's thread: the binary entries, the JSON ones, then
    /// the round's ID generator state.
    mutating func finishPayload(logged: inout LogEntry.BatchRecordsLogged) -> [UInt8] {
        for (sequence, change) in jsonChanges { LogEntry.encode(change, sequence: sequence, into: &entries, logged: &logged) }
        if let lastIDs { LogEntry.encode(.ids(lastIDs.ids), sequence: lastIDs.sequence, into: &entries, logged: &logged) }
        return entries.bytes
    }
}
