import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// CHECK_STATUS, CAPTURE, VOID_AUTHORIZATION and REFUND on the order a paid link created.
struct APSOrderOperationTests {
    /// Creates and pays a link; returns its `fort_id`.
    func paidOrder(_ aps: APSTestClient, _ reference: String, command: String = "PURCHASE", amount: String = "10000") throws -> String {
        let id = try aps.createLink(reference, ["link_command": .string(command), "amount": .string(amount)])
        let paid = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
        guard case .object(let body) = try JSONParser.parse(paid.body), let fortID = body["fort_id"]?.stringValue else {
            throw HTTPTestClient.ClientError(description: "pay failed: \(paid.text)")
        }
        return fortID
    }

    func op(_ aps: APSTestClient, _ command: String, _ fields: JSONObject) throws -> APSTestClient.Reply {
        var params: JSONObject = ["command": .string(command), "language": "en"]
        for (k, v) in fields { params[k] = v }
        return try aps.send(params)
    }

    func checkStatus(_ aps: APSTestClient, _ fields: JSONObject) throws -> APSTestClient.Reply {
        var params: JSONObject = ["query_command": "CHECK_STATUS", "language": "en"]
        for (k, v) in fields { params[k] = v }
        return try aps.send(params)
    }

    @Test func checkStatus_ofAPurchase_reportsTheTransactionAndAmounts() async throws {
        try await withSandbox { _, aps in
            let fortID = try paidOrder(aps, "cs-1")
            let byReference = try checkStatus(aps, ["merchant_reference": "cs-1"])
            #expect(byReference.code == "12000")
            #expect(byReference["fort_id"] == fortID)
            #expect(byReference["transaction_status"] == "14")
            #expect(byReference["transaction_code"] == "14000")
            #expect(byReference["transaction_message"] == "Success")
            #expect(byReference["authorized_amount"] == "10000")
            #expect(byReference["captured_amount"] == "10000")
            #expect(byReference["refunded_amount"] == "0")
            #expect(byReference["authorization_code"]?.count == 6)
            let byFortID = try checkStatus(aps, ["fort_id": .string(fortID)])
            #expect(byFortID.code == "12000")
            #expect(byFortID["merchant_reference"] == "cs-1")
        }
    }

    @Test func checkStatus_ofAnUnknownOrder_is12036() async throws {
        try await withSandbox { _, aps in
            let reply = try checkStatus(aps, ["merchant_reference": "nobody"])
            #expect(reply.code == "12036")
            #expect(reply["response_message"] == "Order not found")
            #expect(try checkStatus(aps, ["fort_id": "123456789012345678"]).code == "12036")
        }
    }

    @Test func checkStatus_withFortIDAndAnotherOrdersReference_is12036() async throws {
        try await withSandbox { _, aps in
            let fortID = try paidOrder(aps, "cs-a")
            _ = try paidOrder(aps, "cs-b")
            #expect(try checkStatus(aps, ["fort_id": .string(fortID), "merchant_reference": "cs-b"]).code == "12036")
        }
    }

    @Test func capture_partiallyThenFully_andMoreIs05042() async throws {
        try await withSandbox { _, aps in
            let fortID = try paidOrder(aps, "cap-1", command: "AUTHORIZATION")
            #expect(try checkStatus(aps, ["fort_id": .string(fortID)])["transaction_code"] == "02000")
            let first = try op(aps, "CAPTURE", ["fort_id": .string(fortID), "amount": "4000", "currency": "SAR"])
            #expect(first.code == "04000")
            #expect(first["status"] == "04")
            #expect(first["merchant_reference"] == "cap-1")
            #expect(try op(aps, "CAPTURE", ["merchant_reference": "cap-1", "amount": "6000", "currency": "SAR"]).code == "04000")
            let tooMuch = try op(aps, "CAPTURE", ["merchant_reference": "cap-1", "amount": "1", "currency": "SAR"])
            #expect(tooMuch.code == "05042")
            #expect(tooMuch["response_message"] == "Operation amount exceeds the authorized amount")
            let status = try checkStatus(aps, ["fort_id": .string(fortID)])
            #expect(status["transaction_code"] == "04000")
            #expect(status["captured_amount"] == "10000")
        }
    }

    @Test func capture_ofAPurchase_is05034_andInAnotherCurrencyIs05013() async throws {
        try await withSandbox { _, aps in
            _ = try paidOrder(aps, "cap-p")
            #expect(try op(aps, "CAPTURE", ["merchant_reference": "cap-p", "amount": "1", "currency": "SAR"]).code == "05034")
            _ = try paidOrder(aps, "cap-c", command: "AUTHORIZATION")
            #expect(try op(aps, "CAPTURE", ["merchant_reference": "cap-c", "amount": "1", "currency": "USD"]).code == "05013")
        }
    }

    @Test func capture_withoutAmount_is00001_andOfAnUnknownOrderIs05036() async throws {
        try await withSandbox { _, aps in
            let noAmount = try op(aps, "CAPTURE", ["merchant_reference": "x", "currency": "SAR"])
            #expect(noAmount.code == "00001")
            let unknown = try op(aps, "CAPTURE", ["merchant_reference": "x", "amount": "1", "currency": "SAR"])
            #expect(unknown.code == "05036")
        }
    }

