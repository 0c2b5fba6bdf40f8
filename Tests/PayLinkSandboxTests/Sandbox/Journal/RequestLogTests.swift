import Foundation
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Synchronization
import Testing
@testable import PayLinkCLI
import PayLinkTestSupport

/// `serve`'s line per request: what it says, in both formats, for every surface, and `--quiet`.
struct RequestLogTests {
    final class Lines: Sendable {
        let text = Mutex("")
        var lines: [String] { text.withLock { $0.split(separator: "\n").map(String.init) } }
        func log(_ format: RequestLog.Format) -> RequestLog {
            RequestLog(format: format) { bytes in self.text.withLock { $0 += String(decoding: bytes, as: UTF8.self) } }
        }
    }

    static func line(_ path: String) -> RequestLog.Line {
        RequestLog.Line(method: "GET", path: path, surface: .control, command: nil, status: 200, responseCode: nil, microseconds: 52)
    }

    /// The log's thread writes what was recorded without a `flush`, in order.
    @Test func recordedLines_areWrittenByTheLogsThread_inOrder() {
        let written = Mutex<[String]>([])
        let wrote = DispatchSemaphore(value: 0)
        let log = RequestLog(format: .text) { bytes in
            written.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) }
            wrote.signal()
        }
        for index in 0..<3 { log.record(Self.line("/\(index)")) }
        // One write, unless the machine stalled this thread past the log's delay between two lines.
        while written.withLock({ $0.joined() }).count < 3 * 32 { wrote.wait() }
        #expect(written.withLock { $0.joined() } == "GET /0 control - 200 - 0.052 ms\nGET /1 control - 200 - 0.052 ms\nGET /2 control - 200 - 0.052 ms\n")
        // Idle since, the thread is woken again by the next line.
        log.record(Self.line("/3"))
        wrote.wait()
        #expect(written.withLock { $0.last } == "GET /3 control - 200 - 0.052 ms\n")
    }

    /// When the log ends (the sandbox is done with it), what was recorded is written first.
    @Test func theLogsEnd_writesWhatIsLeft() {
        let captured = Lines()
        do {
            let log = captured.log(.json)
            log.record(Self.line("/last"))
        }
        #expect(captured.lines.count == 1)
        #expect(captured.lines.first?.contains(#""path":"/last""#) == true)
    }

    @Test func textLines_sayMethodPathSurfaceCommandStatusCodeAndTime() async throws {
        let captured = Lines()
        var configuration = SandboxConfiguration.testing()
        let log = captured.log(.text)
        configuration.requestLog = log
        try await withSandbox(configuration) { _, aps in
            let id = try aps.createLink("log-1")
            _ = try aps.check(id: id)
            _ = try aps.sendRaw("{not json")
            _ = try aps.http.get("/__sandbox/health")
            _ = try aps.http.get("/nowhere")
            log.flush()
            let lines = captured.lines
            #expect(lines.count == 5, "\(lines)")
            let pattern = #/^(\S+) (\S+) (\S+) (\S+) (\d{3}) (\S+) \d+\.\d{3} ms$/#
            let fields = lines.compactMap { try? pattern.wholeMatch(in: $0) }.map { [$0.1, $0.2, $0.3, $0.4, $0.5, $0.6].map(String.init) }
            #expect(fields.count == 5, "\(lines)")
            guard fields.count == 5 else { return }
            #expect(fields[0] == ["POST", "/FortAPI/paymentApi", "aps", "PAYMENT_LINK", "200", "48000"])
            #expect(fields[1] == ["POST", "/FortAPI/paymentApi", "aps", "CHECK_PAYMENT_LINK_STATUS", "200", "12000"])
            #expect(fields[2] == ["POST", "/FortAPI/paymentApi", "aps", "-", "200", "00073"])
            #expect(fields[3] == ["GET", "/__sandbox/health", "control", "-", "200", "-"])
            #expect(fields[4] == ["GET", "/nowhere", "other", "-", "404", "-"])
        }
    }

    @Test func refusedCommand_isLoggedAsSent_withItsCode() async throws {
        let captured = Lines()
        var configuration = SandboxConfiguration.testing()
        let log = captured.log(.text)
        configuration.requestLog = log
        try await withSandbox(configuration) { _, aps in
            _ = try aps.send(["query_command": "CHECK_PAYMENT_LINK_STATUS", "merchant_reference": "none", "signature": "0badc0de"])
            log.flush()
            #expect(captured.lines.first?.hasPrefix("POST /FortAPI/paymentApi aps CHECK_PAYMENT_LINK_STATUS 200 00008 ") == true, "\(captured.lines)")
        }
    }

    /// A fault that forces the code: the line says the code the client was sent.
    @Test func forcedCode_isLoggedAsSent() async throws {
        let captured = Lines()
        var configuration = SandboxConfiguration.testing()
        let log = captured.log(.text)
        configuration.requestLog = log
        try await withSandbox(configuration) { _, aps in
            _ = try aps.http.post("/__sandbox/faults", json: #"{"type":"response_code","response_code":"00006"}"#)
            let reply = try aps.send(APSTestClient.paymentLink("log-fault"))
            #expect(reply["response_code"] == "00006")
            log.flush()
            #expect(captured.lines.last?.hasPrefix("POST /FortAPI/paymentApi aps - 200 00006 ") == true, "\(captured.lines)")
        }
    }

    @Test func jsonLines_areOneObjectEach() async throws {
        let captured = Lines()
        var configuration = SandboxConfiguration.testing()
        let log = captured.log(.json)
        configuration.requestLog = log
        try await withSandbox(configuration) { _, aps in
            _ = try aps.createLink("log-json")
            _ = try aps.http.get("/__sandbox/health")
            log.flush()
            let objects = try captured.lines.map { try #require(try JSONParser.parse($0).objectValue) }
            #expect(objects.count == 2)
            guard objects.count == 2 else { return }
            #expect(objects[0].keys == ["event", "method", "path", "surface", "command", "status", "response_code", "ms"])
            #expect(objects[0]["event"] == "request" && objects[0]["command"] == "PAYMENT_LINK" && objects[0]["response_code"] == "48000")
            #expect(objects[0]["status"] == .number("200") && objects[0]["surface"] == "aps")
            #expect(objects[1]["command"] == .null && objects[1]["response_code"] == .null && objects[1]["surface"] == "control")
            if case .number(let ms)? = objects[1]["ms"] { #expect(Double(ms) != nil) } else { Issue.record("ms is not a number") }
        }
    }

    @Test func milliseconds_haveThreeDecimals() {
        let line = RequestLog.Line(method: "GET", path: "/p", surface: .other, command: nil, status: 404, responseCode: nil, microseconds: 12_345)
        #expect(String(decoding: RequestLog.text(line), as: UTF8.self) == "GET /p other - 404 - 12.345 ms\n")
        var quick = line
        quick.microseconds = 52
        #expect(String(decoding: RequestLog.text(quick), as: UTF8.self) == "GET /p other - 404 - 0.052 ms\n")
    }

    /// Every part of a text line, long ones and numbers of every size included.
    @Test func textLines_carryEveryPart() {
        let path = "/FortAPI/" + String(repeating: "é", count: 300)
        let line = RequestLog.Line(method: "POST", path: path, surface: .aps, command: "CHECK_PAYMENT_LINK_STATUS", status: 200,
                                   responseCode: "12000", microseconds: 9_876_543_210)
        #expect(String(decoding: RequestLog.text(line), as: UTF8.self)
            == "POST \(path) aps CHECK_PAYMENT_LINK_STATUS 200 12000 9876543.210 ms\n")
        var zero = line
        zero.microseconds = -5
        zero.status = 0
        #expect(String(decoding: RequestLog.text(zero), as: UTF8.self).hasSuffix(" 0 12000 0.000 ms\n"))
    }

    /// The surface is written from a literal per case and a status of three digits in place:
    /// the same text as the surface's raw value and the status in decimal, other statuses too.
    @Test func textLines_writeEverySurfaceAndStatus() {
        let surfaces: [Surface] = [.aps, .hostedPage, .payByLink, .dashboard, .control, .other]
        for surface in surfaces {
            #expect(RequestLog.text(of: surface).description == surface.rawValue)
            for status in [0, 7, 99, 100, 200, 404, 999, 1000, 12_345, -3] {
                let line = RequestLog.Line(method: "GET", path: "/p", surface: surface, command: nil, status: status, responseCode: nil, microseconds: 1)
                #expect(String(decoding: RequestLog.text(line), as: UTF8.self) == "GET /p \(surface.rawValue) - \(status) - 0.001 ms\n")
            }
        }
    }

    /// The server records a line from its parts: in both formats the same bytes as from a `Line`.
    @Test(arguments: [RequestLog.Format.text, .json])
    func recordedParts_writeTheSameLineAsALine(format: RequestLog.Format) {
        let lines = [
            RequestLog.Line(method: "POST", path: "/FortAPI/paymentApi", surface: .aps, command: "CHECK_PAYMENT_LINK_STATUS", status: 200,
                            responseCode: "12000", microseconds: 52),
            RequestLog.Line(method: "GET", path: "/pay/" + String(repeating: "é", count: 40), surface: .hostedPage, command: nil, status: 404,
                            responseCode: nil, microseconds: 12_345),
            RequestLog.Line(method: "POST", path: "/FortAPI/paymentApi", surface: .aps, command: nil, status: 400,
                            responseCode: "00016", microseconds: -1),
        ]
        let written = Lines()
        let log = written.log(format)
        for line in lines {
            log.record(method: line.method, path: line.path, surface: line.surface, command: line.command, status: line.status,
                       responseCode: line.responseCode, microseconds: line.microseconds)
        }
        log.flush()
        let expected = lines.map { String(decoding: format == .text ? RequestLog.text($0) : RequestLog.json($0), as: UTF8.self) }
        #expect(written.text.withLock { $0 } == expected.joined())
    }

    @Test func responseCodeScan_findsTheMember_notAnEscapedLookalike() {
        #expect(APSResponseCodeScan.code(in: Array(#"{"a":"\"response_code\":\"x","response_code":"12000"}"#.utf8)) == "12000")
        #expect(APSResponseCodeScan.code(in: Array(#"{"status":"12"}"#.utf8)) == nil)
        #expect(APSResponseCodeScan.code(in: Array(#"{"response_code":"120"#.utf8)) == nil)
        #expect(APSResponseCodeScan.code(in: []) == nil)
    }

    /// The binary logs a line per request on standard output, and none with `--quiet`.
    @Test(arguments: [false, true])
    func serveBinary_logsEachRequest_unlessQuiet(_ quiet: Bool) throws {
        let binary = try #require(CommandLineTests.binaryPath(), "paylink-sandbox binary not found next to the test bundle")
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--port", "0", "--config", Repository.file("fixtures/config.example.json").path] + (quiet ? ["--quiet"] : [])
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let port = try #require(Int(text.split(separator: ":").last?.split(separator: "\n").first ?? ""))
        #expect(try HTTPTestClient(port: port).get("/__sandbox/health").status == 200)
        process.terminate()
        process.waitUntilExit()
        let rest = text + String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let requestLines = rest.split(separator: "\n").filter { $0.hasPrefix("GET ") }
        if quiet {
            #expect(requestLines.isEmpty, "\(rest)")
        } else {
            #expect(requestLines.count == 1 && requestLines.first?.hasPrefix("GET /__sandbox/health control - 200 - ") == true, "\(rest)")
        }
    }
}
