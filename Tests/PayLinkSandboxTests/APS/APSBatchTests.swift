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

/// APS bulk payment links: UPLOAD_BATCH_FILE (multipart), then GET_BATCH_RESULTS and
/// PROCESS_BATCH on /FortAPI/batchApi/, each answered with HTTP 200 and a signed code.
struct APSBatchTests {
    static let header = "merchant_reference,amount,currency,customer_email,request_expiry_date,notification_type"
    static let goodFile = header + "\r\nbulk-1,10000,SAR,a@example.com,2026-03-01T00:00:00Z,NONE\r\n"
        + "bulk-2,abc,SAR,b@example.com,2026-03-01T00:00:00Z,NONE\r\nbulk-3,2500,USD,c@example.com,2026-03-01T00:00:00+03:00,EMAIL\r\n"

    /// Posts a signed multipart upload; `fields` override or remove (empty string) the defaults.
    func upload(_ aps: APSTestClient, reference: String = "batch-1", file: String? = goodFile, fileName: String = "links.csv",
                _ overrides: [String: String] = [:], sign: Bool = true) throws -> APSTestClient.Reply {
        var fields: JSONObject = [
            "service_command": "UPLOAD_BATCH_FILE", "access_code": .string(aps.merchant.accessCode),
            "merchant_identifier": .string(aps.merchant.identifier), "batch_reference": .string(reference), "language": "en",
        ]
        for (key, value) in overrides { fields[key] = value.isEmpty ? nil : .string(value) }
        if sign { fields["signature"] = .string(aps.merchant.signer.sign(fields, phrase: aps.merchant.requestPhrase)) }
        let boundary = "----sandbox-test-boundary"
        var body = ""
        for (key, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value.stringValue ?? "")\r\n"
        }
        if let file {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n"
        }
        body += "--\(boundary)--\r\n"
        let response = try aps.http.request("POST", "/FortAPI/upload/", body: Array(body.utf8),
                                             headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")])
        let object = try #require(try JSONParser.parse(response.body).objectValue)
        return APSTestClient.Reply(http: response, object: object)
    }

    func batchAPI(_ aps: APSTestClient, _ command: String, reference: String = "batch-1", _ extra: JSONObject = [:]) throws -> APSTestClient.Reply {
        var parameters: JSONObject = ["service_command": .string(command), "batch_reference": .string(reference), "language": "en"]
        for (key, value) in extra { parameters[key] = value }
        let signed = try signedBody(aps, parameters)
        let response = try aps.http.post("/FortAPI/batchApi/", json: signed)
        let object = try #require(try JSONParser.parse(response.body).objectValue)
        return APSTestClient.Reply(http: response, object: object)
    }

    func signedBody(_ aps: APSTestClient, _ parameters: JSONObject) throws -> String {
        var params = parameters
        params["access_code"] = .string(aps.merchant.accessCode)
        params["merchant_identifier"] = .string(aps.merchant.identifier)
        params["signature"] = .string(aps.merchant.signer.sign(params, phrase: aps.merchant.requestPhrase))
        return String(decoding: params.serialized(), as: UTF8.self)
    }

    /// GET_BATCH_RESULTS once the sandbox is settled (the batch processed as far as it goes),
    /// expected to answer one of `codes`.
    func settledResults(_ aps: APSTestClient, _ codes: Set<String>, reference: String = "batch-1") throws -> APSTestClient.Reply {
        try aps.http.settle()
        let reply = try batchAPI(aps, "GET_BATCH_RESULTS", reference: reference)
        #expect(codes.contains(reply.code ?? ""), "GET_BATCH_RESULTS answered \(reply.code ?? "no code")")
        return reply
    }