    @Test func void_cancelsAnAuthorization_once_thenCaptureIsRefused() async throws {
        try await withSandbox { _, aps in
            let fortID = try paidOrder(aps, "void-1", command: "AUTHORIZATION")
            let voided = try op(aps, "VOID_AUTHORIZATION", ["fort_id": .string(fortID)])
            #expect(voided.code == "08000")
            #expect(try checkStatus(aps, ["fort_id": .string(fortID)])["transaction_code"] == "08000")
            #expect(try op(aps, "VOID_AUTHORIZATION", ["fort_id": .string(fortID)]).code == "09047")
            #expect(try op(aps, "CAPTURE", ["fort_id": .string(fortID), "amount": "1", "currency": "SAR"]).code == "05047")
        }
    }

    @Test func void_afterCapture_orOfAPurchase_is09034() async throws {
        try await withSandbox { _, aps in
            _ = try paidOrder(aps, "void-c", command: "AUTHORIZATION")
            _ = try op(aps, "CAPTURE", ["merchant_reference": "void-c", "amount": "1", "currency": "SAR"])
            #expect(try op(aps, "VOID_AUTHORIZATION", ["merchant_reference": "void-c"]).code == "09034")
            _ = try paidOrder(aps, "void-p")
            #expect(try op(aps, "VOID_AUTHORIZATION", ["merchant_reference": "void-p"]).code == "09034")
        }
    }

    @Test func void_afterSevenDaysOnTheSandboxClock_is09034() async throws {
        try await withSandbox { sandbox, aps in
            _ = try paidOrder(aps, "void-late", command: "AUTHORIZATION")
            try sandbox.clock.advance(milliseconds: 7 * 86_400_000 + 1_000)
            #expect(try op(aps, "VOID_AUTHORIZATION", ["merchant_reference": "void-late"]).code == "09034")
        }
    }

    @Test func refund_partialThenRest_andMoreIs07048() async throws {
        try await withSandbox { _, aps in
            let fortID = try paidOrder(aps, "ref-1")
            #expect(try op(aps, "REFUND", ["fort_id": .string(fortID), "amount": "2500", "currency": "SAR"]).code == "06000")
            #expect(try op(aps, "REFUND", ["merchant_reference": "ref-1", "amount": "7500", "currency": "SAR"]).code == "06000")
            let tooMuch = try op(aps, "REFUND", ["merchant_reference": "ref-1", "amount": "1", "currency": "SAR"])
            #expect(tooMuch.code == "07048")
            #expect(tooMuch["response_message"] == "Operation amount exceeds captured amount")
            let status = try checkStatus(aps, ["fort_id": .string(fortID)])
            #expect(status["transaction_code"] == "06000")
            #expect(status["refunded_amount"] == "10000")
        }
    }

    @Test func refund_ofAnUncapturedAuthorization_is07034() async throws {
        try await withSandbox { _, aps in
            _ = try paidOrder(aps, "ref-a", command: "AUTHORIZATION")
            #expect(try op(aps, "REFUND", ["merchant_reference": "ref-a", "amount": "1", "currency": "SAR"]).code == "07034")
        }
    }

    @Test func maintenanceReference_retriesADeclinedRefund_butNeverRefundsTwice() async throws {
        try await withSandbox { _, aps in
            _ = try paidOrder(aps, "ref-m")
            let declined = try op(aps, "REFUND", ["merchant_reference": "ref-m", "amount": "20000", "currency": "SAR", "maintenance_reference": "mr-1"])
            #expect(declined.code == "07048")
            let retried = try op(aps, "REFUND", ["merchant_reference": "ref-m", "amount": "1000", "currency": "SAR", "maintenance_reference": "mr-1"])
            #expect(retried.code == "06000")
            #expect(retried["maintenance_reference"] == "mr-1")
            let again = try op(aps, "REFUND", ["merchant_reference": "ref-m", "amount": "1000", "currency": "SAR", "maintenance_reference": "mr-1"])
            #expect(again.code == "07047")
        }
    }

    @Test func operations_areSigned_andEchoEveryParameter() async throws {
        try await withSandbox { _, aps in
            let fortID = try paidOrder(aps, "sig-op", command: "AUTHORIZATION")
            let reply = try op(aps, "CAPTURE", ["fort_id": .string(fortID), "amount": .number("500"), "currency": "SAR",
                                                "order_description": "First part"])
            #expect(reply.code == "04000")
            #expect(reply["command"] == "CAPTURE" && reply["amount"] == "500" && reply["order_description"] == "First part")
            #expect(reply["signature"] == Merchant.demo.signer.sign(reply.object, phrase: Merchant.demo.responsePhrase))
        }
    }

    @Test func anotherMerchantsOrder_isNotFound() async throws {
        let other = Merchant(identifier: "OtherMer", accessCode: "OtherAccess123", requestPhrase: "in", responsePhrase: "out")
        var config = SandboxConfiguration.testing(merchants: [.demo, other])
        config.usesDemoMerchant = false
        try await withSandbox(config) { sandbox, aps in
            let fortID = try paidOrder(aps, "mine")
            let stranger = APSTestClient(port: sandbox.port, merchant: other)
            #expect(try checkStatus(stranger, ["fort_id": .string(fortID)]).code == "12036")
            #expect(try op(stranger, "REFUND", ["fort_id": .string(fortID), "amount": "1", "currency": "SAR"]).code == "07036")
        }
    }

    @Test func unknownOperation_is00004() async throws {
        try await withSandbox { _, aps in
            let reply = try op(aps, "TOKENIZE_EVERYTHING", ["merchant_reference": "x"])
            #expect(reply.code == "00004")
        }
    }
}
