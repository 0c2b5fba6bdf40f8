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

/// The PayByLink and batch parts of `GET|PUT /__sandbox/state`: requests (single and plans,
/// paid, cancelled), batches of both dialects, moved to a fresh sandbox and back, byte for byte,
/// and answering the same afterwards.
struct StatePayByLinkSnapshotTests {
    /// A fixed public URL, so the long and short URLs are the same in two sandboxes on two ports.
    static var configuration: SandboxConfiguration {
        var configuration = SandboxConfiguration.testing()
        configuration.publicURL = "http://sandbox.test"
        return configuration
    }

    static let payByLinkCSV = PayByLinkBatchTests.header + "\r\nst-b-1,TENANT-7,45.00,April rent,Ann,Lee,07700900001,ann@example.com\r\n"
        + "st-b-2,TENANT-8,\"1200\",April rent,Bob,O'Neil,+447700900002,\r\nst-b-3,TENANT-9,12.345,April rent,Cy,Doe,07700900003,\r\n"

    /// What a populated sandbox holds, to read back in both.
    struct Made {
        var single: String, paid: String, plan: String, cancelled: String
        var shortURL: String
        var completedBatch: String, awaitingBatch: String, awaitingUpload: String
    }

    func pay(_ aps: APSTestClient, link: String) throws {
        let reply = try aps.http.post("/__sandbox/links/\(link)/pay", json: #"{"card_number":"4005550000000001"}"#)
        #expect(reply.status == 200, "pay: \(reply.text)")
    }

    func exported(_ sandbox: Sandbox) -> [UInt8] { sandbox.service.exportState().serialized() }

    /// Requests in every shape, a finished PayByLink batch with a failure, one awaiting its file,
    /// and APS batches processed (with a failed line) and validated (awaiting PROCESS_BATCH).
    func populate(_ sandbox: Sandbox, _ aps: APSTestClient) async throws -> Made {
        let client = PayByLinkTestClient(port: sandbox.port)
        let single = try #require(try client.create("st-single", ["CallbackUrl": #""http://127.0.0.1:1/callbacks""#]).string("RequestId"))
        let paidReply = try client.create("st-paid", ["Channel": #""Both""#])
        try pay(aps, link: try #require(paidReply.string("PaymentLinkId")))
        let plan = #"{"InstalmentAmount":40,"Frequency":"Monthly","NumberOfInstalments":3,"FirstPaymentDate":"2026-01-31"}"#
        let planReply = try client.create("st-plan", ["Amount": "100", "RepaymentPlan": plan])
        try pay(aps, link: try #require(planReply.string("PaymentLinkId")))
        let cancelled = try #require(try client.create("st-cancelled").string("RequestId"))
        #expect(try client.put("/requests/\(cancelled)", #"{"Status":"Cancelled"}"#).string("Status") == "Cancelled")

        let batches = PayByLinkBatchTests()
        let (completed, path) = try batches.newBatch(client, sandbox, file: "april.csv")
        #expect(try batches.upload(client, path, Self.payByLinkCSV).status == 201)
        #expect(try client.post("/batches/\(completed)/confirm", "").status == 202)
        #expect(try batches.settledBatch(client, completed).string("Status") == "CompletedWithErrors")
        let (awaiting, awaitingPath) = try batches.newBatch(client, sandbox, file: "may.csv")

        let apsBatches = APSBatchTests()
        #expect(try apsBatches.upload(aps, reference: "st-aps-1").code == "50000")
        #expect(try apsBatches.settledResults(aps, ["76000"], reference: "st-aps-1").code == "76000")
        #expect(try apsBatches.batchAPI(aps, "PROCESS_BATCH", reference: "st-aps-1").code == "72147")
        #expect(try apsBatches.settledResults(aps, ["70000"], reference: "st-aps-1").code == "70000")
        #expect(try apsBatches.upload(aps, reference: "st-aps-2").code == "50000")
        #expect(try apsBatches.settledResults(aps, ["76000"], reference: "st-aps-2").code == "76000")

        // The callback to nobody has had its first attempt, so nothing moves while exporting.
        let queue = sandbox.service.deliveries
        try aps.http.settle()
        #expect(!queue.deliveries().isEmpty && queue.deliveries().allSatisfy { $0.attempts.count == 1 })
        return Made(single: single, paid: try #require(paidReply.string("RequestId")), plan: try #require(planReply.string("RequestId")),
                    cancelled: cancelled, shortURL: String(try #require(planReply.string("ShortUrl")).dropFirst("http://sandbox.test".count)),
                    completedBatch: completed, awaitingBatch: awaiting, awaitingUpload: awaitingPath)
    }

    /// The same request in both sandboxes gives the same status and body.
    func expectSameAnswers(_ paths: [String], _ one: PayByLinkTestClient, _ two: PayByLinkTestClient) throws {
        for path in paths {
            let a = try one.get(path), b = try two.get(path)
            #expect(a.status == b.status && a.http.text == b.http.text, "\(path): \(a.http.text) vs \(b.http.text)")
            #expect(a.http.header("Location") == b.http.header("Location"))
        }
    }

    @Test func payByLinkAndBatches_roundTrip_byteForByte_andAnswerTheSame() async throws {
        try await withSandbox(Self.configuration) { first, aps in
            let made = try await populate(first, aps)
            let snapshot = exported(first)
            try await withSandbox(Self.configuration) { second, aps2 in
                try second.service.importState(json: snapshot)
                #expect(String(decoding: exported(second), as: UTF8.self) == String(decoding: snapshot, as: UTF8.self))
                let one = PayByLinkTestClient(port: first.port), two = PayByLinkTestClient(port: second.port)
                let paths = [made.single, made.paid, made.plan, made.cancelled].map { "/requests/\($0)" } + [
                    "/requests?AccountReference=ACC-100", "/batches/\(made.completedBatch)", "/batches/\(made.completedBatch)/failures",
                    "/batches/\(made.awaitingBatch)", "/batches?Page=1", made.shortURL,
                ]
                try expectSameAnswers(paths, one, two)
                let short = try two.get(made.shortURL)
                #expect(short.status == 302 && short.http.header("Location")?.hasPrefix("http://sandbox.test/pay/") == true)
                let plan = try two.get("/requests/\(made.plan)")
                #expect(plan.string("Status") == "PartiallyPaid" && plan["AmountPaid"] == .number("40.00"))
                #expect(try two.get("/requests/\(made.cancelled)").string("Status") == "Cancelled")
                let failures = try two.get("/batches/\(made.completedBatch)/failures")
                #expect(failures["TotalCount"] == 1 && failures["Items"]?.arrayValue?.first?.objectValue?["LineNumber"] == 4)
                // Another key sees none of them, in the imported sandbox too.
                var other = two
                other.key = "another-key"
                #expect(try other.get("/requests/\(made.single)").status == 401)

                // The same steps in both sandboxes give the same answers and the same state.
                let apsBatches = APSBatchTests(), batches = PayByLinkBatchTests()
                for (client, apsClient) in [(one, aps), (two, aps2)] {
                    // The next instalment, paid through the link the short URL names now.
                    let current = try #require(try client.get("/requests/\(made.plan)").string("PaymentLinkId"))
                    try pay(apsClient, link: current)
                    // The upload URL handed out before the export works after the import.
                    #expect(try batches.upload(client, made.awaitingUpload, Self.payByLinkCSV.replacingOccurrences(of: "st-b-", with: "st-c-")).status == 201)
                    #expect(try client.post("/batches/\(made.awaitingBatch)/confirm", "").status == 202)
                    #expect(try batches.settledBatch(client, made.awaitingBatch).string("Status") == "CompletedWithErrors")
                    // The validated APS batch can be processed; the processed one's results stay.
                    #expect(try apsBatches.batchAPI(apsClient, "PROCESS_BATCH", reference: "st-aps-2").code == "72147")
                    #expect(try apsBatches.settledResults(apsClient, ["70000"], reference: "st-aps-2").code == "70000")
                    #expect(try client.create("st-next").status == 201)
                }
                #expect(try apsBatches.batchAPI(aps, "GET_BATCH_RESULTS", reference: "st-aps-1").object
                        == apsBatches.batchAPI(aps2, "GET_BATCH_RESULTS", reference: "st-aps-1").object)
                try expectSameAnswers(paths + ["/requests/\(made.plan)", "/requests?ClientTransactionRef=st-next", "/batches/\(made.awaitingBatch)/failures"],
                                      one, two)
                #expect(try two.get("/requests/\(made.plan)")["AmountPaid"] == .number("80.00"))
                for sandbox in [first, second] {
                    let queue = sandbox.service.deliveries
                    try HTTPTestClient(port: sandbox.port).settle()
                    #expect(queue.deliveries().allSatisfy { $0.attempts.count == 1 })
                }
                #expect(exported(second) == exported(first))
            }
        }
    }

    @Test func theSnapshot_holdsRequestsAndBatches_withoutCardNumbersOrFinishedFiles() async throws {
        try await withSandbox(Self.configuration) { sandbox, aps in
            let made = try await populate(sandbox, aps)
            let state = sandbox.service.exportState()
            #expect(state.keys == ["state_version", "clock", "ids", "links", "orders", "tokens", "outbox", "notifications", "paybylink", "batches", "merchants"])
            let requests = try #require(state["paybylink"]?.objectValue?["requests"]?.arrayValue).compactMap(\.objectValue)
            // Four made one by one, then the batch's two good lines.
            #expect(requests.map { $0["client_transaction_ref"] } == ["st-single", "st-paid", "st-plan", "st-cancelled", "st-b-1", "st-b-2"])
            #expect(requests[0]["request_id"] == .string(made.single) && requests[0]["callback_url"] == "http://127.0.0.1:1/callbacks")
            #expect(requests[0]["subscription_key"] == "test-subscription-key")
            #expect(requests[2]["payment_link_ids"]?.arrayValue?.count == 2 && requests[2]["instalments_paid"] == 1 && requests[2]["amount_paid"] == 4_000)
            #expect(requests[2]["repayment_plan"]?.objectValue?["first_payment_date"] == "2026-01-31T00:00:00.000Z")
            #expect(requests[3]["history"]?.arrayValue?.last?.objectValue?["status"] == "Cancelled")
            let batches = try #require(state["batches"]?.objectValue?["batches"]?.arrayValue).compactMap(\.objectValue)
            #expect(batches.map { $0["status"] } == ["CompletedWithErrors", "AwaitingUpload", "CompletedWithErrors", "Validated"])
            #expect(batches.map { $0["owner"] } == ["paybylink:test-subscription-key", "paybylink:test-subscription-key", "aps:\(aps.merchant.identifier)",
                                                    "aps:\(aps.merchant.identifier)"])
            #expect(batches[0]["failures"]?.arrayValue?.count == 1 && batches[2]["results"]?.arrayValue?.count == 3)
            // Only the validated batch still needs its file; the finished ones keep their results.
            #expect(batches.map { $0["file"] == .null } == [true, true, true, false])
            #expect(batches[3]["file"]?.stringValue.flatMap(StateBase64.decode) == Array(APSBatchTests.goodFile.utf8))
            #expect(state["batches"]?.objectValue?["upload_signing_key"]?.stringValue?.count == 64)
            let text = String(decoding: state.serialized(), as: UTF8.self)
            #expect(!text.contains("4005550000000001"))
        }
    }

    /// A batch exported mid-processing (here: a finished one edited back to where it stood after
    /// its first record) is restored as it stood: still Processing with one record done, and
    /// nothing picks it up again.
    @Test func aBatchExportedWhileProcessing_isRestoredAsItStood_andNotResumed() async throws {
        try await withSandbox(Self.configuration) { first, aps in
            let made = try await populate(first, aps)
            var state = first.service.exportState()
            var part = try #require(state["batches"]?.objectValue)
            var list = try #require(part["batches"]?.arrayValue)
            var batch = try #require(list[0].objectValue)
            for (key, value) in [("status", "Processing"), ("succeeded_records", 1), ("failed_records", 0), ("finished_at", .null),
                                 ("failures", []), ("file", .string(StateBase64.encode(Array(Self.payByLinkCSV.utf8))))] as [(String, JSONValue)] {
                batch[key] = value
            }
            list[0] = .object(batch)
            part["batches"] = .array(list)
            state["batches"] = .object(part)
            try await withSandbox(Self.configuration) { second, _ in
                try second.service.importState(state)
                let client = PayByLinkTestClient(port: second.port)
                let shown = try client.get("/batches/\(made.completedBatch)")
                #expect(shown.string("Status") == "Processing" && shown["ProcessedRecords"] == 1 && shown["TotalRecords"] == 3)
                // An imported batch that was Processing is not picked up again, settled or not.
                try client.http.settle()
                #expect(try client.get("/batches/\(made.completedBatch)").http.text == shown.http.text)
                #expect(exported(second) == state.serialized())
                // Confirming again changes nothing, as for any batch past its upload.
                #expect(try client.post("/batches/\(made.completedBatch)/confirm", "").string("Status") == "Processing")
            }
        }
    }

    @Test func aSnapshotWithoutThePayByLinkParts_importsWithNoRequestsOrBatches() async throws {
        try await withSandbox(Self.configuration) { sandbox, aps in
            let made = try await populate(sandbox, aps)
            var state = sandbox.service.exportState()
            state["paybylink"] = nil
            state["batches"] = nil
            try sandbox.service.importState(state)
            let client = PayByLinkTestClient(port: sandbox.port)
            #expect(try client.get("/requests/\(made.single)").status == 404)
            #expect(try client.get("/batches/\(made.completedBatch)").status == 404)
            let after = sandbox.service.exportState()
            #expect(after["paybylink"]?.objectValue?["requests"] == [] && after["batches"]?.objectValue?["batches"] == [])
            #expect(after["links"] == state["links"])
        }
    }

    // MARK: - Bad snapshots

    @Test func badPayByLinkParts_areRefusedWithThePath_andChangeNothing() async throws {
        try await withSandbox(Self.configuration) { sandbox, aps in
            let made = try await populate(sandbox, aps)
            let good = JSONValue.object(sandbox.service.exportState())
            let before = exported(sandbox)
            let client = PayByLinkTestClient(port: sandbox.port)
            let answer = try client.get("/requests/\(made.plan)").http.text
            let tests = StateSnapshotTests()
            typealias Step = StateSnapshotTests.Step
            let request: [Step] = [.key("paybylink"), .key("requests"), .index(0)]
            let batch: [Step] = [.key("batches"), .key("batches"), .index(0)]
            let cases: [([Step], JSONValue?, String)] = [
                ([.key("paybylink"), .key("requests")], "none", "paybylink.requests: expected a list"),
                ([.key("paybylink"), .key("colour")], "red", "paybylink.colour: unknown key (known here: ids, requests)"),
                (request + [.key("amount")], "125.50", "paybylink.requests[0].amount: expected an integer"),
                (request + [.key("amount")], 0, "paybylink.requests[0].amount: must be between 1 and 99999999 pence"),
                (request + [.key("request_id")], .string(made.paid), "paybylink.requests[1].request_id: duplicates paybylink.requests[0]"),
                (request + [.key("payment_link_ids"), .index(0)], "169996200023293942",
                 "paybylink.requests[0].payment_link_ids[0]: must name a link of pay-by-link in the snapshot's links"),
                (request + [.key("payment_link_ids")], [], "paybylink.requests[0].payment_link_ids: must name the request's first link"),
                (request + [.key("instalments_paid")], 3, "paybylink.requests[0].instalments_paid: must be the number of links (1) or one less"),
                (request + [.key("history"), .index(0), .key("status")], "Lost",
                 "paybylink.requests[0].history[0].status: expected one of: Pending, Sent, Opened, PartiallyPaid, Paid, Cancelled, Expired, Failed"),
                (request + [.key("customer"), .key("mobile_number")], "123", "paybylink.requests[0].customer.mobile_number: \(UKMobileNumber.rule)"),
                ([.key("paybylink"), .key("requests"), .index(2), .key("repayment_plan"), .key("frequency")], "Daily",
                 "paybylink.requests[2].repayment_plan.frequency: expected one of: Weekly, Fortnightly, Monthly"),
                ([.key("paybylink"), .key("requests"), .index(2), .key("repayment_plan"), .key("instalment_amount")], 1_000,
                 "paybylink.requests[2].repayment_plan.instalment_amount: must split amount (10000) into number_of_instalments, the last taking the rest"),
                ([.key("paybylink"), .key("ids"), .key("state")], "xyz", "paybylink.ids.state: must be 16 lowercase hex digits"),
                ([.key("batches"), .key("upload_signing_key")], "xyz", "batches.upload_signing_key: must be 64 lowercase hex digits"),
                (batch + [.key("owner")], "someone", "batches.batches[0].owner: must be paybylink: and a subscription key, or aps: and a merchant identifier"),
                (batch + [.key("status")], "Processing",
                 "batches.batches[0].status: Processing needs fewer processed records than total_records (total_records 3, succeeded_records 2, failed_records 1)"),
                (batch + [.key("status")], "Done",
                 "batches.batches[0].status: expected one of: AwaitingUpload, Uploaded, Validating, Validated, Processing, Completed, CompletedWithErrors, Failed"),
                (batch + [.key("failures")], [], "batches.batches[0].failures: must list failed_records (1) records"),
                (batch + [.key("failed_records")], 5,
                 "batches.batches[0].succeeded_records: succeeded_records and failed_records must be at least 0 and add up to at most total_records (3)"),
                (batch + [.key("finished_at")], nil, "batches.batches[0].finished_at: is required when the batch is finished"),
                (batch + [.key("file")], "QUJD", "batches.batches[0].file: must be null when the status is CompletedWithErrors (the engine keeps no file then)"),
                ([.key("batches"), .key("batches"), .index(3), .key("file")], "not base64!",
                 "batches.batches[3].file: must be the file's bytes in canonical base64 (RFC 4648, padded)"),
                ([.key("batches"), .key("batches"), .index(3), .key("file")], nil, "batches.batches[3].file: is required while the status is Validated"),
                ([.key("batches"), .key("batches"), .index(3), .key("reference")], "st-aps-1",
                 "batches.batches[3].reference: duplicates batches.batches[2] (a reference is unique per owner)"),
            ]
            for (path, value, message) in cases {
                // The duplicate id goes into the second request, so the first one is named.
                let target = message.contains("requests[1].request_id") ? [.key("paybylink"), .key("requests"), .index(1), .key("request_id")] : path
                let replacement: JSONValue? = message.contains("requests[1].request_id") ? .string(made.single) : value
                guard case .object(let bad) = tests.replacing(target, with: replacement, in: good) else { continue }
                do throws(StateImportError) {
                    try sandbox.service.importState(bad)
                    Issue.record("accepted: \(message)")
                } catch {
                    #expect(error.description == message)
                }
                #expect(exported(sandbox) == before)
            }
            #expect(try client.get("/requests/\(made.plan)").http.text == answer)
        }
    }

    @Test func base64_roundTrips_andRefusesNonCanonicalText() {
        for bytes: [UInt8] in [[], [0], [0, 1], [0, 1, 2], Array(0...255), Array("a,b\r\n".utf8)] {
            let text = StateBase64.encode(bytes)
            #expect(StateBase64.decode(text) == bytes)
        }
        #expect(StateBase64.encode(Array("Man".utf8)) == "TWFu" && StateBase64.encode(Array("Ma".utf8)) == "TWE=")
        for bad in ["TWE", "TW=u", "TWF=", "TW==", "T===", "TWE=TWFu", "TWFu\n"] { #expect(StateBase64.decode(bad) == nil, "\(bad)") }
    }
}

extension StatePayByLinkSnapshotTests {
    /// Snapshots taken while a large batch is being processed in the background each import
    /// into a fresh sandbox (every link a request names, and every request the batch counts,
    /// is in them), and one caught mid-processing stays where it stood there.
    @Test func snapshotsTakenWhileABatchProcesses_allImport() async throws {
        try await withSandbox(Self.configuration) { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let batches = PayByLinkBatchTests()
            var csv = PayByLinkBatchTests.header + "\r\n"
            for i in 0..<8_000 { csv += "big-\(i),TENANT-\(i),\(i % 7 == 0 ? "x" : "12.50"),Rent,Ann,Lee,07700900001,\r\n" }
            let (id, path) = try batches.newBatch(client, sandbox, file: "big.csv")
            #expect(try batches.upload(client, path, csv).status == 201)
            #expect(try client.post("/batches/\(id)/confirm", "").status == 202)
            var caught = 0, taken = 0
            while taken < 40 {
                let state = sandbox.service.exportState()
                taken += 1
                let status = sandbox.service.batches.batch(id: id)?.status
                let copy = SandboxService(configuration: Self.configuration)
                do throws(StateImportError) { try copy.importState(state) } catch { Issue.record("snapshot \(taken) refused: \(error)") }
                if let held = copy.batches.batch(id: id), held.status == .processing {
                    caught += 1
                    #expect(held.lifecycle.processedRecords < held.lifecycle.totalRecords)
                    #expect(copy.exportState().serialized() == state.serialized())
                }
                if status?.isFinished == true { break }
            }
            #expect(try batches.settledBatch(client, id).string("Status") == "CompletedWithErrors")
            #expect(taken > 0, "caught mid-processing \(caught) times")
        }
    }
}
