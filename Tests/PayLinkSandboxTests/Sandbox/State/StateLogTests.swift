import Foundation
import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
@testable import PayLinkSandbox
import Synchronization
import Testing
@testable import PayLinkAPS
@testable import PayLinkPayByLink

/// The change log of `--state-dir`: framing, recovery, compaction, group commit.
struct StateLogTests {
    static func configuration(_ directory: String) -> SandboxConfiguration {
        var configuration = StateSnapshotTests.configuration
        configuration.stateDirectory = directory
        return configuration
    }

    static func text(_ sandbox: Sandbox) -> String { String(decoding: sandbox.service.exportState().serialized(), as: UTF8.self) }

    static func segments(_ directory: String) -> [String] { StateDirectoryTests.names(directory).filter { $0.hasSuffix(".wal") } }

    // MARK: - framing

    @Test func crc32_matchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        // Longer than one eight-byte stride, against the bytewise definition.
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        #expect(CRC32.checksum(bytes) == crc ^ 0xFFFF_FFFF)
    }

    static func frames(_ payloads: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for payload in payloads { LogFrame.append(Array(payload.utf8), to: &bytes) }
        return bytes
    }

    @Test func frames_areReadBackWhole() {
        let bytes = Self.frames(["[1]", "[2,3]"])
        let scan = LogFrame.scan(bytes)
        #expect(scan.problem == nil && scan.end == bytes.count)
        #expect(scan.frames.map { String(decoding: bytes[$0], as: UTF8.self) } == ["[1]", "[2,3]"])
    }

    @Test(arguments: [1, 5, 9, 12])
    func aCutLastFrame_isATornTail_endingAfterTheGoodOnes(_ cut: Int) {
        let good = Self.frames(["[1]"])
        let bytes = Self.frames(["[1]", "[22222]"]).dropLast(cut)
        let scan = LogFrame.scan(Array(bytes))
        guard case .tornTail? = scan.problem else { Issue.record("\(String(describing: scan.problem))"); return }
        #expect(scan.end == good.count && scan.frames.count == 1)
    }

    /// (A tail of zeros is the clean end: `StateLogZeroTailTests`.)
    @Test func aDamagedLastFrame_isATornTail() {
        var damaged = Self.frames(["[1]", "[2]"])
        damaged[damaged.count - 1] ^= 0xFF
        let scan = LogFrame.scan(damaged)
        guard case .tornTail? = scan.problem else { Issue.record("damaged last frame"); return }
        #expect(scan.frames.count == 1)
    }

    @Test func aDamagedFrameWithDataAfterIt_isCorruption_atItsOffset() {
        var bytes = Self.frames(["[1]", "[2]", "[3]"])
        let second = Self.frames(["[1]"]).count
        bytes[second + LogFrame.headerSize] ^= 0x01
        #expect(LogFrame.scan(bytes).problem == .corrupt(offset: second, reason: "checksum mismatch"))
    }

    // MARK: - recovery

    /// Links in every state, orders with captures and refunds, the outbox, deliveries, a
    /// PayByLink request and the clock: what the log replays is the state that was served,
    /// byte for byte (no export at stop: the log alone carries it).
    @Test func replay_givesTheStateThatWasServed() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var served = ""
        try await withSandbox(Self.configuration(directory)) { sandbox, aps in
            try await StateSnapshotTests().populate(sandbox, aps)
            _ = try PayByLinkTestClient(port: sandbox.port).create("log-1")
            served = Self.text(sandbox)
        }
        try await withSandbox(Self.configuration(directory)) { sandbox, _ in
            #expect(Self.text(sandbox) == served)
        }
    }

    /// A batch processed in chunks logs each chunk's new result lines, not all so far again,
    /// and the replay puts them back together in order.
    @Test func aBatchLogsEachChunksRecordsOnce_andReplaysWhole() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lines = (1...2_500).map { "chunk-\($0),\($0 % 7 == 0 ? "abc" : "1000"),SAR,c@example.com,2026-03-01T00:00:00Z,NONE" }
        let file = APSBatchTests.header + "\n" + lines.joined(separator: "\n") + "\n"
        var served = ""
        try await withSandbox(Self.configuration(directory)) { sandbox, aps in
            let batches = APSBatchTests()
            #expect(try batches.upload(aps, file: file).code == "50000")
            _ = try batches.settledResults(aps, ["76000"])
            #expect(try batches.batchAPI(aps, "PROCESS_BATCH").code == "72147")
            let results = try batches.settledResults(aps, ["70000"])
            #expect(results["transactions_count"] == "2500")
            served = Self.text(sandbox)
        }
        // The first line's result is logged once, as JSON (its link once more, in binary, so
        // not quoted); every chunk of 1,000 lines rewriting all results so far would log it
        // three times.
        let log = Self.segments(directory).map { name in
            String(decoding: FileManager.default.contents(atPath: directory + "/" + name) ?? Data(), as: UTF8.self)
        }.joined()
        #expect(log.components(separatedBy: #""chunk-1""#).count - 1 == 1)
        try await withSandbox(Self.configuration(directory)) { sandbox, _ in
            #expect(Self.text(sandbox) == served)
        }
    }

    @Test func aTornLastRecord_isCutOffAndReported_andTheStartGoesOn() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var served = ""
        try await withSandbox(Self.configuration(directory)) { sandbox, aps in
            _ = try aps.createLink("torn-1")
            served = Self.text(sandbox)
        }
        let segment = directory + "/" + (try #require(Self.segments(directory).last))
        let handle = try #require(FileHandle(forWritingAtPath: segment))
        handle.seekToEndOfFile()
        handle.write(Data(Self.frames(["[[99,\"put\",\"links\",\"x\",{}]]"]).dropLast(3)))
        handle.closeFile()
        let length = try #require(try FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int)
        let reports = Mutex<[String]>([])
        let sandbox = try Sandbox.startBlocking(Self.configuration(directory), report: { line in reports.withLock { $0.append(line) } })
        #expect(Self.text(sandbox) == served)
        await sandbox.stop()
        #expect(reports.withLock { $0 }.contains { $0.contains(segment) && $0.contains("torn") })
        let cut = try #require(try FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int)
        #expect(cut < length)
    }

    @Test func aCorruptRecordInTheMiddle_stopsTheStart_namingTheFileAndOffset() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox(Self.configuration(directory)) { _, aps in
            _ = try aps.createLink("c-1")
            _ = try aps.createLink("c-2")
        }
        let segment = directory + "/" + (try #require(Self.segments(directory).last))
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: segment)))
        let scan = LogFrame.scan(bytes)
        #expect(scan.frames.count >= 2)
        bytes[scan.frames[0].lowerBound + 2] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        #expect {
            _ = try Sandbox.startBlocking(Self.configuration(directory))
        } throws: { error in
            "\(error)".contains(segment) && "\(error)".contains("offset 0")
        }
    }

    /// Temporaries of an interrupted write (an earlier version's `state.json.tmp-PID`, a
    /// snapshot being written) are removed at the next start.
    @Test func leftoversOfAnInterruptedWrite_areRemovedAtStart() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["state.json.tmp-4242", StateFiles.snapshotName(7) + ".tmp-99"] {
            try Data("half".utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        try await withSandbox(Self.configuration(directory)) { _, _ in
            #expect(!StateDirectoryTests.names(directory).contains { $0.contains(".tmp") })
        }
    }

    /// An earlier version's `state.json` is read, written as the first snapshot, and removed.
    @Test func anEarlierVersionsFile_isMigrated() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var exported: [UInt8] = []
        try await withSandbox(StateSnapshotTests.configuration) { sandbox, aps in
            _ = try aps.createLink("old-1")
            exported = sandbox.service.exportState().serialized()
        }
        try Data(exported).write(to: URL(fileURLWithPath: directory + "/state.json"))
        try await withSandbox(Self.configuration(directory)) { sandbox, _ in
            #expect(sandbox.engine.link(merchant: Merchant.demo.identifier, reference: "old-1") != nil)
        }
        #expect(!StateDirectoryTests.names(directory).contains("state.json"))
        try await withSandbox(Self.configuration(directory)) { sandbox, _ in
            #expect(sandbox.engine.link(merchant: Merchant.demo.identifier, reference: "old-1") != nil)
        }
    }

    // MARK: - compaction and snapshots

    /// With a tiny threshold every round compacts: snapshots replace the older segments, and
    /// nothing is lost along the way.
    @Test func compaction_keepsEverything_andRemovesWhatItReplaces() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = Self.configuration(directory)
        configuration.stateCompactionBytes = 1
        var served = ""
        try await withSandbox(configuration) { sandbox, aps in
            for index in 0..<30 { _ = try aps.createLink("k-\(index)") }
            let log = try #require(sandbox.stateLog)
            log.waitForCompaction()
            #expect(log.snapshotCount.load(ordering: .relaxed) > 1)
            served = Self.text(sandbox)
        }
        let names = StateDirectoryTests.names(directory)
        #expect(names.filter { $0.hasPrefix("snapshot-") }.count == 1, "\(names)")
        #expect(names.filter { $0.hasSuffix(".wal") }.count <= 2, "\(names)")
        try await withSandbox(configuration) { sandbox, _ in
            #expect(Self.text(sandbox) == served)
        }
    }

    /// A binary snapshot keeps orders made without a link (with their request fields) and
    /// saved cards, as the log does.
    @Test func aCompactedSnapshot_keepsCheckoutOrdersAndTokens() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = Self.configuration(directory)
        configuration.stateCompactionBytes = 1
        var served = ""
        try await withSandbox(configuration) { sandbox, aps in
            try await StateSnapshotTests().populate(sandbox, aps)
            _ = try aps.createLink("after-populate")
            let log = try #require(sandbox.stateLog)
            log.waitForCompaction()
            served = Self.text(sandbox)
        }
        try await withSandbox(configuration) { sandbox, _ in
            #expect(Self.text(sandbox) == served)
            #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "s-checkout")?.requestFields["language"] == "ar")
            #expect(sandbox.service.state.tokens.token(named: "s-token", merchant: Merchant.demo.identifier)?.expiryDate == "3105")
        }
    }

    /// `PUT /__sandbox/state` and a reset are written as a new snapshot before they are answered.
    @Test func anImportAndAReset_areWrittenAsSnapshots() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var imported = ""
        try await withSandbox(Self.configuration(directory)) { sandbox, aps in
            let log = try #require(sandbox.stateLog)
            _ = try aps.createLink("i-1")
            let snapshot = sandbox.service.exportState().serialized()
            _ = try aps.createLink("i-2")
            let before = log.snapshotCount.load(ordering: .relaxed)
            let put = try HTTPTestClient(port: sandbox.port).request("PUT", "/__sandbox/state", body: snapshot)
            #expect(put.status == 200)
            #expect(log.snapshotCount.load(ordering: .relaxed) == before + 1)
            imported = Self.text(sandbox)
        }
        try await withSandbox(Self.configuration(directory)) { sandbox, aps in
            #expect(Self.text(sandbox) == imported)
            #expect(sandbox.engine.link(merchant: Merchant.demo.identifier, reference: "i-2") == nil)
            let reset = try aps.http.post("/__sandbox/reset", json: "{}")
            #expect(reset.status == 200)
        }
        try await withSandbox(Self.configuration(directory)) { sandbox, _ in
            #expect(sandbox.engine.links().isEmpty)
        }
    }

    // MARK: - group commit

    static func signedCreate(_ reference: String) -> HTTPRequest { signed(APSTestClient.paymentLink(reference)) }

    static func signed(_ fields: JSONObject) -> HTTPRequest {
        var params = fields
        params["access_code"] = .string(Merchant.demo.accessCode)
        params["merchant_identifier"] = .string(Merchant.demo.identifier)
        params["signature"] = .string(Merchant.demo.signer.sign(params, phrase: Merchant.demo.requestPhrase))
        return HTTPRequest(method: "POST", target: "/FortAPI/paymentApi", headers: ["Content-Type": "application/json"], body: params.serialized())
    }

    /// With nothing flushed (no writer runs: the sink is stuck), a change is deferred and a
    /// read is answered at once.
    @Test func anAnswerThatChangedTheState_isDeferred_aReadIsNot() throws {
        var configuration = SandboxConfiguration.testing()
        configuration.stateDirectory = "/nonexistent/never-opened"
        let service = SandboxService(configuration: configuration)
        let changes = try #require(service.changes)
        let held = service.handle(Self.signedCreate("g-1"))
        guard case .deferred = held.transmission else { Issue.record("a create was answered before its flush"); return }
        #expect(changes.lastSequence > 0)
        let before = changes.lastSequence
        let read = service.handle(Self.signed(["query_command": "CHECK_PAYMENT_LINK_STATUS", "merchant_reference": "g-1"]))
        #expect(read.transmission == .normal, "a read waits for nothing")
        #expect(String(decoding: read.body, as: UTF8.self).contains("12000"))
        #expect(changes.lastSequence == before)
    }

    /// Over a socket: while the writer is held, a create's change is made but its answer does
    /// not leave; once the writer goes on, one flush answers it.
    @Test func aCreateIsAnsweredOnlyAfterItsFlush() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox(Self.configuration(directory)) { sandbox, aps in
            let log = try #require(sandbox.stateLog)
            let before = log.buffer.lastSequence
            let flushes = log.flushCount.load(ordering: .relaxed)
            log.writeGate.wait()
            let answered = Atomic<Bool>(false)
            let done = DispatchSemaphore(value: 0)
            let code = Mutex<String?>(nil)
            DispatchQueue.global().async {
                let reply = try? aps.send(APSTestClient.paymentLink("held-1"))
                code.withLock { $0 = reply?.code }
                answered.store(true, ordering: .releasing)
                done.signal()
            }
            // The change is made (told to the log) before the answer could go.
            while log.buffer.lastSequence == before { sched_yield() }
            #expect(log.durable.durable < log.buffer.lastSequence)
            let answeredEarly = answered.load(ordering: .acquiring)
            #expect(!answeredEarly, "answered before the flush")
            log.writeGate.signal()
            done.wait()
            #expect(code.withLock { $0 } == "48000")
            #expect(log.flushCount.load(ordering: .relaxed) > flushes)
        }
    }

    /// The flush of a create held (the gate closed once its record is written): the create's
    /// answer waits, while a signed CHECK on another connection is answered meanwhile; the
    /// flush's end releases the create's answer.
    @Test func aHeldFlushHoldsTheChangesAnswer_whileAReadOnAnotherConnectionIsAnswered() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox(Self.configuration(directory)) { sandbox, aps in
            let log = try #require(sandbox.stateLog)
            let id = try aps.createLink("before-the-hold")
            log.flushGate.close()
            let answered = Atomic<Bool>(false)
            let done = DispatchSemaphore(value: 0)
            let code = Mutex<String?>(nil)
            DispatchQueue.global().async {
                let reply = try? aps.send(APSTestClient.paymentLink("held-by-the-flush"))
                code.withLock { $0 = reply?.code }
                answered.store(true, ordering: .releasing)
                done.signal()
            }
            // The create's record is written and its flush waits at the gate.
            while log.flushGate.waitingCount == 0 { sched_yield() }
            let check = try aps.check(id: id)
            #expect(check.code == "12000", "\(check.object)")
            #expect(log.durable.durable < log.buffer.lastSequence)
            let answeredEarly = answered.load(ordering: .acquiring)
            #expect(!answeredEarly, "the create was answered before its flush")
            log.flushGate.open()
            done.wait()
            #expect(code.withLock { $0 } == "48000")
            #expect(log.durable.durable == log.buffer.lastSequence)
        }
    }
}
