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

/// The PayByLink page's examples (`docs/paybylink.md`), sent exactly as printed (the create
/// body, the cancel, the batch with its CSV file) to a sandbox with the default configuration
/// on a real clock.
struct PayByLinkReadmeTests {
    /// The whole manual as one text: README.md, then every page under `docs/` in name order.
    /// Tests find an example by its heading, whichever page it is on (`APSBatchTests` finds the
    /// APS batch file under "### Batch files (bulk payment links)").
    static func readme() throws -> String {
        let docs = DocsExampleTests.root.appendingPathComponent("docs")
        let pages = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted()
        return try (["README.md"] + pages.map { "docs/" + $0 }).map(DocsExampleTests.page).joined(separator: "\n")
    }

    /// The `-d '…'` bodies of the curl lines that start with `prefix`.
    static func bodies(_ text: String, prefix: String) -> [String] {
        text.components(separatedBy: "\n").filter { $0.hasPrefix(prefix) }.compactMap { line in
            guard let start = line.range(of: "-d '"), let end = line.range(of: "'", options: .backwards), start.upperBound < end.lowerBound
            else { return nil }
            return String(line[start.upperBound..<end.lowerBound])
        }
    }

    /// The first ```csv block after the heading `after`.
    static func csv(_ text: String, after heading: String) throws -> String {
        let section = try #require(text.range(of: heading))
        let start = try #require(text.range(of: "```csv\n", range: section.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    @Test func readmeExamples_workAgainstTheDefaultConfiguration() async throws {
        let text = try DocsExampleTests.page("docs/paybylink.md")
        let creates = Self.bodies(text, prefix: "curl -s http://127.0.0.1:8080/paybylink/v1/requests ")
        let cancels = Self.bodies(text, prefix: "curl -s -X PUT http://127.0.0.1:8080/paybylink/v1/requests/REQUEST_ID ")
        let batches = Self.bodies(text, prefix: "curl -s http://127.0.0.1:8080/paybylink/v1/batches ")
        #expect(creates.count == 1 && cancels.count == 1 && batches.count == 1)
        let csv = try Self.csv(text, after: "\n## Batches\n")
        var config = SandboxConfiguration()
        config.server.port = 0
        try await withSandbox(config) { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let created = try client.post("/requests", creates[0])
            #expect(created.status == 201, "\(created.http.text)")
            #expect(created.string("Status") == "Sent")
            let id = try #require(created.string("RequestId"))
            let cancelled = try client.put("/requests/\(id)", cancels[0])
            #expect(cancelled.string("Status") == "Cancelled")

            let batch = try client.post("/batches", batches[0])
            let batchID = try #require(batch.string("BatchId"))
            let uploadURL = try #require(batch.string("UploadUrl"))
            let put = try client.http.request("PUT", String(uploadURL.dropFirst(sandbox.publicURL.count)), body: Array(csv.utf8),
                                              headers: [("x-ms-blob-type", "BlockBlob")])
            #expect(put.status == 201)
            #expect(try client.post("/batches/\(batchID)/confirm", "").status == 202)
            try client.http.settle()
            let status = try client.get("/batches/\(batchID)").string("Status") ?? ""
            #expect(status == "CompletedWithErrors")
            let failures = try client.get("/batches/\(batchID)/failures")
            let lines = failures["Items"]?.arrayValue?.compactMap { $0.objectValue?["LineNumber"] }
            #expect(lines == [.number("4")])
        }
    }
}