    @Test func upload_validate_process_results() async throws {
        try await withSandbox { sandbox, aps in
            let uploaded = try upload(aps)
            #expect(uploaded.code == "50000", "\(uploaded.detail ?? "")")
            #expect(uploaded["status"] == "50")
            let batchID = try #require(uploaded["batch_id"])
            #expect(batchID.count == 18 && batchID.allSatisfy(\.isNumber), "18 digits, as in APS's examples")
            #expect(Int64(batchID) != nil, "fits a signed 64-bit integer (a Java or C# long)")
            #expect(uploaded["signature"] == aps.merchant.signer.sign(uploaded.object.removing("signature"), phrase: aps.merchant.responsePhrase))

            let validated = try settledResults(aps, ["76000"])
            #expect(validated["transactions_count"] == "3")
            #expect(sandbox.engine.links().isEmpty, "nothing is created before PROCESS_BATCH")

            let process = try batchAPI(aps, "PROCESS_BATCH", ["batch_id": .string(batchID)])
            #expect(process.code == "72147")
            #expect(process["response_message"] == "The Batch process request has been received")

            let results = try settledResults(aps, ["70000"])
            let csv = try #require(results["batch_results"])
            let lines = csv.split(separator: "\r\n").map(String.init)
            #expect(lines.first == APSBatchFile.resultHeader.joined(separator: ","))
            #expect(lines.count == 4)
            #expect(lines[1].hasPrefix("\"2\",\"48000\",\"Success\",\"48\",\"bulk-1\""))
            #expect(lines[2].hasPrefix("\"3\",\"00005\",\"Invalid amount\",\"00\",\"bulk-2\""))
            #expect(lines[3].contains("\"bulk-3\""))
            let link = try #require(sandbox.engine.link(merchant: aps.merchant.identifier, reference: "bulk-1"))
            #expect(link.link.amount == 10_000)
            #expect(sandbox.engine.link(merchant: aps.merchant.identifier, reference: "bulk-2") == nil)
            #expect(sandbox.service.outbox.messages(channel: .email).count == 1)

            let again = try batchAPI(aps, "PROCESS_BATCH")
            #expect(again.code == "72148")
        }
    }

    /// A record refused only when its link is created (its reference used by the line above)
    /// reports that refusal on its own line, and the lines around it keep their own links.
    @Test func aRecordRefusedOnCreation_keepsItsLine_andTheOthersTheirLinks() async throws {
        try await withSandbox { sandbox, aps in
            let file = Self.header + "\r\ndup-a,1000,SAR,a@example.com,2026-03-01T00:00:00Z,NONE\r\n"
                + "dup-a,2000,SAR,b@example.com,2026-03-01T00:00:00Z,NONE\r\nafter-b,3000,SAR,c@example.com,2026-03-01T00:00:00Z,NONE\r\n"
            let batchID = try #require(try upload(aps, file: file)["batch_id"])
            _ = try settledResults(aps, ["76000"])
            #expect(try batchAPI(aps, "PROCESS_BATCH", ["batch_id": .string(batchID)]).code == "72147")
            let csv = try #require(try settledResults(aps, ["70000"])["batch_results"])
            let lines = csv.split(separator: "\r\n").map(String.init)
            #expect(lines.count == 4)
            for (line, reference) in [(1, "dup-a"), (3, "after-b")] {
                let link = try #require(sandbox.engine.link(merchant: aps.merchant.identifier, reference: reference)).link
                #expect(lines[line].hasPrefix("\"\(line + 1)\",\"48000\",\"Success\",\"48\",\"\(reference)\",\"\(link.id)\","), "\(lines[line])")
            }
            #expect(lines[2].hasPrefix("\"3\",\"") && lines[2].contains("066\",") && lines[2].hasSuffix(",\"dup-a\",\"\",\"\",\"2000\",\"SAR\""), "\(lines[2])")
        }
    }

    @Test func readmeFile_givesTheReadmeResults() async throws {
        let file = try PayByLinkReadmeTests.csv(try PayByLinkReadmeTests.readme(), after: "### Batch files (bulk payment links)")
        try await withSandbox { _, aps in
            let uploaded = try upload(aps, reference: "readme", file: file)
            #expect(uploaded.code == "50000")
            #expect(try settledResults(aps, ["76000"], reference: "readme")["transactions_count"] == "2")
            #expect(try batchAPI(aps, "PROCESS_BATCH", reference: "readme").code == "72147")
            let csv = try #require(try settledResults(aps, ["70000"], reference: "readme")["batch_results"])
            let lines = csv.split(separator: "\r\n")
            #expect(lines.count == 3)
            #expect(lines[1].hasPrefix("\"2\",\"48000\",\"Success\",\"48\",\"bulk-1\""))
            #expect(lines[2] == "\"3\",\"00005\",\"Invalid amount\",\"00\",\"bulk-2\",\"\",\"\",\"abc\",\"SAR\"")
        }
    }

