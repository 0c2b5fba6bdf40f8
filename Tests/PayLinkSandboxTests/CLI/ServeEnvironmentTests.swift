import Foundation
import PayLinkHTTP
import PayLinkCore
@testable import PayLinkSandbox
import Testing
@testable import PayLinkCLI
@testable import PayLinkSupport
import PayLinkTestSupport

/// `PAYLINK_*` variables as `serve` options: each applies, a flag wins, bad values are refused
/// naming the variable. The environment is handed in, so nothing here touches the real one.
struct ServeEnvironmentTests {
    typealias Captured = CommandLineTests.Captured

    func configure(_ arguments: [String], _ environment: [String: String]) throws -> SandboxConfiguration {
        let parsed = try ArgumentParser.parse(arguments, valued: ["host", "port", "config", "scenario", "state-dir", "public-url", "seed"], flags: [])
        return try ServeCommand.configure(ServeEnvironment.apply(environment, to: parsed)).0
    }

    @Test func eachVariable_setsItsOption() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("env-config-\(UUID().uuidString).json")
        try Data(#"{"merchants": [{"merchant_identifier": "EnvShop", "access_code": "envaccess", "sha_request_phrase": "in", "sha_response_phrase": "out"}]}"#.utf8)
            .write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let environment = [
            "PAYLINK_HOST": "0.0.0.0", "PAYLINK_PORT": "9123", "PAYLINK_CONFIG": file.path, "PAYLINK_STATE_DIR": "/tmp/paylink-env-state",
            "PAYLINK_PUBLIC_URL": "https://sbcheckout.payfort.com/", "PAYLINK_SEED": "42",
            "PAYLINK_SCENARIOS": "scenarios/a.json, scenarios/b.json,,",
        ]
        let configuration = try configure([], environment)
        #expect(configuration.server.host == "0.0.0.0")
        #expect(configuration.server.port == 9123)
        #expect(configuration.merchants.map(\.identifier) == ["EnvShop"])
        #expect(configuration.stateDirectory == "/tmp/paylink-env-state")
        #expect(configuration.publicURL == "https://sbcheckout.payfort.com")
        #expect(configuration.seed == 42)
        let parsed = ServeEnvironment.apply(environment, to: ParsedArguments())
        #expect(parsed.values("scenario") == ["scenarios/a.json", "scenarios/b.json"])
        #expect(parsed.source("scenario") == "PAYLINK_SCENARIOS")
    }

    @Test func aFlag_winsOverItsVariable() throws {
        let environment = ["PAYLINK_HOST": "0.0.0.0", "PAYLINK_PORT": "9123", "PAYLINK_SEED": "42", "PAYLINK_PUBLIC_URL": "http://env.example",
                           "PAYLINK_SCENARIOS": "env.json", "PAYLINK_STATE_DIR": "/tmp/from-env"]
        let configuration = try configure(["--host", "127.0.0.1", "--port", "0", "--seed", "7", "--public-url", "http://flag.example",
                                           "--state-dir", "/tmp/from-flag"], environment)
        #expect(configuration.server.host == "127.0.0.1")
        #expect(configuration.server.port == 0)
        #expect(configuration.seed == 7)
        #expect(configuration.publicURL == "http://flag.example")
        #expect(configuration.stateDirectory == "/tmp/from-flag")
        // --scenario replaces the whole list, it does not add to it.
        let parsed = ServeEnvironment.apply(environment, to: try ArgumentParser.parse(["--scenario", "flag.json"], valued: ["scenario"], flags: []))
        #expect(parsed.values("scenario") == ["flag.json"])
        // A variable fills only what the flags left out.
        #expect(try configure(["--host", "127.0.0.1"], environment).server.port == 9123)
    }

    @Test func anEmptyVariable_countsAsUnset() throws {
        let configuration = try configure([], ["PAYLINK_PORT": "", "PAYLINK_SEED": "", "PAYLINK_STATE_DIR": ""])
        #expect(configuration.server.port == 8080)
        #expect(configuration.seed == nil)
        #expect(configuration.stateDirectory == nil)
    }

    @Test(arguments: [
        ("PAYLINK_PORT", "http"), ("PAYLINK_PORT", "70000"), ("PAYLINK_SEED", "-1"), ("PAYLINK_SEED", "seven"),
        ("PAYLINK_PUBLIC_URL", "ftp://files.example"), ("PAYLINK_HOST", "local host"), ("PAYLINK_CONFIG", "/no/such/config.json"),
        ("PAYLINK_SCENARIOS", "/no/such/scenario.json"), ("PAYLINK_STATE_DIR", "/proc/no-such-directory/state"),
    ])
    func aBadValue_isRefused_namingTheVariable(_ variable: String, _ value: String) {
        let captured = Captured()
        let status = CommandLineTool.main(["paylink-sandbox", "serve"], environment: ["PAYLINK_PORT": "0"].merging([variable: value]) { $1 }, output: captured.output)
        #expect(status != 0)
        #expect(captured.errorText.contains(variable), "\(captured.errorText)")
        #expect(!captured.errorText.contains("\n"), "one line: \(captured.errorText)")
        #expect(captured.text.isEmpty, "nothing may be served")
    }

