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

/// `/dashboard`, over a real socket: search, generate (one and bulk), close,
/// reopen, extend, and the four exports read back by independent readers.
struct DashboardTests {
    static func form(_ pairs: [(String, String)]) -> [UInt8] {
        Array(pairs.map { "\($0.0)=\(QueryParameters.encode($0.1))" }.joined(separator: "&").utf8)
    }

    static func post(_ http: HTTPTestClient, _ path: String, _ pairs: [(String, String)]) throws -> HTTPTestClient.Response {
        try http.request("POST", path, body: form(pairs), headers: [("Content-Type", "application/x-www-form-urlencoded")])
    }

    static func generate(_ http: HTTPTestClient, _ reference: String, amount: String = "1250.50", currency: String = "SAR",
                         notification: String = "EMAIL", extra: [(String, String)] = []) throws -> HTTPTestClient.Response {
        try post(http, "/dashboard/links", [("merchant_identifier", Merchant.demo.identifier), ("merchant_reference", reference),
                                            ("amount", amount), ("currency", currency), ("customer_email", "ann@example.com"),
                                            ("request_expiry_date", "2026-03-01T12:00"), ("notification_type", notification),
                                            ("language", "en"), ("customer_name", "Ann Lee")] + extra)
    }

    /// The link the redirect after "Generate link" points at.
    static func generatedID(_ response: HTTPTestClient.Response) throws -> String {
        let location = try #require(response.header("Location"), "a 303 to the new link's page, got \(response.status) \(response.text)")
        return String(try #require(location.firstMatch(of: /\/dashboard\/links\/(\d+)\?done=created/)?.1))
    }

    @Test func generateLink_goesThroughPAYMENT_LINK_withTheAmountInTheCurrencysMinorUnits() async throws {
        try await withSandbox { sandbox, aps in
            let response = try Self.generate(aps.http, "dash-1")
            #expect(response.status == 303)
            let id = try Self.generatedID(response)
            let view = try #require(sandbox.engine.link(id: id))
            #expect(view.link.amount == 125_050 && view.link.currency == "SAR" && view.state == .open)
            #expect(ISO8601.formatUTC(view.link.expiry) == "2026-03-01T12:00:00Z")
            // The same link the API reports, and the customer was notified as by the API.
            #expect(try aps.check(id: id)["amount"] == "125050")
            let outbox = try aps.http.get("/__sandbox/outbox?payment_link_id=\(id)")
            #expect(outbox.text.contains("ann@example.com"))
            let page = try aps.http.get("/dashboard/links/\(id)?done=created")
            #expect(page.status == 200 && page.text.contains("Payment link generated.") && page.text.contains("1,250.50 SAR"))
            let kwd = try Self.generatedID(try Self.generate(aps.http, "dash-kwd", amount: "10.125", currency: "KWD"))
            #expect(sandbox.engine.link(id: kwd)?.link.amount == 10_125)
        }
    }

    @Test(arguments: [
        ("12.345", "SAR", "Amount: a positive number with at most 2 decimals for SAR"),
        ("0", "SAR", "Amount: a positive number"),
        ("ten", "SAR", "Amount: a positive number"),
        ("10", "XYZ", "Currency: XYZ is not an ISO 4217 currency"),
    ])
    func generateLink_refusesWhatAPersonMustCorrect_andKeepsTheForm(_ amount: String, _ currency: String, _ message: String) async throws {
        try await withSandbox { sandbox, aps in
            let response = try Self.generate(aps.http, "bad-1", amount: amount, currency: currency)
            #expect(response.status == 422)
            #expect(response.text.contains(HTML.escape(message)), "\(response.text)")
            #expect(response.text.contains("value=\"bad-1\""), "the form keeps what was typed")
            #expect(sandbox.engine.links().isEmpty)
        }
    }

    /// A refusal from the API's own checks shows the APS code and message it would answer.
    @Test func generateLink_showsTheAPSRefusal() async throws {
        try await withSandbox { _, aps in
            _ = try Self.generate(aps.http, "dup-1")
            let again = try Self.generate(aps.http, "dup-1")
            #expect(again.status == 422)
            #expect(again.text.contains("49066 Merchant reference already exists ("), "\(again.text)")
            let sms = try Self.generate(aps.http, "sms-1", notification: "SMS")
            #expect(sms.status == 422 && sms.text.contains("customer_phone"))
        }
    }

    @Test func search_filtersByStateDateMerchantAndText_newestFirst() async throws {
        try await withSandbox { sandbox, aps in
            let first = try aps.createLink("alpha-1", ["customer_name": "Zed Ray"])
            _ = try sandbox.clock.advance(milliseconds: 2 * 86_400_000)
            let second = try aps.createLink("beta-2")
            _ = try aps.http.post("/__sandbox/links/\(second)/pay", json: #"{"card_number":"4111111111111111"}"#)
            let all = try aps.http.get("/dashboard")
            #expect(all.status == 200 && all.text.contains("2 payment links"))
            let firstAt = try #require(all.text.range(of: first)), secondAt = try #require(all.text.range(of: second))
            #expect(secondAt.lowerBound < firstAt.lowerBound, "newest first")
            let paid = try aps.http.get("/dashboard?payment_link_status=Paid")
            #expect(paid.text.contains(second) && !paid.text.contains(first))
            let day = try aps.http.get("/dashboard?from=2026-01-01&to=2026-01-01")
            #expect(day.text.contains(first) && !day.text.contains(second))
            let text = try aps.http.get("/dashboard?q=zed")
            #expect(text.text.contains(first) && !text.text.contains(second))
            let other = try aps.http.get("/dashboard?merchant_identifier=nobody")
            #expect(other.text.contains("No payment links match"))
        }
    }

    @Test(arguments: [("from=yesterday", "from: must be a date"), ("payment_link_status=Lost", "payment_link_status: must be Open"),
                      ("colour=red", "colour: is not a filter"), ("from=2026-02-01&to=2026-01-01", "to: must not be before from")])
    func search_refusesABadFilter_namingTheField(_ query: String, _ message: String) async throws {
        try await withSandbox { _, aps in
            let page = try aps.http.get("/dashboard?\(query)")
            #expect(page.status == 400 && page.text.contains(HTML.escape(message)))
            let export = try aps.http.get("/dashboard/export.csv?\(query)")
            #expect(export.status == 400 && export.text.contains("invalid_query"))
        }
    }

    @Test func invoicePage_closesReopensAndExtends_asUPDATE_PAYMENT_LINK() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("edit-1", ["request_expiry_date": "2026-01-02T00:00:00Z"])
            let closed = try Self.post(aps.http, "/dashboard/links/\(id)", [("close", "on")])
            #expect(closed.status == 303 && closed.header("Location") == "/dashboard/links/\(id)?done=closed")
            #expect(sandbox.engine.link(id: id)?.state == .closed)
            #expect(try aps.http.get("/dashboard/links/\(id)?done=closed").text.contains("Link closed."))
            _ = try Self.post(aps.http, "/dashboard/links/\(id)", [("reopen", "on")])
            #expect(sandbox.engine.link(id: id)?.state == .open)
            _ = try sandbox.clock.advance(milliseconds: 2 * 86_400_000)
            #expect(sandbox.engine.link(id: id)?.state == .expired)
            let extended = try Self.post(aps.http, "/dashboard/links/\(id)", [("request_expiry_date", "2026-06-01T00:00")])
            #expect(extended.status == 303)
            #expect(sandbox.engine.link(id: id)?.state == .open)
            #expect(sandbox.engine.link(id: id).map { ISO8601.formatUTC($0.link.expiry) } == "2026-06-01T00:00:00Z")
            let nothing = try Self.post(aps.http, "/dashboard/links/\(id)", [])
            #expect(nothing.status == 422 && nothing.text.contains("Nothing to save"))
            let past = try Self.post(aps.http, "/dashboard/links/\(id)", [("request_expiry_date", "2025-01-01T00:00")])
            #expect(past.status == 422 && sandbox.engine.link(id: id)?.state == .open, "a typing mistake, not a state refusal")
            let reopenOpen = try Self.post(aps.http, "/dashboard/links/\(id)", [("reopen", "on")])
            #expect(reopenOpen.status == 409 && reopenOpen.text.contains("150"), "reopening an Open link: the state refuses it")
        }
    }

