import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox

/// The same flows in memory and over a socket: the HTTP server adds framing and nothing else.
struct BothTransportsTests {
    @Test(arguments: TestTransport.allCases)
    func anAPSLink_isCreatedPaidCheckedAndRefunded(_ transport: TestTransport) async throws {
        try await transport.withService { service, aps in
            let id = try aps.createLink("both-1")
            #expect(try aps.check(id: id)["payment_link_status"] == "Open")
            let paid = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
            #expect(paid.status == 200 && paid.text.contains(#""outcome":"approved""#))
            #expect(try aps.check(id: id)["payment_link_status"] == "Paid")
            let fortID = try #require(service.engine.order(merchant: aps.merchant.identifier, reference: "both-1")?.fortID)
            let refund = try aps.send(["command": "REFUND", "merchant_reference": "both-1", "fort_id": .string(fortID), "amount": "1000",
                                       "currency": "SAR", "language": "en"])
            #expect(refund.code == "06000", "\(refund.object)")
        }
    }

    @Test(arguments: TestTransport.allCases)
    func aPayByLinkRequest_isCreatedReadAndCancelled(_ transport: TestTransport) async throws {
        try await transport.withService { _, aps in
            let client = PayByLinkTestClient(http: aps.http)
            let created = try client.create("both-pbl")
            #expect(created.status == 201)
            let id = try #require(created.string("RequestId"))
            #expect(try client.get("/requests/\(id)").string("Status") == "Sent")
            let cancelled = try client.put("/requests/\(id)", #"{"Status": "Cancelled"}"#)
            #expect(cancelled.string("Status") == "Cancelled", "\(cancelled.http.text)")
        }
    }

    @Test(arguments: TestTransport.allCases)
    func unknownPathsAndWrongMethods_answerAlike(_ transport: TestTransport) async throws {
        try await transport.withService { _, aps in
            let missing = try aps.http.get("/__sandbox/nothing")
            #expect(missing.status == 404 && missing.text.contains(#""path":"/__sandbox/nothing""#))
            let wrong = try aps.http.request("DELETE", "/__sandbox/health")
            #expect(wrong.status == 405 && wrong.header("Allow") == "GET")
            let page = try aps.http.get("/pay/not-a-token")
            #expect(page.status == 404 && page.header("Content-Type") == "text/html; charset=utf-8")
        }
    }
}