    @Test func aBadFileNamedByPAYLINK_CONFIG_saysTheVariableChoseIt() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("env-bad-config-\(UUID().uuidString).json")
        try Data(#"{"clock": {"mode": "sideways"}}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let captured = Captured()
        #expect(CommandLineTool.main(["paylink-sandbox", "serve"], environment: ["PAYLINK_CONFIG": file.path], output: captured.output) == 78)
        #expect(captured.errorText.hasPrefix("paylink-sandbox serve: config: clock.mode: "), "\(captured.errorText)")
        #expect(captured.errorText.hasSuffix(" (in \(file.path), from PAYLINK_CONFIG)"), "\(captured.errorText)")
    }

    /// The entry point hands the process environment in: the real binary started with only
    /// variables listens where they say and loads the scenario they name.
    @Test func theBinary_readsItsEnvironment() throws {
        let binary = try #require(CommandLineTests.binaryPath(), "paylink-sandbox binary not found next to the test bundle")
        let scenario = Repository.file("scenarios/decline-then-successful-retry.json").path
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve"]
        process.environment = ["PAYLINK_PORT": "0", "PAYLINK_SEED": "5", "PAYLINK_SCENARIOS": scenario]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var text = ""
        while !text.contains("listening on ") || !text.hasSuffix("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("listening on ") })
        let port = try #require(Int(line.split(separator: ":").last ?? ""))
        #expect(port != 8080)
        let captured = Captured()
        #expect(CommandLineTool.main(["paylink-sandbox", "healthcheck"], environment: ["PAYLINK_PORT": String(port)], output: captured.output) == 0)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}

/// `paylink-sandbox healthcheck`: 0 for a sandbox that answers ok, 1 with one line otherwise.
struct HealthcheckCommandTests {
    typealias Captured = CommandLineTests.Captured

    @Test func aRunningSandbox_isHealthy_byURLOrByEnvironment() async throws {
        try await withSandbox { sandbox, _ in
            let byURL = Captured()
            #expect(CommandLineTool.main(["paylink-sandbox", "healthcheck", "--url", sandbox.baseURL + "/"], output: byURL.output) == 0)
            #expect(byURL.text == "ok: \(sandbox.baseURL)/__sandbox/health")
            let byEnvironment = Captured()
            let environment = ["PAYLINK_HOST": "0.0.0.0", "PAYLINK_PORT": String(sandbox.port)]
            #expect(CommandLineTool.main(["paylink-sandbox", "healthcheck"], environment: environment, output: byEnvironment.output) == 0)
            #expect(byEnvironment.errorText.isEmpty)
        }
    }

    /// A port held bound but not listening: connecting is refused, and no other test can take
    /// the port meanwhile (as it could one just closed).
    @Test func aClosedPort_isUnhealthy_withOneLineSayingWhy() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let captured = Captured()
        #expect(CommandLineTool.main(["paylink-sandbox", "healthcheck", "--url", "http://127.0.0.1:\(port)"], output: captured.output) == 1)
        #expect(captured.errorText == "unhealthy: http://127.0.0.1:\(port)/__sandbox/health: connection refused (errno 111) connecting to 127.0.0.1:\(port)")
    }

    /// Something else on the port (here a receiver that answers JSON without `status`, then one that fails).
    @Test func anotherServer_isUnhealthy() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, handler: ScenarioReceiver(failures: 0))
        let port = try server.start()
        defer { server.stop() }
        let captured = Captured()
        #expect(CommandLineTool.main(["paylink-sandbox", "healthcheck", "--url", "http://127.0.0.1:\(port)"], output: captured.output) == 1)
        #expect(captured.errorText.hasSuffix(#"status is missing, not "ok""#), "\(captured.errorText)")
        #expect(HealthcheckCommand.problem(.response(.init(status: 503, headers: [], body: []))) == "answered HTTP 503")
        #expect(HealthcheckCommand.problem(.timeout) == "no answer in time")
    }

    @Test func theDefaultAddress_followsServesEnvironment() throws {
        #expect(try HealthcheckCommand.defaultURL([:]) == "http://127.0.0.1:8080")
        #expect(try HealthcheckCommand.defaultURL(["PAYLINK_HOST": "0.0.0.0", "PAYLINK_PORT": "9000"]) == "http://127.0.0.1:9000")
        #expect(try HealthcheckCommand.defaultURL(["PAYLINK_HOST": "::"]) == "http://[::1]:8080")
        #expect(try HealthcheckCommand.defaultURL(["PAYLINK_HOST": "sandbox", "PAYLINK_PORT": ""]) == "http://sandbox:8080")
        let captured = Captured()
        #expect(CommandLineTool.main(["paylink-sandbox", "healthcheck"], environment: ["PAYLINK_PORT": "0"], output: captured.output) == 64)
        #expect(captured.errorText.contains("PAYLINK_PORT"))
        #expect(CommandLineTool.main(["paylink-sandbox", "healthcheck", "--url", "ftp://x"], output: captured.output) == 64)
    }
}
