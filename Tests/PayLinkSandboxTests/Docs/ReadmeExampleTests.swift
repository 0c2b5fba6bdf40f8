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

/// The README's copy-paste examples, sent exactly as printed to a sandbox running the demo
/// merchant on a real clock, so the documentation cannot drift from the behaviour. (The pages
/// under `docs/` are `DocsExampleTests` and the tests it names.)
struct ReadmeExampleTests {
    static func readme() throws -> String {
        try DocsExampleTests.page("README.md")
    }

    static func curlBodies() throws -> [String] {
        try readme().components(separatedBy: "\n")
            .filter { $0.hasPrefix("curl -s http://127.0.0.1:8080/FortAPI/paymentApi") }
            .compactMap { line in
                guard let start = line.range(of: "-d '"), let end = line.range(of: "'", options: .backwards), start.upperBound < end.lowerBound
                else { return nil }
                return String(line[start.upperBound..<end.lowerBound])
            }
    }

    @Test func readmeCurlExamples_workAgainstTheDemoMerchant() async throws {
        let bodies = try Self.curlBodies()
        #expect(bodies.count == 2)
        // Pay it without a browser, then move the clock.
        let control = DocsExampleTests.curls(try Self.readme()).filter { $0.hasPrefix("curl -s -X POST http://127.0.0.1:8080/__sandbox/") }
        #expect(control.count == 2)
        var config = SandboxConfiguration()
        config.server.port = 0
        try await withSandbox(config) { sandbox, aps in
            let created = try aps.sendRaw(bodies[0])
            #expect(created.code == "48000", "detail: \(created.detail ?? "-")")
            #expect(created["payment_link"]?.hasPrefix(sandbox.baseURL) == true)
            let checked = try aps.sendRaw(bodies[1])
            #expect(checked.code == "12000", "detail: \(checked.detail ?? "-")")
            #expect(checked["payment_link_status"] == "Open")
            let again = try aps.sendRaw(bodies[0])
            #expect(again.code == "49066")

            let id = try #require(created["payment_link_id"])
            var answers: [HTTPTestClient.Response] = []
            for command in control {
                let curl = try DocsExampleTests.Curl(command)
                let path = curl.path.replacingOccurrences(of: "PAYMENT_LINK_ID", with: id)
                answers.append(try aps.http.request(curl.method, path, body: Array((curl.body ?? "").utf8), headers: curl.headers))
            }
            #expect(answers.map(\.status) == [200, 200], "\(answers.map(\.text))")
            #expect(answers.first?.text.contains(#""outcome":"approved""#) == true, "\(answers.first?.text ?? "")")
            #expect(try aps.sendRaw(bodies[1])["payment_link_status"] == "Paid")
        }
    }

    /// The README's Swift example, line for line (its comments aside), is the code below.
    @Test func readmeSwiftExample_runs() async throws {
        let sandbox = try await Sandbox.start(.testing())   // port 0, frozen clock at 2026-01-01T00:00:00Z, seeded IDs
        #expect(sandbox.baseURL.hasPrefix("http://127.0.0.1:"))
        #expect(sandbox.link(id: "none") == nil && sandbox.messages().isEmpty && sandbox.deliveries().isEmpty)
        try sandbox.clock.advance(milliseconds: 86_400_000)
        #expect(ISO8601.formatUTC(sandbox.clock.now()) == "2026-01-02T00:00:00Z")
        sandbox.settle()                                    // notifications, settlements and expiries due now, done
        await sandbox.stop()

        let example = try #require(DocsExampleTests.blocks(try Self.readme(), language: "swift").first)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let code = example.components(separatedBy: "\n")
            .map { line in (line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? line).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        #expect(code.count == 5)
        for line in code { #expect(source.contains(line), "the README's line \(line) is not in this test") }
    }
}
