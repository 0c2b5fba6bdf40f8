import Foundation
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Synchronization
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport
import PayLinkTestSupport

/// The command line, in-process where it can be and as a real process for `serve`.
struct CommandLineTests {
    final class Captured: Sendable {
        let lines = Mutex<[String]>([])
        let errors = Mutex<[String]>([])
        var output: TextOutput {
            TextOutput(out: { line in self.lines.withLock { $0.append(line) } },
                       error: { line in self.errors.withLock { $0.append(line) } })
        }
        var text: String { lines.withLock { $0.joined(separator: "\n") } }
        var errorText: String { errors.withLock { $0.joined(separator: "\n") } }
    }

    @Test func version_andHelp_exitZero() {
        let captured = Captured()
        #expect(CommandLineTool.main(["paylink-sandbox", "--version"], output: captured.output) == 0)
        #expect(captured.text == "paylink-sandbox \(Sandbox.version)")
        #expect(CommandLineTool.main(["paylink-sandbox", "--help"], output: captured.output) == 0)
        #expect(captured.text.contains("paylink-sandbox serve"))
        #expect(CommandLineTool.main(["paylink-sandbox", "serve", "--help"], output: captured.output) == 0)
        #expect(CommandLineTool.main(["paylink-sandbox", "sign", "--help"], output: captured.output) == 0)
    }

    @Test func unknownCommandOrOption_exitsWithUsageError() {
        let captured = Captured()
        #expect(CommandLineTool.main(["paylink-sandbox", "launch"], output: captured.output) == 64)
        #expect(CommandLineTool.main(["paylink-sandbox", "serve", "--prot", "1"], output: captured.output) == 64)
        #expect(captured.errorText.contains("unknown option --prot"))
        #expect(CommandLineTool.main(["paylink-sandbox", "serve", "--port"], output: captured.output) == 64)
        #expect(CommandLineTool.main(["paylink-sandbox", "serve", "--port", "70000"], output: captured.output) == 64)
    }

    @Test func sign_printsTheCanonicalStringAndSignature_ofVectorV1() {
        let captured = Captured()
        let v1 = #"{"merchant_reference":"Test010","command":"PURCHASE","access_code":"SILgpo7pWbmzuURp2qri","amount":1000,"customer_email":"test@gmail.com","currency":"USD","language":"en","merchant_identifier":"MxvOupuG","signature":"94C38AFC7BDAE0114FC8C740EDF12416F22998241CE4B4EA70D5521233A2C882"}"#
        let status = SignCommand.main(["--phrase", "PASS"], output: captured.output, standardInput: { Array(v1.utf8) })
        #expect(status == 0)
        #expect(captured.text.contains("canonical string: PASSaccess_code=SILgpo7pWbmzuURp2qriamount=1000command=PURCHASEcurrency=USDcustomer_email=test@gmail.comlanguage=enmerchant_identifier=MxvOupuGmerchant_reference=Test010PASS"))
        #expect(captured.text.contains("signature: 94c38afc7bdae0114fc8c740edf12416f22998241ce4b4ea70d5521233a2c882"))
        #expect(captured.text.contains("matches"))
    }

    @Test func sign_withASignatureThatDoesNotMatch_exitsOne() {
        let v1 = #"{"merchant_reference":"Test010","command":"PURCHASE","access_code":"SILgpo7pWbmzuURp2qri","amount":1000,"customer_email":"test@gmail.com","currency":"USD","language":"en","merchant_identifier":"MxvOupuG","signature":"94C38AFC7BDAE0114FC8C740EDF12416F22998241CE4B4EA70D5521233A2C882"}"#
        let wrongInObject = v1.replacingOccurrences(of: "94C38AFC", with: "00000000")
        let captured = Captured()
        #expect(SignCommand.main(["--phrase", "PASS"], output: captured.output, standardInput: { Array(wrongInObject.utf8) }) == 1)
        #expect(captured.text.contains("does NOT match"))
        // Still prints what it computed, so the user can compare.
        #expect(captured.text.contains("signature: 94c38afc7bdae0114fc8c740edf12416f22998241ce4b4ea70d5521233a2c882"))
        // The wrong phrase: the object's own signature no longer matches.
        #expect(SignCommand.main(["--phrase", "WRONG"], output: Captured().output, standardInput: { Array(v1.utf8) }) == 1)
    }

    /// The banner names both feedback URLs and the format, so the application can be pointed at them.
    @Test func theScenarioBanner_namesBothFeedbackChannels() {
        var merchant = Merchant.demo
        merchant.directFeedbackURL = "http://127.0.0.1:9/direct"
        merchant.notificationsFormEncoded = true
        let captured = Captured()
        ScenarioBanner.print(merchants: [(merchant, "s.json", "setup.merchants[0]")], receiverURL: nil, loaded: [],
                             endpoint: "http://127.0.0.1:8080/FortAPI/paymentApi", json: false, output: captured.output)
        #expect(captured.text.contains("direct_feedback_url  http://127.0.0.1:9/direct"), "\(captured.text)")
        #expect(captured.text.contains("feedback_format      form"))
        #expect(!captured.text.contains("notification_url"))
    }

