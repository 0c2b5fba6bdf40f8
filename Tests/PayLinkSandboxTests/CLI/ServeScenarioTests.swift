import Foundation
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport
import PayLinkTestSupport

/// `serve --scenario` with the real binary: a setup-only scenario whose merchant notifies
/// `${receiver.url}` loads, the banner names its merchant and its links, and the receiver
/// gets (and lists) the notifications.
struct ServeScenarioTests {
    static let merchant = #"{"merchant_identifier": "ServeMerchant", "access_code": "ServeAccess01", "sha_type": "SHA-256", "sha_request_phrase": "serve-req", "sha_response_phrase": "serve-res", "notification_url": "${receiver.url}"}"#
    static let setupOnly = #"""
    {"scenario_version": 1, "name": "served", "description": "a link waiting for the application",
     "setup": {"merchants": [\#(merchant)], "links": [{"name": "waiting", "merchant_reference": "serve-1"}, {"name": "done", "state": "Paid", "merchant_reference": "serve-2"}],
               "receiver": {"fail_first": 1}, "notifications": {"retries": 2, "retry_interval_seconds": 30}}}
    """#

    @Test func aSetupOnlyScenario_withAReceiverMerchant_isServed_andItsNotificationsReachTheReceiver() throws {
        let binary = try #require(CommandLineTests.binaryPath(), "paylink-sandbox binary not found next to the test bundle")
        let file = try Self.write(Self.setupOnly)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (process, text) = try Self.launch(binary, ["--port", "0", "--seed", "7", "--scenario", file], until: "scenario served loaded")
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        #expect(!text.contains("demo merchant"), "\(text)")
        #expect(text.contains("scenario merchant (\(file)):") && text.contains("merchant_identifier  ServeMerchant"), "\(text)")
        let receiverURL = try #require(Self.value(after: "scenario receiver: ", in: text)?.split(separator: " ").first.map(String.init))
        #expect(text.contains("notification_url     \(receiverURL)"))
        #expect(text.contains("scenario served loaded (\(file)): 2 links, 0 faults armed"))
        let waitingID = try #require(Self.value(after: "  waiting → ", in: text)?.split(separator: " ").first.map(String.init))
        #expect(text.contains("  done    → "))

        let port = try #require(Int(Self.value(after: "listening on http://127.0.0.1:", in: text) ?? ""))
        let http = HTTPTestClient(port: port)
        let link = try http.get("/__sandbox/links/\(waitingID)")
        #expect(link.status == 200 && link.text.contains(#""merchant_identifier":"ServeMerchant""#) && link.text.contains("serve-1"))
        // The demo merchant is not served in its place: only the scenario's merchant answers.
        let demo = try APSTestClient(port: port).send(APSTestClient.paymentLink("demo-1", expiry: "2099-01-01T00:00:00Z"))
        #expect(demo.code != "48000")

        // A payment notifies the receiver, which fails the first post (fail_first: 1) and takes
        // the retry 30 s later (the scenario's notification settings).
        #expect(try http.post("/__sandbox/clock", json: #"{"mode": "frozen"}"#).status == 200)
        #expect(try http.post("/__sandbox/links/\(waitingID)/pay", json: #"{"card_number": "4005550000000001"}"#).status == 200)
        #expect(try http.post("/__sandbox/settle", json: "{}").status == 200)
        let receiverPort = try #require(Int(receiverURL.split(separator: ":").last?.split(separator: "/").first ?? ""))
        let receiver = HTTPTestClient(port: receiverPort)
        let first = try #require(try JSONParser.parse(try receiver.get("/notify").body).objectValue)
        #expect(first["count"] == .number("1"))
        let delivery = try #require(first["received"]?.arrayValue?.first?.objectValue)
        #expect(delivery["answered"] == .number("500"))
        #expect(delivery["payload"]?.objectValue?["merchant_reference"] == .string("serve-1"))
        #expect(delivery["payload"]?.objectValue?["response_code"] == .string("14000"))
        #expect(try http.post("/__sandbox/clock", json: #"{"advance_seconds": 30}"#).status == 200)
        #expect(try http.post("/__sandbox/settle", json: "{}").status == 200)
        let second = try #require(try JSONParser.parse(try receiver.get("/notify").body).objectValue)
        #expect(second["count"] == .number("2"))
        #expect(second["received"]?.arrayValue?.last?.objectValue?["answered"] == .number("200"))
        #expect(try http.get("/__sandbox/deliveries").text.contains(#""state":"delivered""#))

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    /// With `--log-format json` the same facts come as JSON lines a supervisor can read.
    @Test func theBanner_inJSON_givesTheMerchantTheReceiverAndTheLinkIDs() throws {
        let binary = try #require(CommandLineTests.binaryPath(), "paylink-sandbox binary not found next to the test bundle")
        let file = try Self.write(Self.setupOnly)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (process, text) = try Self.launch(binary, ["--port", "0", "--log-format", "json", "--scenario", file], until: #""event":"scenario_loaded""#)
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        let lines = text.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)).objectValue }
        let events = lines.compactMap { $0["event"]?.stringValue }
        #expect(events == ["scenario_merchant", "scenario_receiver", "scenario_loaded"], "\(text)")
        #expect(lines[0]["merchant_identifier"] == .string("ServeMerchant"))
        #expect(lines[0]["notification_url"] == lines[1]["url"])
        let links = try #require(lines[2]["links"]?.objectValue)
        #expect(links["waiting"]?.objectValue?["payment_link_id"]?.stringValue?.count == 18)
        #expect(links["done"]?.objectValue?["payment_link_id"] != nil)
        // SIGTERM at once stops it cleanly: the receiver's thread, too, leaves the signal to
        // the thread that handles it.
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    /// Without merchants in the scenario the demo merchant stays, and its banner with it; no
    /// receiver is started when nothing refers to one.
    @Test func aScenarioWithoutMerchants_keepsTheDemoMerchant() throws {
        let binary = try #require(CommandLineTests.binaryPath(), "paylink-sandbox binary not found next to the test bundle")
        let file = try Self.write(#"{"scenario_version": 1, "name": "plain", "description": "d", "setup": {"links": [{"name": "one", "merchant_reference": "p-1"}]}}"#)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (process, text) = try Self.launch(binary, ["--port", "0", "--scenario", file], until: "scenario plain loaded")
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        #expect(text.contains("demo merchant (no --config given):"))
        #expect(!text.contains("scenario receiver") && !text.contains("scenario merchant"))
        #expect(text.contains("  one → "))
    }

    /// In process: merchants join a config file's, take the demo's place without one, and a
    /// merchant set two ways is refused naming both files.
    @Test func scenarioMerchants_replaceTheDemo_joinAConfig_andRefuseConflicts() throws {
        let scenario = try ScenarioLoader.load(Array(Self.setupOnly.utf8), file: "a.json")
        var demo = SandboxConfiguration()
        let added = try ScenarioMerchants.add(from: [scenario], to: &demo, receiverURL: "http://127.0.0.1:9999/notify")
        #expect(demo.merchants.map(\.identifier) == ["ServeMerchant"] && !demo.usesDemoMerchant)
        #expect(added.map(\.file) == ["a.json"] && demo.merchants[0].notificationURL == "http://127.0.0.1:9999/notify")

        var configured = SandboxConfiguration()
        configured.usesDemoMerchant = false
        try ScenarioMerchants.add(from: [scenario], to: &configured, receiverURL: "http://127.0.0.1:9999/notify")
        #expect(configured.merchants.map(\.identifier) == [Merchant.demo.identifier, "ServeMerchant"])

        let other = try ScenarioLoader.load(Array(Self.setupOnly.replacingOccurrences(of: "serve-res", with: "other-res").utf8), file: "b.json")
        var conflict = SandboxConfiguration()
        #expect {
            try ScenarioMerchants.add(from: [scenario, other], to: &conflict, receiverURL: "http://127.0.0.1:9999/notify")
        } throws: { error in
            (error as? ScenarioError)?.description == "b.json: setup.merchants[0]: merchant ServeMerchant is set differently in a.json"
        }
        var noReceiver = SandboxConfiguration()
        #expect(throws: ScenarioError.self) { try ScenarioMerchants.add(from: [scenario], to: &noReceiver) }
    }

    static func write(_ text: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("serve-scenario-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: file)
        return file.path
    }

    static func value(after marker: String, in text: String) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\n" })
    }

    /// Starts `serve` and returns what it printed up to the end of the line holding `marker`,
    /// or all it printed in 20 s if that line never comes.
    static func launch(_ binary: String, _ options: [String], until marker: String) throws -> (ChildProcess, String) {
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve"] + options
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        var descriptor = pollfd(fd: out.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var text = ""
        while !(text.range(of: marker).map { text[$0.upperBound...].contains("\n") } ?? false), ContinuousClock.now < deadline {
            guard poll(&descriptor, 1, 100) >= 0 else { break }
            guard descriptor.revents != 0 else { continue }
            let count = read(descriptor.fd, &buffer, buffer.count)
            guard count > 0 else { break }
            text += String(decoding: buffer[..<count], as: UTF8.self)
        }
        return (process, text)
    }
}
