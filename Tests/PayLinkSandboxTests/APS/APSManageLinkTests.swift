import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// `CHECK_PAYMENT_LINK_STATUS` and `UPDATE_PAYMENT_LINK` over a real socket.
struct APSManageLinkTests {
    @Test func check_answers12000_withStatusAttemptsAmountCurrencyAndUTCExpiry() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("chk-1")
            let reply = try aps.check(id: id)
            #expect(reply.code == "12000")
            #expect(reply["status"] == "12")
            #expect(reply["query_command"] == "CHECK_PAYMENT_LINK_STATUS")
            #expect(reply["payment_link_status"] == "Open")
            #expect(reply["user_attempts_count"] == "0")
            #expect(reply["amount"] == "125000")
            #expect(reply["currency"] == "SAR")
            #expect(reply["request_expiry_date"] == "2026-02-28T21:00:00Z")
            #expect(reply["language"] == "en")
            #expect(reply["merchant_reference"] == "chk-1")
        }
    }

    @Test func check_countsOpenings() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("chk-open")
            _ = try sandbox.engine.recordOpening(id: id)
            _ = try aps.http.post("/__sandbox/links/\(id)/open", json: "")
            #expect(try aps.check(id: id)["user_attempts_count"] == "2")
        }
    }

    @Test func check_byMerchantReference_findsTheLink() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("by-ref")
            let reply = try aps.send(["query_command": "CHECK_PAYMENT_LINK_STATUS", "merchant_reference": "by-ref"])
            #expect(reply.code == "12000")
            #expect(reply["payment_link_id"] == id)
        }
    }

    @Test func check_withPaymentLinkID_treatsMerchantReferenceAsTheRequestsOwn() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("original-ref")
            let reply = try aps.send(["query_command": "CHECK_PAYMENT_LINK_STATUS", "payment_link_id": .string(id),
                                      "merchant_reference": "TestByAPS22"])
            #expect(reply.code == "12000")
            #expect(reply["merchant_reference"] == "TestByAPS22")
        }
    }

    @Test func check_withoutMerchantIdentifier_usesTheLinksMerchant() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("no-mid")
            var params: JSONObject = ["query_command": "CHECK_PAYMENT_LINK_STATUS", "payment_link_id": .string(id),
                                      "access_code": .string(Merchant.demo.accessCode)]
            params["signature"] = .string(Merchant.demo.signer.sign(params, phrase: Merchant.demo.requestPhrase))
            let reply = try aps.send(params, sign: false, addCredentials: false)
            #expect(reply.code == "12000")
            #expect(reply["merchant_identifier"] == Merchant.demo.identifier)
        }
    }

    @Test func check_showsPaidAfterPayment_andExpiredAfterTheClockMoves() async throws {
        try await withSandbox { sandbox, aps in
            let paid = try aps.createLink("to-pay")
            let expiring = try aps.createLink("to-expire")
            _ = try sandbox.engine.pay(id: paid)
            #expect(try aps.check(id: paid)["payment_link_status"] == "Paid")
            _ = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 5184000}"#)
            #expect(try aps.check(id: expiring)["payment_link_status"] == "Expired")
            #expect(try aps.check(id: paid)["payment_link_status"] == "Paid")
        }
    }

    @Test func check_unknownLink_is11149() async throws {
        try await withSandbox { _, aps in
            let reply = try aps.check(id: "100000000000000000")
            #expect(reply.code == "11149")
            #expect(reply["response_message"] == "Payment link request id not found")
        }
    }

    @Test func check_anotherMerchantsLink_is11149() async throws {
        let other = Merchant(identifier: "OtherMer", accessCode: "OtherAccess123", requestPhrase: "in", responsePhrase: "out")
        var config = SandboxConfiguration.testing(merchants: [.demo, other])
        config.usesDemoMerchant = false
        try await withSandbox(config) { sandbox, aps in
            let id = try aps.createLink("mine")
            let stranger = APSTestClient(port: sandbox.port, merchant: other)
            #expect(try stranger.check(id: id).code == "11149")
        }
    }

    func update(_ aps: APSTestClient, _ id: String, _ fields: JSONObject) throws -> APSTestClient.Reply {
        var params: JSONObject = ["service_command": "UPDATE_PAYMENT_LINK", "payment_link_id": .string(id), "language": "en"]
        for (k, v) in fields { params[k] = v }
        return try aps.send(params)
    }

    @Test func update_closesAndReopens_with78000AndTheResultingStatus() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("upd-1")
            let closed = try update(aps, id, ["payment_link_status": "Closed"])
            #expect(closed.code == "78000")
            #expect(closed["status"] == "78")
            #expect(closed["payment_link_status"] == "Closed")
            #expect(closed["payment_link"]?.contains("/pay/") == true)
            #expect(try aps.check(id: id)["payment_link_status"] == "Closed")
            let reopened = try update(aps, id, ["payment_link_status": "Open"])
            #expect(reopened.code == "78000")
            #expect(reopened["payment_link_status"] == "Open")
        }
    }

    @Test func update_reopeningAnOpenLink_is00150() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("upd-open")
            let reply = try update(aps, id, ["payment_link_status": "Open"])
            #expect(reply.code == "00150")
            #expect(reply["response_message"] == "Payment link is already open")
        }
    }

    @Test func update_changesAmountCustomerNameAndDescription() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("upd-fields")
            let reply = try update(aps, id, ["amount": "408800", "currency": "AED", "customer_name": "TEST", "order_description": "New order"])
            #expect(reply.code == "78000")
            #expect(reply["amount"] == "408800")
            let link = try #require(sandbox.engine.link(id: id)?.link)
            #expect(link.amount == 408_800 && link.currency == "AED" && link.customerName == "TEST" && link.orderDescription == "New order")
            #expect(try aps.check(id: id)["amount"] == "408800")
        }
    }

    @Test func update_extendingAnExpiredLink_reopensIt() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("upd-expired")
            try sandbox.clock.advance(milliseconds: 60 * 86_400_000)
            #expect(try aps.check(id: id)["payment_link_status"] == "Expired")
            let stillExpired = try update(aps, id, ["amount": "1000"])
            #expect(stillExpired.code == "00115")
            let reply = try update(aps, id, ["request_expiry_date": "2026-06-01T00:00:00Z"])
            #expect(reply.code == "78000")
            #expect(reply["payment_link_status"] == "Open")
        }
    }

    @Test func update_ofAPaidLink_is00125() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("upd-paid")
            _ = try sandbox.engine.pay(id: id)
            let reply = try update(aps, id, ["payment_link_status": "Closed"])
            #expect(reply.code == "00125")
            #expect(reply["response_message"] == "Invoice already paid")
        }
    }

    @Test func update_byMerchantReference_withoutPaymentLinkID() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("upd-ref")
            let reply = try aps.send(["service_command": "UPDATE_PAYMENT_LINK", "merchant_reference": "upd-ref", "language": "en",
                                      "payment_link_status": "Closed"])
            #expect(reply.code == "78000")
            #expect(reply["payment_link_id"] == id)
        }
    }

    @Test func update_withBadStatusValue_is00002() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("upd-bad")
            #expect(try update(aps, id, ["payment_link_status": "Paid"]).code == "00002")
        }
    }

    @Test func update_withoutLanguage_is00001() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("upd-lang")
            let reply = try aps.send(["service_command": "UPDATE_PAYMENT_LINK", "payment_link_id": .string(id), "payment_link_status": "Closed"])
            #expect(reply.code == "00001")
        }
    }
}