    /// A signature that is not a string is a wrong signature, not a missing one.
    @Test(arguments: ["12345", #"["a"]"#, #"{"a":1}"#, "true", "null"])
    func sign_withASignatureThatIsNotAString_exitsOne(_ signature: String) {
        let object = #"{"merchant_reference":"Test010","amount":"1000","signature":\#(signature)}"#
        let captured = Captured()
        #expect(SignCommand.main(["--phrase", "PASS"], output: captured.output, standardInput: { Array(object.utf8) }) == 1)
        #expect(captured.text.contains("does NOT match"), "\(captured.text)")
    }

    @Test func sign_signatureOption_isCheckedInsteadOfTheObjects() throws {
        let object = #"{"merchant_reference":"Test010","command":"PURCHASE","access_code":"SILgpo7pWbmzuURp2qri","amount":1000,"customer_email":"test@gmail.com","currency":"USD","language":"en","merchant_identifier":"MxvOupuG"}"#
        let right = "94c38afc7bdae0114fc8c740edf12416f22998241ce4b4ea70d5521233a2c882"
        let matching = Captured()
        #expect(SignCommand.main(["--phrase", "PASS", "--signature", right], output: matching.output, standardInput: { Array(object.utf8) }) == 0)
        #expect(matching.text.contains("given signature: \(right) matches"))
        let wrong = Captured()
        #expect(SignCommand.main(["--phrase", "PASS", "--signature", "abc"], output: wrong.output, standardInput: { Array(object.utf8) }) == 1)
        #expect(wrong.text.contains("given signature: abc does NOT match"))
        // Through the tool's entry point and a file, as a shell script would run it.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sign-\(UUID().uuidString).json")
        try Data(object.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(CommandLineTool.main(["paylink-sandbox", "sign", "--phrase", "PASS", "--signature", "abc", file.path], output: Captured().output) == 1)
        #expect(CommandLineTool.main(["paylink-sandbox", "sign", "--phrase", "PASS", "--signature", right, file.path], output: Captured().output) == 0)
    }

    @Test func sign_withEmptyValues_showsBothConventions() {
        let captured = Captured()
        let status = SignCommand.main(["--phrase", "PASS", "--sha-type", "SHA-512"], output: captured.output,
                                      standardInput: { Array(#"{"a":"1","b":""}"#.utf8) })
        #expect(status == 0)
        #expect(captured.text.contains("canonical string: PASSa=1PASS"))
        #expect(captured.text.contains("PASSa=1b=PASS"))
    }

    @Test func sign_refusesBadInputAndOptions() {
        let captured = Captured()
        #expect(SignCommand.main(["--sha-type", "MD5"], output: captured.output, standardInput: { [] }) == 64)
        #expect(SignCommand.main([], output: captured.output, standardInput: { Array("nope".utf8) }) == 65)
        #expect(SignCommand.main([], output: captured.output, standardInput: { Array("[1]".utf8) }) == 65)
        #expect(SignCommand.main(["/no/such/file.json"], output: captured.output, standardInput: { [] }) == 66)
    }

    @Test func serve_refusesABadConfig_namingTheKey() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-config-\(UUID().uuidString).json")
        try Data(#"{"clock": {"mode": "sideways"}}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let captured = Captured()
        #expect(CommandLineTool.main(["paylink-sandbox", "serve", "--config", file.path], output: captured.output) == 78)
        #expect(captured.errorText.contains("clock.mode"))
    }

    /// The real binary: prints the listening line with the real port, answers, and stops
    /// cleanly on SIGTERM.
    @Test func serveBinary_listensOnAFreePort_andStopsOnSIGTERM() throws {
        let binary = try #require(Self.binaryPath(), "paylink-sandbox binary not found next to the test bundle")
        let (process, firstLine) = try Self.launchServe(binary, ["--port", "0", "--seed", "3"])
        defer { if process.isRunning { process.terminate() } }
        let line = try #require(firstLine.split(separator: "\n").first.map(String.init))
        #expect(line.hasPrefix("listening on http://127.0.0.1:"))
        let port = try #require(Int(line.split(separator: ":").last ?? ""))
        #expect(port > 0)
        let health = try HTTPTestClient(port: port).get("/__sandbox/health")
        #expect(health.status == 200)
        let created = try APSTestClient(port: port).createLink("cli-1", ["request_expiry_date": "2099-01-01T00:00:00Z"])
        #expect(created.count == 18)
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    /// A supervisor that signals the moment it reads the listening line (as the benchmark
    /// does) must stop the server every time: the signal may not be lost in start-up.
    @Test func serveBinary_stopsOnASIGTERMSentTheMomentItListens() throws {
        let binary = try #require(Self.binaryPath(), "paylink-sandbox binary not found next to the test bundle")
        for _ in 0..<8 {
            let (process, text) = try Self.launchServe(binary, ["--port", "0"])
            #expect(text.hasPrefix("listening on "))
            process.terminate()
            #expect(eventually { !process.isRunning }, "the server ignored a SIGTERM sent right after it started listening")
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
    }

    /// The example config served on a free port hands out links to that port, with no warning;
    /// a config whose `public_url` names another local port gets one line on standard error.
    @Test func serveBinary_exampleConfigOnAFreePort_linksPointAtTheBoundPort() throws {
        let binary = try #require(Self.binaryPath(), "paylink-sandbox binary not found next to the test bundle")
        let example = Repository.file("fixtures/config.example.json").path
        let (process, firstLine, errors) = try Self.launchServeReadingErrors(binary, ["--port", "0", "--config", example])
        defer { if process.isRunning { process.terminate() } }
        let port = try #require(Int(firstLine.split(separator: ":").last?.split(separator: "\n").first ?? ""))
        let reply = try APSTestClient(port: port).send(APSTestClient.paymentLink("example-1", expiry: "2026-03-01T00:00:00Z"))
        #expect(reply["payment_link"]?.hasPrefix("http://127.0.0.1:\(port)/pay/") == true, "\(reply.object)")
        process.terminate()
        process.waitUntilExit()
        #expect(!errors().contains("warning"))

        let config = FileManager.default.temporaryDirectory.appendingPathComponent("public-url-\(UUID().uuidString).json")
        try Data(#"{"public_url": "http://127.0.0.1:8080"}"#.utf8).write(to: config)
        defer { try? FileManager.default.removeItem(at: config) }
        let (stale, _, staleErrors) = try Self.launchServeReadingErrors(binary, ["--port", "0", "--config", config.path])
        defer { if stale.isRunning { stale.terminate() } }
        stale.terminate()
        stale.waitUntilExit()
        let warnings = staleErrors().split(separator: "\n").filter { $0.hasPrefix("warning: public_url") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("names port 8080 of this machine, but the sandbox listens on port ") == true)
    }

    /// `launchServe`, with a function that reads standard error to its end (call it once the process has stopped).
    static func launchServeReadingErrors(_ binary: String, _ options: [String]) throws -> (ChildProcess, String, () -> String) {
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve"] + options
        let out = Pipe(), errors = Pipe()
        process.standardOutput = out
        process.standardError = errors
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return (process, text, { String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) })
    }

    /// Starts `paylink-sandbox serve` with these options and returns it with what it printed
    /// up to its first line end (the `listening on` line, or whatever it said instead).
    static func launchServe(_ binary: String, _ options: [String]) throws -> (ChildProcess, String) {
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve"] + options
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return (process, text)
    }

    static func binaryPath() -> String? {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [bundleDirectory.appendingPathComponent("paylink-sandbox").path]
        var dir = bundleDirectory
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("paylink-sandbox").path)
            dir = dir.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Options that cannot be honoured (unavailable, unreadable, malformed) must say so, not be ignored.
struct UnavailableOptionTests {
    @Test(arguments: [["--scenario", "x.json"], ["--state-dir", "/proc/no-such-directory/state"], ["--config", "/no/such/config.json"],
                      ["--seed", "-1"], ["--log-format", "xml"], ["--public-url", "ftp://x"]])
    func serve_refusesWithAMessage(_ options: [String]) {
        let captured = CommandLineTests.Captured()
        let status = CommandLineTool.main(["paylink-sandbox", "serve", "--port", "0"] + options, output: captured.output)
        #expect(status != 0)
        #expect(!captured.errorText.isEmpty)
        #expect(captured.text.isEmpty, "nothing may be served")
    }

}

/// `PublicURLCheck`: which `public_url`s `serve` warns about.
struct PublicURLCheckTests {
    @Test(arguments: [
        ("http://127.0.0.1:8080", "127.0.0.1", 41_000, true),
        ("http://localhost:8080/", "127.0.0.1", 41_000, true),
        ("http://[::1]:8080", "::1", 41_000, true),
        ("http://127.0.0.1", "127.0.0.1", 41_000, true),          // port 80 by default
        ("http://192.168.1.5:8080", "192.168.1.5", 41_000, true),  // the bound address itself
        ("http://127.0.0.1:41000", "127.0.0.1", 41_000, false),    // the bound port
        ("https://shop-tunnel.example", "127.0.0.1", 41_000, false), // another machine: a tunnel or a proxy
        ("http://10.0.0.2:8080", "127.0.0.1", 41_000, false),
    ])
    func warnsOnlyAboutThisMachineOnAnotherPort(_ url: String, _ host: String, _ port: Int, _ warns: Bool) {
        let warning = PublicURLCheck.warning(publicURL: url, boundHost: host, boundPort: port)
        #expect((warning != nil) == warns, "\(url)")
        if let warning { #expect(!warning.contains("\n") && warning.contains("listens on port \(port)")) }
    }

    @Test func noPublicURL_noWarning() {
        #expect(PublicURLCheck.warning(publicURL: nil, boundHost: "127.0.0.1", boundPort: 1) == nil)
    }
}
