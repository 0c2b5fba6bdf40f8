import PayLinkCore

extension LogEntry {
    /// Appends a round's changes (what the writer took at once, one frame) to a binary frame.
    ///
    /// The ID generator's state (`.ids`) is written once per round, with the last change that
    /// told one, rather than with every change: nearly every create tells it, and its JSON entry
    /// was a good part of the writer's encoding. It is a `set`, so on replay the last one wins,
    /// and the round's last is the one the earlier ones would have been overwritten by; a frame
    /// is whole or cut off whole, so no replay sees an earlier change of the round without it.
    static func encode(round: [ChangeBuffer.Numbered], into frame: inout BinaryWriter, logged: inout BatchRecordsLogged) {
        let lastIDs = round.lastIndex { $0.changes.contains(where: \.isIDs) }
        for (index, numbered) in round.enumerated() {
            for change in numbered.changes where index == lastIDs || !change.isIDs {
                encode(change, sequence: numbered.sequence, into: &frame, logged: &logged)
            }
        }
    }
}

private extension StateChange {
    var isIDs: Bool { if case .ids = self { true } else { false } }
}
