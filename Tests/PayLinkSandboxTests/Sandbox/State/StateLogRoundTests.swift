import Foundation
@testable import PayLinkSandbox
import Testing

/// What one round of the log writer (one frame) holds.
struct StateLogRoundTests {
    /// Five creates told while the writer is held land in at most two rounds (the writer may
    /// have taken the first before it stopped at the gate): the ID generator's state is written
    /// once a round, not once a create, and the replay gives the same state, generator and all.
    @Test func theIDGeneratorsState_isLoggedOncePerRound_andReplaysTheSame() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var served = ""
        try await withSandbox(StateLogTests.configuration(directory)) { sandbox, _ in
            let log = try #require(sandbox.stateLog)
            log.writeGate.wait()
            for index in 1...5 {
                // Answered once flushed; nothing waits for these answers here.
                _ = sandbox.service.handle(StateLogTests.signedCreate("round-\(index)"))
            }
            log.writeGate.signal()
            while log.durable.durable < log.buffer.lastSequence { sched_yield() }
            served = StateLogTests.text(sandbox)
        }
        let log = StateLogTests.segments(directory).map { name in
            String(decoding: FileManager.default.contents(atPath: directory + "/" + name) ?? Data(), as: UTF8.self)
        }.joined()
        #expect(log.components(separatedBy: "round-").count - 1 == 5, "every create is in the log")
        let idEntries = log.components(separatedBy: #""set","ids""#).count - 1
        #expect((1...2).contains(idEntries), "\(idEntries) entries of the ID generator for 5 creates in at most 2 rounds")
        try await withSandbox(StateLogTests.configuration(directory)) { sandbox, _ in
            #expect(StateLogTests.text(sandbox) == served)
        }
    }
}