    @Test func aPaidLinkOffersNoChange_andAnUnknownOneIs404() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("paid-1")
            _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4111111111111111"}"#)
            let page = try aps.http.get("/dashboard/links/\(id)")
            #expect(page.text.contains("A paid link cannot be changed") && !page.text.contains("<form class=\"card\""))
            let refused = try Self.post(aps.http, "/dashboard/links/\(id)", [("close", "on")])
            #expect(refused.status == 409 && refused.text.contains("125"))
            #expect(sandbox.engine.link(id: id)?.state == .paid)
            #expect(try aps.http.get("/dashboard/links/999").status == 404)
            let unknown = try aps.http.get("/dashboard/nowhere")
            #expect(unknown.status == 404 && unknown.text.contains("/dashboard/nowhere"))
            let below = try aps.http.get("/dashboard/links/\(id)/zzz")
            #expect(below.status == 404 && below.header("Content-Type")?.hasPrefix("application/json") == true && below.text.contains("/zzz"))
            let token = try #require(sandbox.engine.link(id: id)?.link.token)
            let underPage = try aps.http.get("/pay/\(token)/zzz")
            #expect(underPage.status == 404 && underPage.header("Content-Type")?.hasPrefix("application/json") == true && underPage.text.contains("/zzz"))
        }
    }

    @Test func bulkGenerate_runsEachLine_andReportsEach() async throws {
        try await withSandbox { sandbox, aps in
            let csv = """
            merchant_reference,amount,currency,customer_email,request_expiry_date,notification_type
            bulk-1,1000,SAR,a@example.com,2026-12-31T23:59:59+03:00,EMAIL
            bulk-2,0,SAR,b@example.com,2026-12-31T23:59:59+03:00,EMAIL
            bulk-3,3000,AED,c@example.com,2026-12-31T23:59:59+03:00,NONE
            """
            let response = try Self.post(aps.http, "/dashboard/bulk", [("merchant_identifier", Merchant.demo.identifier), ("csv", csv)])
            #expect(response.status == 200)
            #expect(response.text.contains("2 of 3 links generated"))
            #expect(sandbox.engine.links().map(\.link.merchantReference) == ["bulk-1", "bulk-3"])
            let badHeader = try Self.post(aps.http, "/dashboard/bulk", [("csv", "reference,amount\nx,1")])
            #expect(badHeader.status == 422 && badHeader.text.contains("unknown column"))
        }
    }

    /// The four exports hold the same cells as each other, for the search's links only.
    @Test func exports_holdTheSearchsLinks_readBackByIndependentReaders() async throws {
        try await withSandbox { _, aps in
            let kept = try aps.createLink("exp-1", ["customer_name": "Ann O'Lee", "notification_type": "EMAIL,SMS", "customer_phone": "00966500000001"])
            let other = try aps.createLink("other-2")
            _ = try aps.http.post("/__sandbox/links/\(other)/pay", json: #"{"card_number":"4111111111111111"}"#)
            let query = "?payment_link_status=Open"

            let csv = try aps.http.get("/dashboard/export.csv\(query)")
            #expect(csv.status == 200 && csv.header("Content-Type") == "text/csv; charset=utf-8")
            #expect(csv.header("Content-Disposition") == "attachment; filename=\"payment-links-2026-01-01.csv\"")
            let csvRows = try Self.python(csv.body, """
                import csv, sys, json; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))))
                """)
            #expect(csvRows.count == 2)
            #expect(csvRows[0].first == "Invoice number")
            #expect(csvRows[1][0] == kept && csvRows[1][7] == "Ann O'Lee" && csvRows[1][9] == "EMAIL,SMS" && csvRows[1][4] == "1250.00")

            let xml = try aps.http.get("/dashboard/export.xml\(query)")
            let xmlRows = try Self.python(xml.body, """
                import sys, json, xml.etree.ElementTree as ET
                root = ET.parse(sys.argv[1]).getroot()
                print(json.dumps([[root.get('count')]] + [[c.text or '' for c in row] for row in root]))
                """)
            #expect(xmlRows.first == ["1"])
            #expect(xmlRows.dropFirst().first == csvRows[1])

            let xlsx = try aps.http.get("/dashboard/export.xlsx\(query)")
            #expect(xlsx.header("Content-Type") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let sheet = try Self.python(xlsx.body, """
                import sys, json, zipfile, xml.etree.ElementTree as ET
                z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
                ns = {'s': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
                rows = []
                for row in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter('{%s}row' % ns['s']):
                    rows.append([''.join(t.text or '' for t in c.iter('{%s}t' % ns['s'])) or (c.findtext('s:v', '', ns)) for c in row])
                print(json.dumps(rows))
                """)
            #expect(sheet.count == 2 && sheet[1].contains(kept) && sheet[1].contains("Ann O'Lee") && sheet[1].contains("EMAIL,SMS"))

        }
    }

    /// The PDF export holds the search's links, read back by poppler.
    @Test(.enabled(if: ExportWriterTests.popplerInstalled, ExportWriterTests.popplerMissing))
    func pdfExport_holdsTheSearchsLinks_readBackByPoppler() async throws {
        try await withSandbox { _, aps in
            let kept = try aps.createLink("exp-1")
            let other = try aps.createLink("other-2")
            _ = try aps.http.post("/__sandbox/links/\(other)/pay", json: #"{"card_number":"4111111111111111"}"#)
            let pdf = try aps.http.get("/dashboard/export.pdf?payment_link_status=Open")
            #expect(pdf.header("Content-Type") == "application/pdf")
            let file = try ExportWriterTests.temporaryFile(pdf.body, suffix: "pdf")
            defer { try? FileManager.default.removeItem(at: file) }
            let text = try ExportWriterTests.run(try ExportWriterTests.poppler("pdftotext"), ["-layout", file.path, "-"])
            #expect(text.status == 0 && text.stdout.contains(kept) && text.stdout.contains("exp-1") && !text.stdout.contains(other))
            #expect(text.stdout.contains("payment_link_status Open"))
        }
    }

    /// A form over the cap creates nothing: the lines are counted before any runs.
    @Test func bulkGenerate_overTheCap_createsNothing() async throws {
        try await withSandbox { sandbox, aps in
            var csv = "merchant_reference,amount,currency,customer_email,request_expiry_date,notification_type\n"
            for index in 0...Dashboard.maxBulkRecords { csv += "cap-\(index),1000,SAR,a@example.com,2026-12-31T23:59:59+03:00,NONE\n" }
            let response = try Self.post(aps.http, "/dashboard/bulk", [("csv", csv)])
            #expect(response.status == 422 && response.text.contains("At most \(Dashboard.maxBulkRecords) links at once"))
            #expect(sandbox.engine.links().isEmpty)
        }
    }

    /// IDs are percent-encoded in the dashboard's links and decoded from its paths: an ID in
    /// Arabic letters (which the API accepts) opens its page.
    @Test func invoicePage_ofAnIDInArabicLetters_isReachableFromTheList() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("ar-id", ["payment_link_id": "فاتورة-1"])
            #expect(id == "فاتورة-1")
            let list = try aps.http.get("/dashboard")
            let href = try #require(list.text.firstMatch(of: /<td><a href="(\/dashboard\/links\/[^"]+)"/)?.1)
            #expect(href == "/dashboard/links/" + QueryParameters.encode(id) && href.allSatisfy(\.isASCII))
            let page = try aps.http.get(String(href))
            #expect(page.status == 200 && page.text.contains("Invoice فاتورة-1"))
            let closed = try Self.post(aps.http, String(href), [("close", "on")])
            #expect(closed.header("Location") == String(href) + "?done=closed")
            #expect(sandbox.engine.link(id: id)?.state == .closed)
        }
    }

    @Test(arguments: [("1,250.50", Int64(125_050)), ("1,250", 125_000), ("12,50", nil), ("1,5", nil), ("1,2500", nil), ("1.", nil), (".5", nil)])
    func amounts_allowGroupingCommasOnly(_ typed: String, _ minor: Int64?) {
        #expect(LinkForm.minorUnits(typed, decimals: 2) == minor)
    }

    @Test func exports_overTheCap_areRefusedNamingTheFilters() async throws {
        try await withSandbox { sandbox, aps in
            for index in 0...DashboardExport.maxRows {
                _ = try sandbox.engine.createLink(LinkTerms(merchantIdentifier: Merchant.demo.identifier, merchantReference: "many-\(index)", amount: 1,
                                                            currency: "SAR", customerEmail: "a@example.com",
                                                            expiry: SandboxInstant(secondsSince1970: 1_900_000_000)))
            }
            let refused = try aps.http.get("/dashboard/export.pdf")
            #expect(refused.status == 422 && refused.text.contains("export_too_large") && refused.text.contains("narrow the search"))
            let narrowed = try aps.http.get("/dashboard/export.csv?q=many-1999")
            #expect(narrowed.status == 200 && narrowed.text.contains("many-1999"))
        }
    }

    /// Runs a Python snippet on the bytes (saved to a file, its path in argv[1]); returns the
    /// list of rows it printed as JSON.
    static func python(_ bytes: [UInt8], _ script: String) throws -> [[String]] {
        let file = try ExportWriterTests.temporaryFile(bytes, suffix: "export")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try ExportWriterTests.run(try ExportWriterTests.python(), ["-c", script, file.path])
        try #require(result.status == 0, "python3 could not read the export:\n\(result.stderr)")
        return try JSONDecoder().decode([[String]].self, from: Data(result.stdout.utf8))
    }
}
