import Foundation
import HTTPServer
import PayLinkCore
@testable import PayLinkSandbox
import Testing

struct TmpPerfTests {
    @Test func hundredThousand() async throws {
        var config = SandboxConfiguration.testing()
        config.server.maxBodyBytes = 50_000_000
        try await withSandbox(config) { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            var csv = "ClientTransactionRef,AccountReference,Amount,Reason,FirstName,LastName,MobileNumber,Email\n"
            for i in 0..<100_000 { csv += "ref-\(i),ACC-\(i % 100),\(i % 500 + 1).50,Rent,Ann,Lee,07700\(String(format: "%06d", i % 900000)),\n" }
            let batch = try client.post("/batches", #"{"FileName":"big.csv"}"#)
            let id = batch.string("BatchId")!
            let url = batch.string("UploadUrl")!
            let put = try client.http.request("PUT", String(url.dropFirst(sandbox.publicURL.count)), body: Array(csv.utf8), headers: [("x-ms-blob-type", "BlockBlob")])
            #expect(put.status == 201)
            let start = Date()
            let confirm = try client.post("/batches/\(id)/confirm", "")
            print("confirm answered in", Date().timeIntervalSince(start))
            _ = try eventually(120) { try client.get("/batches/\(id)").string("Status") == "Completed" }
            print("completed in", Date().timeIntervalSince(start), try client.get("/batches/\(id)").http.text)
            #expect(confirm.status == 202)
        }
    }
}
