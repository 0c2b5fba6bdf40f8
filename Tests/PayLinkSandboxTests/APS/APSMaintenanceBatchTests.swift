import Foundation
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkPayByLink

/// Maintenance batch files: CAPTURE, REFUND and VOID_AUTHORIZATION lines on existing orders,
/// through the same batch engine and endpoints as the payment-link files, each line run by the
/// paymentApi command itself and reported in the old batch service's result columns.
struct APSMaintenanceBatchTests {
    let batches = APSBatchTests()
    let orders = APSOrderOperationTests()
    static let header = "command,merchant_reference,fort_id,amount,currency,maintenance_reference"

    /// Uploads `file`, checks it validates with `count` lines, processes it; returns the result
    /// lines (the header first) split into unquoted fields.
    func run(_ aps: APSTestClient, _ file: String, count: Int, reference: String = "maint-1") throws -> [[String]] {
        let uploaded = try batches.upload(aps, reference: reference, file: file)
        #expect(uploaded.code == "50000", "\(uploaded.detail ?? "")")
        let validated = try batches.settledResults(aps, ["76000"], reference: reference)
        #expect(validated["transactions_count"] == String(count))
        #expect(try batches.batchAPI(aps, "PROCESS_BATCH", reference: reference).code == "72147")
        let results = try batches.settledResults(aps, ["70000"], reference: reference)
        let csv = try #require(results["batch_results"])
        // The header is bare, every value below it quoted (none of these values holds a comma).
        return csv.split(separator: "\r\n").enumerated().map { index, line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { index == 0 ? String($0) : String($0.dropFirst().dropLast()) }
        }
    }

