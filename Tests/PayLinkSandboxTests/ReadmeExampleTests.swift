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
/// merchant on a real clock, so the documentation cannot drift from the behaviour.
struct ReadmeExampleTests {
    static func curlBodies() throws -> [String] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        return text.components(separatedBy: "\n")
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
        }
    }
}
