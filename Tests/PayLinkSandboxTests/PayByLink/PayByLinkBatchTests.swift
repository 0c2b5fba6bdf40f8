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

/// The batch lifecycle over HTTP: create, blob upload through the signed URL, confirm, status,
/// listing and failed records.
struct PayByLinkBatchTests {
    static let header = "ClientTransactionRef,AccountReference,Amount,Reason,FirstName,LastName,MobileNumber,Email"

    /// Creates a batch and returns its id and the upload URL's path and query.
    func newBatch(_ client: PayByLinkTestClient, _ sandbox: Sandbox, file: String = "requests.csv") throws -> (id: String, upload: String) {
        let reply = try client.post("/batches", #"{"FileName":"\#(file)"}"#)
        guard reply.status == 201, let id = reply.string("BatchId"), let url = reply.string("UploadUrl") else {
            throw HTTPTestClient.ClientError(description: "batch create failed: \(reply.http.text)")
        }
        return (id, String(url.dropFirst(sandbox.publicURL.count)))
    }

    func upload(_ client: PayByLinkTestClient, _ path: String, _ csv: String, blobType: String? = "BlockBlob") throws -> HTTPTestClient.Response {
        var headers: [(String, String)] = [("Content-Type", "text/csv")]
        if let blobType { headers.append(("x-ms-blob-type", blobType)) }
        return try client.http.request("PUT", path, body: Array(csv.utf8), headers: headers)
    }

    func settledBatch(_ client: PayByLinkTestClient, _ id: String) throws -> PayByLinkTestClient.Reply {
        try client.http.settle()
        let last = try client.get("/batches/\(id)")
        return last
    }

    @Test func goodFile_createsEveryRequest_likeThePost() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let (id, path) = try newBatch(client, sandbox)
            #expect(try client.get("/batches/\(id)").string("Status") == "AwaitingUpload")
            let csv = "\u{FEFF}" + Self.header + "\r\nb-1,ACC-1,10.00,Rent,Ann,Lee,07700900001,ann@example.com\r\n"
                + "b-2,ACC-2,15,\"Rent, arrears\",Bob,\"O'Neil\",+447700900002,\r\n"
            let uploaded = try upload(client, path, csv)
            #expect(uploaded.status == 201)
            #expect(uploaded.header("ETag") != nil)
            #expect(try client.get("/batches/\(id)").string("Status") == "Uploaded")
            let confirmed = try client.post("/batches/\(id)/confirm", "")
            #expect(confirmed.status == 202)
            let done = try settledBatch(client, id)
            #expect(done.string("Status") == "Completed")
            #expect(done["TotalRecords"] == .number("2") && done["SucceededRecords"] == .number("2"))
            let b2 = try client.get("/requests?ClientTransactionRef=b-2")
            let item = try #require(b2["Items"]?.arrayValue?.first?.objectValue)
            #expect(item["Reason"] == "Rent, arrears")
            #expect(item["Amount"] == .number("15.00"))
            #expect(item["Status"] == "Sent")
            #expect(sandbox.service.outbox.messages().count == 2)
        }
    }

    @Test func failedLines_areListed_withLineRawTextAndEveryReason_andCanBeResent() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let (id, path) = try newBatch(client, sandbox)
            let csv = [
                "MobileNumber,Amount,ClientTransactionRef,AccountReference,FirstName,LastName,Reason",
                "07700900001,10,ok-1,A,Ann,Lee,Rent",
                "12345,0,bad-2,A,Ann,,Rent",
                "07700900003,5,ok-1,A,Cy,Doe,Rent",
                "07700900004,5,\"multi",
                "line\",A,Di,Eve,Rent",
                "07700900005,5,short",
            ].joined(separator: "\n") + "\n"
            #expect(try upload(client, path, csv).status == 201)
            _ = try client.post("/batches/\(id)/confirm", "")
            let done = try settledBatch(client, id)
            #expect(done.string("Status") == "CompletedWithErrors")
            #expect(done["FailedRecords"] == .number("4") && done["SucceededRecords"] == .number("1"))
            let failures = try client.get("/batches/\(id)/failures")
            let items = failures["Items"]?.arrayValue?.compactMap { $0.objectValue } ?? []
            try #require(items.count == 4, "\(failures.http.text)")
            #expect(items.map { $0["LineNumber"] } == [.number("3"), .number("4"), .number("5"), .number("7")])
            #expect(items[0]["RawLine"] == "12345,0,bad-2,A,Ann,,Rent")
            let errors = try #require(items[0]["Errors"]?.objectValue)
            #expect(Set(errors.keys) == ["MobileNumber", "Amount", "LastName"])
            #expect(items[1]["Errors"]?.objectValue?["ClientTransactionRef"] != nil)
            // A quoted field over two lines is one record, reported at the line it starts on.
            #expect(items[2]["RawLine"] == "07700900004,5,\"multi\nline\",A,Di,Eve,Rent")
            #expect(items[2]["Errors"]?.objectValue?["ClientTransactionRef"] == ["must not contain control characters"])
            #expect(items[3]["Errors"]?.objectValue?["Line"] != nil)

            // Fix the failed lines and send them as a new batch.
            let (second, secondPath) = try newBatch(client, sandbox, file: "fixed.csv")
            let fixed = "MobileNumber,Amount,ClientTransactionRef,AccountReference,FirstName,LastName,Reason\n"
                + "07700900002,1,bad-2,A,Ann,Lee,Rent\n07700900003,5,ok-3,A,Cy,Doe,Rent\n07700900004,5,multi-line,A,Di,Eve,Rent\n"
                + "07700900005,5,short,A,Ed,Fox,Rent\n"
            #expect(try upload(client, secondPath, fixed).status == 201)
            _ = try client.post("/batches/\(second)/confirm", "")
            let resent = try settledBatch(client, second)
            #expect(resent.string("Status") == "Completed")
            #expect(resent["SucceededRecords"] == .number("4"))
        }
    }

    @Test func headerWithoutRequiredColumns_failsTheWholeFile() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            for csv in ["Ref,Amount\nx,1\n", "ClientTransactionRef,AccountReference,Amount,FirstName,LastName\nx,A,1,B,C\n", ""] {
                let (id, path) = try newBatch(client, sandbox)
                #expect(try upload(client, path, csv).status == 201)
                _ = try client.post("/batches/\(id)/confirm", "")
                let done = try settledBatch(client, id)
                #expect(done.string("Status") == "Failed")
                #expect(done.string("FailureReason")?.isEmpty == false)
            }
            #expect(sandbox.engine.links().isEmpty)
        }
    }

    @Test func upload_withoutBlobType_is400_andOtherTypes400() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let (id, path) = try newBatch(client, sandbox)
            let missing = try upload(client, path, Self.header + "\n", blobType: nil)
            #expect(missing.status == 400)
            #expect(missing.text.contains("<Code>MissingRequiredHeader</Code>"))
            #expect(missing.text.contains("x-ms-blob-type"))
            let append = try upload(client, path, Self.header + "\n", blobType: "AppendBlob")
            #expect(append.status == 400)
            #expect(append.header("x-ms-error-code") == "InvalidHeaderValue")
            #expect(try client.get("/batches/\(id)").string("Status") == "AwaitingUpload")
        }
    }

    @Test func tamperedUrl_is403() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let (id, path) = try newBatch(client, sandbox)
            let (other, _) = try newBatch(client, sandbox)
            let tampered = [
                path.replacingOccurrences(of: id, with: other),
                path.replacingOccurrences(of: "se=2026-01-01T01", with: "se=2026-01-01T09"),
                path + "&extra=1",
                String(path.dropLast()) + (path.hasSuffix("0") ? "1" : "0"),
                String(path.prefix(while: { $0 != "?" })),
            ]
            for url in tampered {
                let reply = try upload(client, url, Self.header + "\n")
                #expect(reply.status == 403, "\(url)")
                #expect(reply.text.contains("<Code>AuthenticationFailed</Code>"))
            }
            #expect(try client.get("/batches/\(id)").string("Status") == "AwaitingUpload")
        }
    }

    @Test func expiredUrl_is403_afterAnHourOfSandboxTime() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let created = try client.post("/batches", #"{"FileName":"late.csv"}"#)
            #expect(created.string("UploadUrlExpiresAt") == "2026-01-01T01:00:00Z")
        let batchID = try #require(created.string("BatchId"))
        #expect(created.string("UploadUrl") == sandbox.publicURL + "/blob/paybylink/\(batchID)?" + (created.string("SasToken") ?? "-"))
            let url = try #require(created.string("UploadUrl"))
            let path = String(url.dropFirst(sandbox.publicURL.count))
            try sandbox.clock.advance(milliseconds: 3_600_000)
            let reply = try upload(client, path, Self.header + "\n")
            #expect(reply.status == 403)
            #expect(reply.text.contains("Signature not valid in the specified time frame"))
        }
    }

    @Test func confirm_beforeUpload_is409_twiceIsHarmless_uploadAfterConfirmIs409() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let (id, path) = try newBatch(client, sandbox)
            let early = try client.post("/batches/\(id)/confirm", "")
            #expect(early.status == 409)
            #expect(early.string("Status") == "AwaitingUpload")
            #expect(try upload(client, path, Self.header + "\nx,A,1,R,F,L,07700900001,\n").status == 201)
            #expect(try client.post("/batches/\(id)/confirm", "").status == 202)
            _ = try settledBatch(client, id)
            let again = try client.post("/batches/\(id)/confirm", "")
            #expect(again.status == 202)
            #expect(again.string("Status") == "Completed")
            let late = try upload(client, path, Self.header + "\n")
            #expect(late.status == 409)
            #expect(try client.get("/requests?ClientTransactionRef=x")["TotalCount"] == .number("1"))
        }
    }

    @Test func unknownBatch_is404_everywhere() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let replies = [try client.get("/batches/nope"), try client.post("/batches/nope/confirm", ""), try client.get("/batches/nope/failures")]
            #expect(replies.map(\.status) == [404, 404, 404])
        }
    }

    @Test func createBatch_validatesFileName() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            for body in ["{}", #"{"FileName":""}"#, #"{"FileName":"../x.csv"}"#, #"{"FileName":1}"#, "x", #"{"FileName":"a","Size":1}"#] {
                let reply = try client.post("/batches", body)
                #expect(reply.status == 400, "\(body)")
                #expect(!reply.errorFields.isEmpty)
            }
        }
    }

    @Test func list_isNewestFirst_paged() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            var ids: [String] = []
            for i in 1...3 { ids.append(try newBatch(client, sandbox, file: "f\(i).csv").id) }
            let page = try client.get("/batches?Page=1&PageSize=2")
            #expect(page["TotalCount"] == .number("3"))
            #expect(page["Items"]?.arrayValue?.compactMap { $0.objectValue?["BatchId"]?.stringValue } == [ids[2], ids[1]])
            let second = try client.get("/batches?Page=2&PageSize=2")
            #expect(second["Items"]?.arrayValue?.compactMap { $0.objectValue?["BatchId"]?.stringValue } == [ids[0]])
            #expect(try client.get("/batches?Page=0").status == 400)
            #expect(try client.get("/batches?Sort=asc").status == 400)
        }
    }
}

extension PayByLinkBatchTests {
    /// A blob over the 1 MiB limit of the other requests uploads with the default configuration
    /// (`server.max_upload_bytes`, 256 MiB).
    @Test func blobOverOneMiB_uploadsWithTheDefaultConfiguration() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let (id, path) = try newBatch(client, sandbox)
            var csv = Self.header + "\r\n"
            for i in 1...25_000 { csv += "big-\(i),ACC-\(i),10.00,Rent,Ann,Lee,07700900001,ann@example.com\r\n" }
            #expect(csv.utf8.count > 3 * 1024 * 1024 / 2)
            let uploaded = try upload(client, path, csv)
            #expect(uploaded.status == 201, "\(uploaded.text)")
            let batch = try client.get("/batches/\(id)")
            #expect(batch.string("Status") == "Uploaded")
            #expect(sandbox.service.batches.batch(id: id)?.fileByteCount == csv.utf8.count)
        }
    }
}
