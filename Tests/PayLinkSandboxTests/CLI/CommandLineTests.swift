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

    /// Starts `paylink-sandbox serve` with these options and returns it with what it printed
    /// up to its first line end (the `listening on` line, or whatever it said instead).
    static func launchServe(_ binary: String, _ options: [String]) throws -> (Process, String) {
        let process = Process()
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
