import Foundation
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
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
        #expect(FileManager.default.fileExists(atPath: directory + "/state.json"))
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

    @Test func changesAreSavedWhileServing_notOnlyAtStop() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox(Self.configuration(directory)) { _, aps in
            let id = try aps.createLink("live-1")
            try aps.http.settle()
            let saved = FileManager.default.contents(atPath: directory + "/state.json").map { String(decoding: $0, as: UTF8.self).contains(id) } ?? false
            #expect(saved, "a request's change reaches the file while serving, without a stop")
        }
    }

    /// What changes with no request (here a reset done in-process) is caught by the idle check.
    @Test func changesWithoutARequest_areSavedByTheIdleCheck() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = SandboxService(configuration: .testing())
        var params = APSTestClient.paymentLink("idle-1")
        params["access_code"] = .string(Merchant.demo.accessCode)
        params["merchant_identifier"] = .string(Merchant.demo.identifier)
        params["signature"] = .string(Merchant.demo.signer.sign(params, phrase: Merchant.demo.requestPhrase))
        _ = service.handleInline(HTTPRequest(method: "POST", target: "/FortAPI/paymentApi", version: .http1_1,
                                       headers: ["Content-Type": "application/json"], body: params.serialized()))
        let stateDirectory = StateDirectory(path: directory)
        let ticker = ManualTicker()
        let saver = StateSaver(directory: stateDirectory, lock: try stateDirectory.prepare(), export: { service.exportState() },
                               requestCount: { service.requestCount }, report: { _ in }, idleCheckSeconds: 2, ticker: ticker)
        saver.start()
        defer { saver.stop() }
        service.engine.reset()
        func savedEmpty() -> Bool {
            FileManager.default.contents(atPath: directory + "/state.json").map { String(decoding: $0, as: UTF8.self).contains(#""links":[]"#) } ?? false
        }
        ticker.tick()
        #expect(!savedEmpty(), "one second with no request: not yet looked at")
        ticker.tick()
        #expect(savedEmpty(), "the idle check, two ticks on, finds the change")
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
    /// file keeps the state it had rather than what the scenario half did.
    @Test func aFailedScenarioLoad_leavesTheFileAsItWas() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox(Self.configuration(directory)) { _, aps in
            _ = try aps.createLink("kept-2")
        }
        let file = directory + "/state.json"
        let before = try #require(FileManager.default.contents(atPath: file))
        let scenario = directory + "/conflict.json"
        let id = try #require(String(decoding: before, as: UTF8.self).firstMatch(of: /"payment_link_id":"(\d+)"/)?.1)
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
        #expect(FileManager.default.contents(atPath: file) == before)
    }

    /// Control-API reads (a health poller) change nothing, so they do not make the file be
    /// written; a request that changes something does, within seconds.
    @Test func readsDoNotRewriteTheFile_changesDo() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/state.json"
        try await withSandbox(Self.configuration(directory)) { sandbox, aps in
            _ = try aps.createLink("r-1")
            sandbox.settle()
            #expect(FileManager.default.fileExists(atPath: file))
            let written = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date
            let client = HTTPTestClient(port: sandbox.port)
            for _ in 0..<5 {
                _ = try client.get("/__sandbox/health")
                _ = try client.get("/__sandbox/links")
                sandbox.settle()
            }
            #expect(try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date == written)
        }
    }

    /// The command line: SIGTERM saves, a new process on the same directory has the link.
    @Test func serveBinary_keepsALinkAcrossARestart() throws {
        let binary = try #require(CommandLineTests.binaryPath(), "paylink-sandbox binary not found next to the test bundle")
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = root + "/nested/dir"
        func serve() throws -> (Process, Int) {
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