    @Test func badHeader_is77142_andCannotBeProcessed() async throws {
        try await withSandbox { sandbox, aps in
            #expect(try upload(aps, file: "reference,amount\nx,1\n").code == "50000")
            let results = try settledResults(aps, ["77142", "77144"])
            #expect(results.code == "77142")
            #expect(results["response_message"] == "The Batch file header is invalid")
            #expect(results.detail?.contains("unknown column") == true)
            #expect(try batchAPI(aps, "PROCESS_BATCH").code == "73136")
            #expect(sandbox.engine.links().isEmpty)
        }
    }

    /// An unclosed quote swallows every line after it into one field: the file is refused
    /// whole rather than processed with lines silently missing.
    @Test func aQuoteLeftOpen_is77144_namingItsLine_andNothingIsCreated() async throws {
        try await withSandbox { sandbox, aps in
            let file = """
            merchant_reference,amount,currency,customer_email,request_expiry_date,notification_type
            a1,100,SAR,a@example.com,2026-03-01T00:00:00Z,NONE
            "a2,100,SAR,b@example.com,2026-03-01T00:00:00Z,NONE
            a3,100,SAR,c@example.com,2026-03-01T00:00:00Z,NONE

            """
            #expect(try upload(aps, file: file).code == "50000")
            let results = try settledResults(aps, ["76000", "77142", "77144"])
            #expect(results.code == "77144")
            #expect(results.detail?.contains("line 3") == true, "\(results.detail ?? "")")
            #expect(try batchAPI(aps, "PROCESS_BATCH").code == "73136")
            #expect(sandbox.engine.links().isEmpty)
        }
    }

    @Test func emptyFile_is77144() async throws {
        try await withSandbox { _, aps in
            let uploaded = try upload(aps, file: "")
            #expect(uploaded.code == "50000")
            let results = try settledResults(aps, ["77142", "77144"])
            #expect(results.code == "77144")
        }
    }

    @Test func uploadRefusals() async throws {
        try await withSandbox { sandbox, aps in
            #expect(try upload(aps, reference: "dup").code == "50000")
            #expect(try upload(aps, reference: "dup").code == "51146")
            #expect(try upload(aps, reference: "x1", fileName: "links.xlsx").code == "51144")
            #expect(try upload(aps, reference: "x2", file: nil).code == "00001")
            #expect(try upload(aps, reference: "x3", ["signature": "deadbeef"], sign: false).code == "00008")
            #expect(try upload(aps, reference: "x4", ["merchant_identifier": "Nobody"]).code == "00009")
            #expect(try upload(aps, reference: "x5", ["access_code": "wrong"]).code == "00010")
            #expect(try upload(aps, reference: "x6", ["service_command": "PROCESS_BATCH"]).code == "00004")
            #expect(try upload(aps, reference: "bad ref!").code == "00002")
            #expect(try upload(aps, reference: "x7", ["language": "fr"]).code == "00002")
            #expect(try upload(aps, reference: "x8", ["batch_reference": ""]).code == "00001")
            let notMultipart = try aps.http.post("/FortAPI/upload/", json: "{}")
            #expect(notMultipart.status == 200)
            #expect(notMultipart.text.contains("\"00073\""))
            let wrongMethod = try aps.http.get("/FortAPI/upload/")
            #expect(wrongMethod.status == 405)
            // Only the first upload made a batch.
            #expect(sandbox.service.batches.batches(owner: .apsMerchant(aps.merchant.identifier)).count == 1)
        }
    }

