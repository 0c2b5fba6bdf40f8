import Foundation
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Synchronization
import Testing
import PayLinkTestSupport
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// `serve --state-dir`: state survives restarts.
struct StateDirectoryTests {
    static func temporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/paylink-state-XXXXXX").utf8CString)
        let path = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) })
        return String(cString: path)
    }

    static func configuration(_ directory: String?, clock: ClockSettings? = nil) -> SandboxConfiguration {
        var configuration = SandboxConfiguration.testing()
        configuration.stateDirectory = directory
        if let clock { configuration.clock = clock }
        return configuration
    }

    static func stateText(_ sandbox: Sandbox) -> String { String(decoding: sandbox.service.exportState().serialized(), as: UTF8.self) }

    /// Links, orders, the outbox and the ID generator come back as they were: the restarted
    /// sandbox hands out the next ID that one never stopped would have.
    @Test func stateSurvivesARestart_andTheNextIDIsTheSameAsWithoutOne() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var before = "", afterRestart = "", uninterrupted = ""
        try await withSandbox(Self.configuration(directory)) { sandbox, aps in
            let id = try aps.createLink("kept-1", ["customer_email": "kept@example.com"])
            let paid = try HTTPTestClient(port: sandbox.port).post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4111111111111111"}"#)
            #expect(paid.status == 200)
            before = Self.stateText(sandbox)
        }
        #expect(Self.names(directory).contains { $0.hasPrefix("snapshot-") }, "\(Self.names(directory))")
        try await withSandbox(Self.configuration(directory)) { sandbox, aps in
            #expect(Self.stateText(sandbox) == before)
            #expect(sandbox.engine.link(merchant: Merchant.demo.identifier, reference: "kept-1")?.state == .paid)
            afterRestart = try aps.createLink("next-1")
        }
        try await withSandbox(Self.configuration(nil)) { sandbox, aps in
            let id = try aps.createLink("kept-1", ["customer_email": "kept@example.com"])
            _ = try HTTPTestClient(port: sandbox.port).post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4111111111111111"}"#)
            uninterrupted = try aps.createLink("next-1")
        }
        #expect(afterRestart == uninterrupted)
    }

    /// The names in the directory, for checking which files the log keeps.
    static func names(_ directory: String) -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: directory).sorted()) ?? [] }

    /// Everything the log's segments hold, as text.
    static func logText(_ directory: String) -> String {
        names(directory).filter { $0.hasSuffix(".wal") }
            .map { String(decoding: FileManager.default.contents(atPath: directory + "/" + $0) ?? Data(), as: UTF8.self) }.joined()
    }

    /// A change is in the log by the time its answer arrives: no stop, no settle.
    @Test func aChangeIsInTheLogWhenItsAnswerArrives() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox(Self.configuration(directory)) { _, aps in
            let id = try aps.createLink("live-1")
            // Links are logged in binary: the id is there as its UTF-8 bytes.
            #expect(Self.logText(directory).contains(id), "a request's change is logged before it is answered")
        }
    }

    /// What changes with no request (work done in-process, as background work does) is logged too.
    @Test func changesWithoutARequest_areLogged() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox(Self.configuration(directory)) { sandbox, _ in
            let reading = sandbox.clock.set(SandboxInstant(secondsSince1970: 2_000_000_000))
            let log = try #require(sandbox.stateLog)
            log.durable.wait(for: log.buffer.lastSequence)
            #expect(Self.logText(directory).contains(#""set","clock""#), "\(Self.logText(directory))")
            #expect(Self.logText(directory).contains(StateValues.instant(reading.now).stringValue ?? "?"))
        }
    }

    /// A wall clock the test sets: the downtime is exact, whatever the machine is doing.
    struct FixedTime: RealTimeSource {
        let instant: SandboxInstant
        func now() -> SandboxInstant { instant }
    }

    /// A running clock moves on by the downtime; a frozen one stays where it was.
    @Test(arguments: [SandboxClock.Mode.running, .frozen])
    func clockAcrossDowntime(_ mode: SandboxClock.Mode) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let shown = SandboxInstant(secondsSince1970: 1_900_000_000)
        let savedAt = SandboxInstant(secondsSince1970: 1_800_000_000)
        let config = Self.configuration(nil, clock: ClockSettings(start: shown, mode: .frozen))
        let source = SandboxService(configuration: config)
        _ = source.clock.setMode(mode)
        var state = source.exportState()
        if case .object(var clock)? = state["clock"] {
            clock["now"] = StateValues.instant(shown)
            state["clock"] = .object(clock)
        }
        let document: JSONObject = ["saved_at": StateValues.instant(savedAt), "state": .object(state)]
        try Data(document.serialized()).write(to: URL(fileURLWithPath: directory + "/state.json"))
        let twoHoursLater = StateDirectory(path: directory, realTime: FixedTime(instant: savedAt.adding(seconds: 7200)))
        let loaded = try #require(try twoHoursLater.load())
        let clock = try #require(loaded["clock"]?.objectValue)
        let expected = mode == .running ? shown.adding(seconds: 7200) : shown
        #expect(clock["now"] == StateValues.instant(expected))
        #expect(clock["mode"] == .string(mode.rawValue))
    }

    /// A saved `GET /__sandbox/state` answer can be dropped in as the file.
    @Test func aBareSnapshotIsRead() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var exported: [UInt8] = []
        try await withSandbox(Self.configuration(nil)) { sandbox, aps in
            _ = try aps.createLink("bare-1")
            exported = try HTTPTestClient(port: sandbox.port).get("/__sandbox/state").body
        }
        try Data(exported).write(to: URL(fileURLWithPath: directory + "/state.json"))
        try await withSandbox(Self.configuration(directory)) { sandbox, _ in
            #expect(sandbox.engine.link(merchant: Merchant.demo.identifier, reference: "bare-1") != nil)
        }
    }

    @Test(arguments: [
        (#"{"saved_at":"2026-01-01T00:00:00Z","state":{"state_version":1,"links":"no"}}"#, "links"),
        (#"{"saved_at":"2026-01-01T00:00:00Z","state":{"state_version":9}}"#, "state_version"),
        (#"{"saved_at":"yesterday","state":{}}"#, "saved_at"),
        (#"{"state":"#, "not valid JSON"),
        ("[]", "must be a JSON object"),
    ])
    func aBadFileRefusesTheStart_namingFileAndField_andIsLeftAlone(_ content: String, _ named: String) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/state.json"
        try Data(content.utf8).write(to: URL(fileURLWithPath: file))
        #expect {
            _ = try Sandbox.startBlocking(Self.configuration(directory))
        } throws: { error in
            let text = "\(error)"
            return error is StateDirectoryError && text.contains(file) && text.contains(named)
        }
        #expect(String(decoding: try #require(FileManager.default.contents(atPath: file)), as: UTF8.self) == content)
    }

    @Test func aDirectoryThatCannotBeCreatedIsRefused() throws {
        let parent = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: parent + "/plain-file"))
        #expect(throws: StateDirectoryError.self) {
            _ = try Sandbox.startBlocking(Self.configuration(parent + "/plain-file/state"))
        }
    }

    @Test func serve_exits74_onAnUnusableStateDirectory() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("{".utf8).write(to: URL(fileURLWithPath: directory + "/state.json"))
        let captured = CommandLineTests.Captured()
        let status = CommandLineTool.main(["paylink-sandbox", "serve", "--port", "0", "--state-dir", directory], output: captured.output)
        #expect(status == 74)
        #expect(captured.errorText.contains("--state-dir: \(directory)/state.json: not valid JSON"))
        #expect(captured.text.isEmpty, "nothing may be served")
    }

    /// Two sandboxes on one directory would overwrite each other's state: the second is refused
    /// until the first stops.
    @Test func aSecondSandboxOnTheSameDirectoryIsRefused() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox(Self.configuration(directory)) { _, _ in
            #expect {
                _ = try Sandbox.startBlocking(Self.configuration(directory))
            } throws: { error in
                "\(error)".contains("another sandbox is using this state directory")
            }
        }
        try await withSandbox(Self.configuration(directory)) { _, _ in }  // free again
    }

    /// A scenario that cannot be loaded on top of the saved state stops the start, and the
    /// directory keeps the state it had rather than what the scenario half did.
    @Test func aFailedScenarioLoad_leavesTheStateAsItWas() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var links = "", id = ""
        try await withSandbox(Self.configuration(directory)) { sandbox, aps in
            id = try aps.createLink("kept-2")
            links = String(decoding: JSONValue.array(sandbox.service.exportState()["links"]?.arrayValue ?? []).serialized(), as: UTF8.self)
        }
        let scenario = directory + "/conflict.json"
        try Data(#"""
            {"scenario_version": 1, "name": "conflict",
             "setup": {"clock": {"start": "2030-01-01T00:00:00Z", "mode": "frozen"},
                       "links": [{"name": "dup", "payment_link_id": "\#(id)", "merchant_reference": "other-ref"}]},
             "steps": []}
            """#.utf8).write(to: URL(fileURLWithPath: scenario))
        let captured = CommandLineTests.Captured()
        let status = CommandLineTool.main(["paylink-sandbox", "serve", "--port", "0", "--state-dir", directory, "--scenario", scenario],
                                          output: captured.output)
        #expect(status == 65, "\(captured.errorText)")
        try await withSandbox(Self.configuration(directory)) { sandbox, _ in
            let state = sandbox.service.exportState()
            #expect(String(decoding: JSONValue.array(state["links"]?.arrayValue ?? []).serialized(), as: UTF8.self) == links)
            #expect(sandbox.clock.now() < SandboxInstant(secondsSince1970: 1_800_000_000), "the scenario's clock (2030) was taken back")
        }
    }

    /// Control-API reads and signed CHECKs change nothing, so they are answered without a flush;
    /// a request that changes something is flushed before its answer.
    @Test func readsAreNotFlushed_changesAre() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox(Self.configuration(directory)) { sandbox, aps in
            let log = try #require(sandbox.stateLog)
            let before = log.flushCount.load(ordering: .relaxed)
            let id = try aps.createLink("r-1")
            let afterCreate = log.flushCount.load(ordering: .relaxed)
            #expect(afterCreate > before)
            let client = HTTPTestClient(port: sandbox.port)
            for _ in 0..<5 {
                _ = try client.get("/__sandbox/health")
                _ = try client.get("/__sandbox/links/\(id)")
                let check = try aps.check(id: id)
                #expect(check.code == "12000", "\(check.object)")
            }
            #expect(log.flushCount.load(ordering: .relaxed) == afterCreate)
        }
    }

    /// The command line: SIGTERM saves, a new process on the same directory has the link.
    @Test func serveBinary_keepsALinkAcrossARestart() throws {
        let binary = try #require(CommandLineTests.binaryPath(), "paylink-sandbox binary not found next to the test bundle")
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = root + "/nested/dir"
        func serve() throws -> (ChildProcess, Int) {
            let (process, text) = try CommandLineTests.launchServe(binary, ["--port", "0", "--seed", "5", "--state-dir", directory])
            let line = try #require(text.split(separator: "\n").first)
            return (process, try #require(Int(line.split(separator: ":").last ?? "")))
        }
        let (first, port) = try serve()
        defer { if first.isRunning { first.terminate() } }
        let id = try APSTestClient(port: port).createLink("cli-kept", ["request_expiry_date": "2099-01-01T00:00:00Z"])
        first.terminate()
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        let (second, secondPort) = try serve()
        defer { if second.isRunning { second.terminate() } }
        let found = try HTTPTestClient(port: secondPort).get("/__sandbox/links/\(id)")
        #expect(found.status == 200)
        second.terminate()
        second.waitUntilExit()
    }
}
