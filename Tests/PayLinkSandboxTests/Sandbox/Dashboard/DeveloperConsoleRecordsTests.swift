import Foundation
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// The console's records over a real socket: a paid link's order on its invoice page, and
/// PayByLink's requests and batches.
struct DeveloperConsoleRecordsTests {
    func op(_ aps: APSTestClient, _ command: String, _ fields: JSONObject) throws -> APSTestClient.Reply {
        var params: JSONObject = ["command": .string(command), "language": "en"]
        for (k, v) in fields { params[k] = v }
        return try aps.send(params)
    }

    @Test func invoicePage_showsThePaidLinksOrder_withCapturesRefundsAndVoids() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("order-page", ["link_command": "AUTHORIZATION", "amount": "10000"])
            #expect(!(try aps.http.get("/dashboard/links/\(id)")).text.contains("<h2 id=\"order\">"), "no order before payment")
            _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001","card_holder_name":"Sara Ahmed"}"#)
            let order = try #require(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "order-page"))
            #expect(try op(aps, "CAPTURE", ["fort_id": .string(order.fortID), "amount": "6000", "currency": "SAR",
                                            "maintenance_reference": "cap-1"]).code == "04000")
            #expect(try op(aps, "REFUND", ["fort_id": .string(order.fortID), "amount": "2500", "currency": "SAR"]).code == "06000")
            let page = try aps.http.get("/dashboard/links/\(id)")
            #expect(page.status == 200)
            #expect(page.text.contains("<h2 id=\"order\">Order</h2>"))
            #expect(page.text.contains("<code class=\"fort-id\">\(order.fortID)</code>"))
            #expect(page.text.contains("<dt>Authorization code</dt><dd>\(order.authorizationCode)</dd>") && order.authorizationCode.count == 6)
            #expect(page.text.contains("<dt>Card number</dt><dd>400555******0001</dd>"))
            #expect(page.text.contains("<dt>Payment option</dt><dd>VISA</dd>"))
            #expect(page.text.contains("<dt>Captured</dt><dd>60.00 SAR</dd>") && page.text.contains("<dt>Refunded</dt><dd>25.00 SAR</dd>"))
            #expect(page.text.contains("<td>AUTHORIZATION</td>") && page.text.contains("<td>CAPTURE</td>") && page.text.contains("<td>REFUND</td>"))
            #expect(page.text.contains("<td>cap-1</td>"))
            #expect(page.text.contains("href=\"/dashboard/deliveries?payment_link_id=\(id)\""))

            let voided = try aps.createLink("order-void", ["link_command": "AUTHORIZATION", "amount": "5000"])
            _ = try aps.http.post("/__sandbox/links/\(voided)/pay", json: #"{"card_number":"4005550000000001"}"#)
            let voidOrder = try #require(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "order-void"))
            #expect(try op(aps, "VOID_AUTHORIZATION", ["fort_id": .string(voidOrder.fortID)]).code == "08000")
            let voidPage = try aps.http.get("/dashboard/links/\(voided)")
            #expect(voidPage.text.contains("<td>VOID_AUTHORIZATION</td>") && voidPage.text.contains("<dt>Voided</dt><dd>yes</dd>"))
        }
    }

    @Test func payByLink_requestsAreListedByStatus_andShownWithHistoryAndLinks() async throws {
        try await withSandbox { sandbox, aps in
            let client = PayByLinkTestClient(port: sandbox.port)
            let first = try #require(try client.create("pbl-1").string("RequestId"))
            let second = try client.create("pbl-2", ["Reason": "\"Rent <i>arrears</i>\""])
            let secondID = try #require(second.string("RequestId"))
            let linkID = try #require(second.string("PaymentLinkId"))
            _ = try aps.http.post("/__sandbox/links/\(linkID)/pay", json: "{}")

            let list = try aps.http.get("/dashboard/paybylink")
            #expect(list.status == 200)
            #expect(list.text.contains(">\(first)</a>") && list.text.contains(">\(secondID)</a>"))
            #expect(list.text.contains("2 requests of subscription <code>test-subscription-key</code>"))
            let paid = try aps.http.get("/dashboard/paybylink?subscription=test-subscription-key&Status=Paid")
            #expect(paid.text.contains(">\(secondID)</a>") && !paid.text.contains(">\(first)</a>"))
            #expect(try aps.http.get("/dashboard/paybylink?Status=Lost").status == 400)
            #expect(try aps.http.get("/dashboard/paybylink?subscription=nobody").text.contains("0 requests"))

            let detail = try aps.http.get("/dashboard/paybylink/requests/\(secondID)?subscription=test-subscription-key")
            #expect(detail.status == 200)
            #expect(!detail.text.contains("<i>arrears"), "escaped")
            #expect(detail.text.contains("<span class=\"state Paid\">Paid</span>"))
            #expect(detail.text.contains("<h2>Status history</h2>") && detail.text.contains(">Sent</span>"))
            #expect(detail.text.contains("href=\"/dashboard/links/\(linkID)\""))
            // Without the subscription, every configured one is tried.
            #expect(try aps.http.get("/dashboard/paybylink/requests/\(secondID)").status == 200)
            #expect(try aps.http.get("/dashboard/paybylink/requests/no-such-id").status == 404)
        }
    }

    @Test func payByLink_batchesAreListed_andShownWithCountsAndFailures() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let batches = PayByLinkBatchTests()
            let (id, path) = try batches.newBatch(client, sandbox, file: "mixed<1>.csv")
            let csv = "ClientTransactionRef,AccountReference,Amount,Reason,FirstName,LastName,MobileNumber\n"
                + "b-1,A,10,Rent,Ann,Lee,07700900001\nb-2,A,0,<script>x</script>,Bob,Lee,123\n"
            #expect(try batches.upload(client, path, csv).status == 201)
            _ = try client.post("/batches/\(id)/confirm", "")
            _ = try batches.settledBatch(client, id)

            let list = try aps(sandbox).get("/dashboard/paybylink/batches")
            #expect(list.status == 200)
            #expect(list.text.contains(">\(id)</a>") && list.text.contains("CompletedWithErrors"))
            #expect(list.text.contains("mixed&lt;1&gt;.csv"))
            let detail = try aps(sandbox).get("/dashboard/paybylink/batches/\(id)")
            #expect(detail.status == 200)
            #expect(detail.text.contains("<dt>Records</dt><dd>2</dd>") && detail.text.contains("<dt>Failed</dt><dd>1</dd>"))
            #expect(detail.text.contains("<td class=\"num\">3</td>"), "the failed record's line")
            #expect(detail.text.contains("&lt;script&gt;x&lt;/script&gt;") && !detail.text.contains("<script>x"))
            #expect(detail.text.contains("<code>Amount</code>"))
            #expect(try aps(sandbox).get("/dashboard/paybylink/batches/nope").status == 404)
        }
    }

    func aps(_ sandbox: Sandbox) -> HTTPTestClient { HTTPTestClient(port: sandbox.port) }
}