    @Test func batchAPIRefusals() async throws {
        try await withSandbox { _, aps in
            #expect(try batchAPI(aps, "GET_BATCH_RESULTS", reference: "none").code == "71141")
            #expect(try batchAPI(aps, "PROCESS_BATCH", reference: "none").code == "73141")
            #expect(try batchAPI(aps, "CAPTURE").code == "00004")
            #expect(try upload(aps).code == "50000")
            _ = try settledResults(aps, ["76000"])
            #expect(try batchAPI(aps, "GET_BATCH_RESULTS", ["batch_id": "12345678901234567890"]).code == "71141")
            let unsigned = try aps.http.post("/FortAPI/batchApi/", json: #"{"service_command":"GET_BATCH_RESULTS","access_code":"zx0IPmPy5jp1vAz8Kpg7","merchant_identifier":"CycHZxVj","batch_reference":"batch-1","language":"en","signature":"00"}"#)
            #expect(unsigned.text.contains("\"00008\""))
            let broken = try aps.http.post("/FortAPI/batchApi/", json: "{")
            #expect(broken.text.contains("\"00073\""))
        }
    }
}

extension JSONObject {
    func removing(_ key: String) -> JSONObject {
        var copy = self
        copy[key] = nil
        return copy
    }
}

extension APSBatchTests {
    @Test func apsBatches_areNotPayByLinkBatches_evenForAKeyNamedLikeTheMerchant() async throws {
        var config = SandboxConfiguration.testing()
        config.payByLink.subscriptionKeys = [Merchant.demo.identifier]
        try await withSandbox(config) { sandbox, aps in
            #expect(try upload(aps).code == "50000")
            var client = PayByLinkTestClient(port: sandbox.port)
            client.key = Merchant.demo.identifier
            let listed = try client.get("/batches")
            #expect(listed["TotalCount"] == .number("0"))
        }
    }
}

extension APSBatchTests {
    @Test func resettingTheMerchant_forgetsItsBatches() async throws {
        try await withSandbox { sandbox, aps in
            #expect(try upload(aps).code == "50000")
            let reset = try aps.http.post("/__sandbox/reset", json: #"{"merchant_identifier":"\#(aps.merchant.identifier)"}"#)
            #expect(reset.status == 200)
            #expect(try batchAPI(aps, "GET_BATCH_RESULTS").code == "71141")
            #expect(try upload(aps).code == "50000", "the reference is free again")
        }
    }
}

extension APSBatchTests {
    /// Every `batch_id` the generator makes fits a signed 64-bit integer.
    @Test func batchIDs_fitASigned64BitInteger() {
        let ids = APSBatchIDs(seed: nil)
        for _ in 0..<10_000 {
            let id = ids.next()
            #expect(id.count == 18 && Int64(id) != nil && id.first != "0", "\(id)")
        }
    }

    /// The old docs send PROCESS_BATCH to `https://sbbatch.payfort.com/integration-batch/batchApi/`:
    /// the batch API answers there as under /FortAPI/.
    @Test func batchAPI_answersUnderIntegrationBatch() async throws {
        try await withSandbox { sandbox, aps in
            #expect(try upload(aps).code == "50000")
            try aps.http.settle()
            func send(_ path: String, _ command: String) throws -> APSTestClient.Reply {
                let response = try aps.http.post(path, json: try signedBody(aps, ["service_command": .string(command), "batch_reference": "batch-1", "language": "en"]))
                #expect(response.status == 200)
                return APSTestClient.Reply(http: response, object: try #require(try JSONParser.parse(response.body).objectValue))
            }
            #expect(try send("/integration-batch/batchApi/", "GET_BATCH_RESULTS").code == "76000")
            #expect(try send("/integration-batch/batchApi", "PROCESS_BATCH").code == "72147")
            try aps.http.settle()
            #expect(try send("/integration-batch/batchApi/", "GET_BATCH_RESULTS").code == "70000")
            // Only the batch API lives there.
            let other = try aps.http.post("/integration-batch/paymentApi", json: "{}")
            #expect(other.status == 404)
            #expect(other.text.contains("/integration-batch/paymentApi"))
            #expect(try aps.http.get("/integration-batch/batchApi/").status == 405)
        }
    }
}
