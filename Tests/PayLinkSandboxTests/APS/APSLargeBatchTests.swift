import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkPayByLink

/// Batch files past the 1 MiB body limit of every other request: they travel under
/// `server.max_upload_bytes` (256 MiB by default), which is still enforced at its byte.
struct APSLargeBatchTests {
    let batches = APSBatchTests()

    /// 100,000 payment-link lines, about 6.5 MB: over a socket with the default configuration it
    /// uploads, validates and processes.
    @Test func hundredThousandLineBatch_uploadsValidatesAndProcesses_withTheDefaultConfiguration() async throws {
        let lines = 100_000
        var file = APSBatchTests.header + "\r\n"
        file.reserveCapacity(lines * 80)
        for i in 1...lines { file += "big-\(i),\(1000 + i % 9000),SAR,c\(i)@example.com,2026-03-01T00:00:00Z,NONE\r\n" }
        #expect(file.utf8.count > 6 * 1024 * 1024, "well past the 1 MiB body limit")
        let configuration = SandboxConfiguration.testing()
        #expect(configuration.server.maxBodyBytes == 1024 * 1024 && configuration.server.maxUploadBytes == 256 * 1024 * 1024)
        try await withSandbox(configuration) { sandbox, aps in
            let uploaded = try batches.upload(aps, reference: "big", file: file)
            #expect(uploaded.http.status == 200)
            #expect(uploaded.code == "50000", "\(uploaded.detail ?? "")")
            // Settled in process: the HTTP settle's client gives up after 10 s on a busy machine.
            _ = sandbox.settle()
            let validated = try batches.batchAPI(aps, "GET_BATCH_RESULTS", reference: "big")
            #expect(validated.code == "76000")
            #expect(validated["transactions_count"] == String(lines))
            #expect(try batches.batchAPI(aps, "PROCESS_BATCH", reference: "big").code == "72147")
            _ = sandbox.settle()
            let results = try batches.batchAPI(aps, "GET_BATCH_RESULTS", reference: "big")
            #expect(results.code == "70000")
            let csv = try #require(results["batch_results"])
            var count = 0
            for line in csv.split(separator: "\r\n").dropFirst() {
                count += 1
                if count == 1 { #expect(line.hasPrefix("\"2\",\"48000\",\"Success\",\"48\",\"big-1\"")) }
            }
            #expect(count == lines)
            #expect(sandbox.links().count == lines)
            #expect(sandbox.link(merchant: aps.merchant.identifier, reference: "big-\(lines)") != nil)
        }
    }

    /// `server.max_upload_bytes` holds at its byte on both upload paths, and the paths that
    /// take JSON keep `server.max_body_bytes`.
    @Test func uploadLimit_holdsAtItsByte_andOtherBodiesKeepTheirs() async throws {
        let configuration = try ConfigurationFile.parse(Array(#"{"server": {"max_upload_bytes": 4096, "max_body_bytes": 2048}}"#.utf8),
                                                        into: .testing())
        #expect(configuration.server.maxUploadBytes == 4096)
        try await withSandbox(configuration) { sandbox, aps in
            func status(_ method: String, _ path: String, _ size: Int, _ headers: [(String, String)]) throws -> Int {
                try aps.http.request(method, path, body: [UInt8](repeating: UInt8(ascii: "x"), count: size), headers: headers).status
            }
            let multipart = [("Content-Type", "multipart/form-data; boundary=b")]
            let uploads = try [4096, 4097].map { try status("POST", "/FortAPI/upload/", $0, multipart) }
            #expect(uploads == [200, 413], "4096 bytes are answered by APS (00073: not multipart)")
            #expect(try status("POST", "/FortAPI/upload", 4097, multipart) == 413)
            let blob = "/blob/paybylink/some-batch?sv=1&sig=0"
            let blobs = try [4096, 4097].map { try status("PUT", blob, $0, [("x-ms-blob-type", "BlockBlob")]) }
            #expect(blobs == [403, 413], "4096 bytes are read, then refused for the URL's signature")
            // JSON bodies keep max_body_bytes, on paymentApi, the batch API and the control API alike.
            let json = [("Content-Type", "application/json")]
            let payments = try [2048, 2049].map { try status("POST", "/FortAPI/paymentApi", $0, json) }
            #expect(payments == [200, 413])
            #expect(try status("POST", "/FortAPI/batchApi/", 2049, json) == 413)
            #expect(try status("POST", "/__sandbox/clock", 2049, json) == 413)
        }
    }

    /// With the defaults, an upload past 256 MiB is refused from its head alone.
    @Test func defaultUploadLimit_is256MiB_refusedFromTheHead() async throws {
        try await withSandbox { sandbox, aps in
            let upload = try head(aps, "/FortAPI/upload/", 256 * 1024 * 1024 + 1)
            #expect(upload.status == 413)
            let payment = try head(aps, "/FortAPI/paymentApi", 1024 * 1024 + 1)
            #expect(payment.status == 413)
        }
    }

    /// Sends only a request head announcing `length` bytes; returns the answer.
    func head(_ aps: APSTestClient, _ path: String, _ length: Int) throws -> HTTPTestClient.Response {
        let raw = "POST \(path) HTTP/1.1\r\nHost: a\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: \(length)\r\n\r\n"
        return try HTTPTestClient.parse(try aps.http.exchange(Array(raw.utf8)))
    }

    @Test func maxUploadBytes_mustBeAPositiveInteger() {
        for bad in [#"0"#, #"-1"#, #""big""#, #"1.5"#] {
            #expect(throws: ConfigurationError.self) {
                try ConfigurationFile.parse(Array(#"{"server": {"max_upload_bytes": \#(bad)}}"#.utf8))
            }
        }
        do {
            _ = try ConfigurationFile.parse(Array(#"{"server": {"max_upload_bytes": 0}}"#.utf8))
        } catch {
            #expect(error.path == "server.max_upload_bytes")
        }
    }
}
