import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing

/// The change buffer encodes the binary changes as they are told; the writer adds the JSON
/// ones, in the order told, then the round's last ID generator state.
struct ChangeBufferTests {
    private static func entries(_ changes: [(StateChange, UInt64)]) -> [UInt8] {
        var frame = BinaryWriter()
        frame.byte(LogEntry.binaryMark)
        var logged = LogEntry.BatchRecordsLogged()
        for (change, sequence) in changes { LogEntry.encode(change, sequence: sequence, into: &frame, logged: &logged) }
        return frame.bytes
    }

    @Test func aRound_holdsBinaryEntries_thenJSONOnesInTheOrderTold_thenItsLastIDs() throws {
        let buffer = ChangeBuffer(after: 6)
        let sent = StateChange.outboxMessage(StateFormatTests.message(3), evicted: [], nextSequence: 4, dropped: 0)
        buffer.record([.tokenRemoved(name: "a"), .ids(.seeded(state: 1))])
        buffer.record(.tokenRemoved(name: "b"))
        buffer.record([.ids(.seeded(state: 2)), .tokenRemoved(name: "c"), sent])
        buffer.record(.tokenRemoved(name: "d"))
        var round = try #require(buffer.take())
        #expect(round.lastSequence == 10 && !round.rebases)
        let expected = Self.entries([
            (sent, 9),
            (.tokenRemoved(name: "a"), 7), (.tokenRemoved(name: "b"), 8), (.tokenRemoved(name: "c"), 9), (.tokenRemoved(name: "d"), 10),
            (.ids(.seeded(state: 2)), 9),
        ])
        var logged = LogEntry.BatchRecordsLogged()
        #expect(round.finishPayload(logged: &logged) == expected)
    }

    /// The frame replays as the changes told one by one: the generator's state is the last told.
    @Test func aRoundsFrame_replaysTheLastIDsTold() throws {
        let buffer = ChangeBuffer()
        buffer.record([.ids(.seeded(state: 1))])
        buffer.record([.ids(.seeded(state: 5))])
        buffer.record(.tokenRemoved(name: "x"))
        var round = try #require(buffer.take())
        var replay = StateReplay(snapshot: ["clock": ["mode": "frozen"]], values: StateValuesLists(), sequence: 0)
        var logged = LogEntry.BatchRecordsLogged()
        try round.finishPayload(logged: &logged).withUnsafeBytes { try replay.apply(frame: $0) }
        #expect(replay.lastSequence == 3)
        #expect(replay.finish().document["ids"] == IDStateJSON.encode(.seeded(state: 5)))
    }

    /// A new link told where it stands gives the bytes of the same link told as a change with
    /// the generator's state, for a plain link and one with every optional field and extras.
    @Test(arguments: [false, true])
    func aNewLink_toldInPlace_isTheFrameOfItsChanges(everything: Bool) throws {
        let link = StateFormatTests.link(4, everything: everything)
        let inPlace = ChangeBuffer(after: 2), asChanges = ChangeBuffer(after: 2)
        inPlace.record(.tokenRemoved(name: "a"))
        asChanges.record(.tokenRemoved(name: "a"))
        inPlace.recordNewLink(link, ids: .seeded(state: 9))
        asChanges.record([.link(link), .ids(.seeded(state: 9))])
        var told = try #require(inPlace.take()), expected = try #require(asChanges.take())
        #expect(told.lastSequence == 4 && expected.lastSequence == 4)
        var logged = LogEntry.BatchRecordsLogged()
        let bytes = told.finishPayload(logged: &logged)
        #expect(bytes == expected.finishPayload(logged: &logged))
        #expect(bytes == Self.entries([(.link(link), 4), (.tokenRemoved(name: "a"), 3), (.ids(.seeded(state: 9)), 4)]))
    }

    /// A change that tells nothing still takes a number, and the round covers it (its answer
    /// waits for that number to be durable); a reset or an import marks the round for a snapshot.
    @Test func emptyChanges_areCovered_andEverythingRebases() throws {
        let buffer = ChangeBuffer()
        buffer.record([])
        var round = try #require(buffer.take())
        #expect(round.lastSequence == 1 && !round.rebases)
        var logged = LogEntry.BatchRecordsLogged()
        #expect(round.finishPayload(logged: &logged) == [LogEntry.binaryMark])
        buffer.record(.everything)
        let rebase = try #require(buffer.take())
        #expect(rebase.lastSequence == 2 && rebase.rebases)
        buffer.close()
        #expect(buffer.take() == nil)
    }
}