    @Test func maintenanceLines_followThePaymentAPIsOrderRules_andReportEachLine() async throws {
        try await NotificationTests().withMerchantEndpoint(failures: 0) { sandbox, aps, receiver in
            let authorized = try orders.paidOrder(aps, "m-auth", command: "AUTHORIZATION")
            let toVoid = try orders.paidOrder(aps, "m-void", command: "AUTHORIZATION")
            _ = try orders.paidOrder(aps, "m-purchase")
            let file = Self.header + "\r\n" + [
                "CAPTURE,m-auth,,4000,SAR,",                          // 2: 04000
                "CAPTURE,,\(authorized),9000,SAR,",                   // 3: more than the 6000 left: 05042
                "REFUND,m-auth,\(authorized),1000,SAR,r-1",           // 4: 06000
                "REFUND,m-auth,,1000,SAR,r-1",                        // 5: the reference already succeeded: 07047
                "VOID_AUTHORIZATION,m-void,,5000,SAR,",               // 6: partial void: 09005
                "VOID_AUTHORIZATION,m-void,,10000,USD,",              // 7: another currency: 09013
                "VOID_AUTHORIZATION,m-void,,,,",                      // 8: the whole authorization: 08000
                "VOID_AUTHORIZATION,m-void,,,,",                      // 9: again: 09047
                "CAPTURE,m-purchase,,100,SAR,",                       // 10: a purchase takes no capture: 05034
                "REFUND,nobody,,100,SAR,",                            // 11: 07036
                "CAPTURE,m-auth,,,SAR,",                              // 12: 00001 (amount)
                "PURCHASE,m-auth,,100,SAR,",                          // 13: not a maintenance command: 00004
                "CAPTURE,m-auth,,100",                                // 14: too few fields: 00002
            ].joined(separator: "\r\n") + "\r\n"
            let lines = try run(aps, file, count: 13)
            #expect(lines.first == APSMaintenanceBatchFile.resultHeader)
            #expect(lines.first?.joined(separator: ",")
                == "Line_Number,response_code,response_message,status,eci,fort_id,merchant_reference,amount,card_number,expiry_date,currency")
            let codes = lines.dropFirst().map { [$0[0], $0[1]] }
            #expect(codes == [["2", "04000"], ["3", "05042"], ["4", "06000"], ["5", "07047"], ["6", "09005"], ["7", "09013"], ["8", "08000"],
                              ["9", "09047"], ["10", "05034"], ["11", "07036"], ["12", "00001"], ["13", "00004"], ["14", "00002"]])
            let capture = try #require(lines.dropFirst().first)
            #expect(capture == ["2", "04000", "Success", "04", "ECOMMERCE", authorized, "m-auth", "4000", "400555******0001", capture[9], "SAR"])
            #expect(capture[9].count == 4, "the card's expiry, YYMM")
            let void = lines[7]
            #expect(void[1] == "08000" && void[5] == toVoid && void[7] == "10000", "a void line without an amount reports the authorization")
            #expect(lines[10][5] == "" && lines[10][6] == "nobody", "an unknown order: what the line said")

            let order = try #require(sandbox.service.engine.order(fortID: authorized))
            #expect(order.capturedAmount == 4000 && order.refundedAmount == 1000)
            #expect(sandbox.service.engine.order(fortID: toVoid)?.voided == true)
            let batch = try #require(sandbox.service.batches.batch(owner: .apsMerchant(aps.merchant.identifier), reference: "maint-1"))
            #expect(batch.status == .completedWithErrors)
            #expect(batch.lifecycle.succeededRecords == 3 && batch.lifecycle.failedRecords == 10)
            #expect(batch.failures.first { $0.line == 12 }?.errors.first?.path == "amount")

            // Each processed operation is notified as the paymentApi command's is.
            let events = sandbox.service.deliveries.deliveries().map(\.event)
            #expect(events == ["AUTHORIZATION", "AUTHORIZATION", "PURCHASE", "CAPTURE", "REFUND", "VOID_AUTHORIZATION"])
            let notified = try receiver.requests.suffix(3).map { try #require(try JSONParser.parse($0.body).objectValue) }
            #expect(notified.map { $0["response_code"] } == ["04000", "06000", "08000"])
            #expect(notified[0]["command"] == "CAPTURE" && notified[0]["amount"] == "4000" && notified[0]["fort_id"] == .string(authorized))
            for payload in notified {
                #expect(payload["signature"] == .string(aps.merchant.signer.sign(payload.removing("signature"), phrase: aps.merchant.responsePhrase)))
            }
        }
    }

    @Test func columnsComeInAnyOrderAndCase_andLanguageDefaultsToTheUploads() async throws {
        try await withSandbox { sandbox, aps in
            let fortID = try orders.paidOrder(aps, "m-order", command: "AUTHORIZATION")
            let file = "Amount,FORT_ID,Currency,Command,Language\r\n2500,\(fortID),SAR,CAPTURE,\r\n100,\(fortID),SAR,CAPTURE,fr\r\n"
            let lines = try run(aps, file, count: 2)
            #expect(lines.dropFirst().map { $0[1] } == ["04000", "00002"], "language fr is refused as on paymentApi")
            #expect(sandbox.service.engine.order(fortID: fortID)?.capturedAmount == 2500)
        }
    }

    @Test func maintenanceHeaderRefusals_are77142() async throws {
        try await withSandbox { _, aps in
            let headers = [
                "command,amount,currency",                              // names no order
                "command,merchant_reference,amount,customer_email",     // a payment-link column
                "command,merchant_reference,command",                   // twice
            ]
            for (i, header) in headers.enumerated() {
                let reference = "bad-\(i)"
                #expect(try batches.upload(aps, reference: reference, file: header + "\r\nCAPTURE,x,1\r\n").code == "50000")
                let results = try batches.settledResults(aps, ["77142"], reference: reference)
                #expect(results["response_message"] == "The Batch file header is invalid")
                #expect(try batches.batchAPI(aps, "PROCESS_BATCH", reference: reference).code == "73136")
            }
        }
    }

    /// A maintenance batch exported with the state comes back with its result columns; a
    /// snapshot from before they were recorded reads as a payment-link batch.
    @Test func resultColumns_surviveTheStateSnapshot() async throws {
        try await withSandbox { sandbox, aps in
            let fortID = try orders.paidOrder(aps, "m-snap", command: "AUTHORIZATION")
            _ = try run(aps, Self.header + "\r\nCAPTURE,,\(fortID),100,SAR,\r\n", count: 1)
            let exported = try aps.http.get("/__sandbox/state")
            #expect(exported.status == 200)
            #expect(exported.text.contains("\"result_columns\""))
            let reset = try aps.http.post("/__sandbox/reset", json: "{}")
            #expect(reset.status == 200)
            #expect(try batches.batchAPI(aps, "GET_BATCH_RESULTS", reference: "maint-1").code == "71141")
            let imported = try aps.http.request("PUT", "/__sandbox/state", body: exported.body, headers: [("Content-Type", "application/json")])
            #expect(imported.status == 200, "\(imported.text)")
            let csv = try #require(try batches.batchAPI(aps, "GET_BATCH_RESULTS", reference: "maint-1")["batch_results"])
            #expect(csv.hasPrefix(APSMaintenanceBatchFile.resultHeader.joined(separator: ",") + "\r\n\"2\",\"04000\""))
            #expect(sandbox.service.batches.batches(owner: .apsMerchant(aps.merchant.identifier)).first?.resultColumns == APSMaintenanceBatchFile.resultHeader)
        }
    }

    @Test func oldSnapshotBatch_withoutResultColumns_reportsThePaymentLinkColumns() throws {
        let json = #"{"batch_id":"12345678901234567890","owner":"aps:CycHZxVj","file_name":"links.csv","reference":"old","created_at":"2026-01-01T00:00:00Z","status":"Completed","total_records":1,"succeeded_records":1,"failed_records":0,"failure_reason":null,"failure_code":null,"uploaded_at":"2026-01-01T00:00:00Z","confirmed_at":"2026-01-01T00:00:00Z","finished_at":"2026-01-01T00:00:00Z","file_size":10,"file":null,"failures":[],"results":[{"line":2,"fields":["2","48000","Success","48","a","1","u","1","SAR"]}]}"#
        let (batch, _) = try BatchStateJSON.decodeBatch(try JSONParser.parse(Array(json.utf8)), path: "batches.batches[0]")
        #expect(batch.resultColumns.isEmpty)
        #expect(APSBatchFile.resultsCSV(batch).hasPrefix(APSBatchFile.resultHeader.joined(separator: ",") + "\r\n"))
    }

    /// `batch_results` is written as bytes: every value quoted, every quote byte doubled (a
    /// quote carrying a combining mark too: a CSV reader reads bytes or code points, not
    /// grapheme clusters, and a single quote there would end the field), CRLF after the header
    /// and every line.
    @Test func resultsCSV_isTheTextOfTheLinesJoined() throws {
        let fields: [[String]] = [["2", "48000", "Success", "a"], ["3", "say \"hi\"", "", "caf\u{E9}"], [], ["4", "\"\u{301}x", "\"\""]]
        let results = fields.enumerated().map { line, values in
            JSONValue.object(["line": .number(String(line + 2)), "fields": .array(values.map { .string($0) })])
        }
        var object = try #require(try JSONParser.parse(Array(#"{"batch_id":"12345678901234567890","owner":"aps:CycHZxVj","file_name":"links.csv","reference":"r","created_at":"2026-01-01T00:00:00Z","status":"Completed","total_records":4,"succeeded_records":4,"failed_records":0,"failure_reason":null,"failure_code":null,"uploaded_at":"2026-01-01T00:00:00Z","confirmed_at":"2026-01-01T00:00:00Z","finished_at":"2026-01-01T00:00:00Z","file_size":10,"file":null,"failures":[],"results":[]}"#.utf8)).objectValue)
        object["results"] = .array(results)
        let (batch, _) = try BatchStateJSON.decodeBatch(.object(object), path: "batches.batches[0]")
        var lines = [APSBatchFile.resultHeader.joined(separator: ",")]
        for values in fields {
            lines.append(values.map { "\"" + String(decoding: Array($0.utf8).flatMap { $0 == 34 ? [34, 34] : [$0] }, as: UTF8.self) + "\"" }.joined(separator: ","))
        }
        #expect(APSBatchFile.resultsCSV(batch) == lines.joined(separator: "\r\n") + "\r\n")
        #expect(APSBatchFile.resultsCSV(batch).contains(",\"say \"\"hi\"\"\",") && APSBatchFile.resultsCSV(batch).utf8.contains(Array(",\"\"\"\u{301}x\",".utf8)))
    }

    /// The maintenance file of docs/aps.md gives the results the page shows.
    @Test func docsFile_givesTheDocumentedResults() async throws {
        let page = try DocsExampleTests.page("docs/aps.md")
        let file = try PayByLinkReadmeTests.csv(page, after: "### Maintenance batch files (capture, refund, void)")
        try await withSandbox { sandbox, aps in
            let authorized = try orders.paidOrder(aps, "order-1", command: "AUTHORIZATION")
            _ = try orders.paidOrder(aps, "order-2")
            let lines = try run(aps, file, count: 4)
            let quoted = lines.dropFirst().map { $0.map { "\"\($0)\"" }.joined(separator: ",") }
            #expect(quoted.first == "\"2\",\"04000\",\"Success\",\"04\",\"ECOMMERCE\",\"\(authorized)\",\"order-1\",\"4000\",\"400555******0001\",\"3005\",\"SAR\"")
            #expect(page.contains(quoted[0].replacingOccurrences(of: authorized, with: "…")), "the page shows line 2 as it comes")
            #expect(lines.dropFirst().map { $0[1] } == ["04000", "06000", "06000", "09034"])
            #expect(page.contains("\"5\",\"09034\",\"\(lines[4][2])\",\"09\""), "the page shows line 5's message as it comes")
            #expect(sandbox.service.engine.order(fortID: authorized)?.refundedAmount == 1000)
        }
    }
}
