import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// `POST /__sandbox/links/{id}/pay` and `/fail` with the test cards' outcomes.
struct TestCardOutcomeTests {
    func pay(_ aps: APSTestClient, _ id: String, _ body: String) throws -> (Int, JSONObject) {
        let response = try aps.http.post("/__sandbox/links/\(id)/pay", json: body)
        return (response.status, try #require(try JSONParser.parse(response.body).objectValue))
    }

    @Test(arguments: ["4005550000000001", "5123456789012346", "345678901234564", "5297412542005689", "9818950527886700002"])
    func publishedSuccessCards_pay(_ card: String) async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("ok-\(card)")
            let (status, body) = try pay(aps, id, #"{"card_number":"\#(card)"}"#)
            #expect(status == 200 && body["outcome"] == "approved" && body["response_code"] == "14000")
            #expect(sandbox.engine.link(id: id)?.state == .paid)
        }
    }

    @Test(arguments: [("4000000000000028", "13029"), ("5123450000000024", "13029"), ("4000000000000127", "13012"),
                      ("4000000000000663", "13666"), ("5123450000000669", "13666")])
    func decliningCards_leaveTheLinkOpen_andRecordTheAttempt(_ card: String, _ code: String) async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("no-\(card)")
            let (status, body) = try pay(aps, id, #"{"card_number":"\#(card)"}"#)
            #expect(status == 200)
            #expect(body["outcome"] == "declined")
            #expect(body["response_code"] == .string(code))
            let link = try #require(sandbox.engine.link(id: id))
            #expect(link.state == .open)
            #expect(link.link.failedAttempts.map(\.responseCode) == [code])
            #expect(link.link.failedAttempts.first?.maskedCardNumber == TestCards.masked(card))
            // The declined transaction has its own fort_id, which CHECK_STATUS reports until a retry succeeds.
            #expect(link.link.failedAttempts.first?.fortID == body["fort_id"]?.stringValue)
            // A declined transaction has no authorization code: the field is left out, never
            // sent empty (its signature would then depend on the empty-value convention).
            let checked = try aps.send(["query_command": "CHECK_STATUS", "merchant_reference": .string("no-\(card)"), "language": "en"])
            #expect(checked.code == "12000" && checked["authorization_code"] == nil)
            #expect(!checked.object.contains { $0.value == .string("") }, "no empty value in \(checked.object)")
            // The customer tries again with a good card.
            #expect(try pay(aps, id, "{}").1["outcome"] == "approved")
        }
    }

    @Test func authorizationLinks_declineWithStatus03() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("auth-no", ["link_command": "AUTHORIZATION"])
            #expect(try pay(aps, id, #"{"card_number":"4000000000000663"}"#).1["response_code"] == "03666")
        }
    }

    @Test func threeDSecureCards_askForTheChallenge_andOnlyTheDocumentedCodePasses() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("3ds-1")
            let asked = try pay(aps, id, #"{"card_number":"4557012345678902"}"#).1
            #expect(asked["outcome"] == "3ds_required" && asked["response_code"] == "20064")
            let failed = try pay(aps, id, #"{"card_number":"4557012345678902","3ds_code":"0000"}"#).1
            #expect(failed["outcome"] == "3ds_failed" && failed["response_code"] == "45030")
            #expect(sandbox.engine.link(id: id)?.state == .open)
            let passed = try pay(aps, id, #"{"card_number":"4557012345678902","3ds_code":"\#(TestCards.passingChallengeCode)"}"#).1
            #expect(passed["outcome"] == "approved")
            #expect(sandbox.engine.link(id: id)?.state == .paid)
        }
    }

    @Test func paymentOption_paysWithoutACard_andAnUnknownOneIs400() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("stc-1")
            #expect(try pay(aps, id, #"{"payment_option":"DOGECOIN"}"#).0 == 400)
            #expect(try pay(aps, id, #"{"payment_option":"STCPAY"}"#).0 == 400)
            let body = try pay(aps, id, #"{"payment_option":"STCPAY","phone_number":"0501234567"}"#).1
            #expect(body["outcome"] == "approved" && body["payment_option"] == "STCPAY")
            #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "stc-1")?.paymentOption == "STCPAY")
        }
    }

    @Test func fail_recordsACancelledAttempt_orTheGivenCode() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("fail-1")
            let cancelled = try aps.http.post("/__sandbox/links/\(id)/fail", json: "")
            #expect(cancelled.status == 200 && cancelled.text.contains("\"response_code\":\"13072\""))
            _ = try aps.http.post("/__sandbox/links/\(id)/fail", json: #"{"message_code":"666"}"#)
            #expect(sandbox.engine.link(id: id)?.link.failedAttempts.map(\.responseCode) == ["13072", "13666"])
            #expect(try aps.http.post("/__sandbox/links/\(id)/fail", json: #"{"message_code":"9"}"#).status == 400)
            let shown = try aps.http.get("/__sandbox/links/\(id)").text
            #expect(shown.contains("\"failed_attempts\""))
        }
    }

    @Test func attemptsOnAPaidLink_are409() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("paid-1")
            _ = try pay(aps, id, "{}")
            #expect(try pay(aps, id, #"{"card_number":"4000000000000663"}"#).0 == 409)
            #expect(try aps.http.post("/__sandbox/links/\(id)/fail", json: "").status == 409)
        }
    }

    @Test(arguments: [("4000000000000770", true), ("4000000000000788", false)])
    func uncertainCards_refuseRetries_untilTheClockResolvesThem(_ card: String, _ approves: Bool) async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("unc-\(card)")
            let (status, body) = try pay(aps, id, #"{"card_number":"\#(card)"}"#)
            #expect(status == 200 && body["outcome"] == "uncertain" && body["response_code"] == "15777")
            #expect(body["resolves_at"] == "2026-01-01T00:01:00Z")
            // While the acquirer has not confirmed, the link refuses another payment (784).
            let retry = try pay(aps, id, "{}")
            #expect(retry.0 == 409 && retry.1["response_code"] == "13784")
            let checked = try aps.send(["query_command": "CHECK_STATUS", "merchant_reference": .string("unc-\(card)"), "language": "en"])
            #expect(checked.object["transaction_status"] == "15" && checked.object["transaction_code"] == "15777")

            _ = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 60}"#)
            let after = try #require(sandbox.engine.link(id: id))
            #expect(after.state == (approves ? .paid : .open))
            #expect(after.link.pendingFortID == nil)
            let resolved = try aps.send(["query_command": "CHECK_STATUS", "merchant_reference": .string("unc-\(card)"), "language": "en"])
            #expect(resolved.object["transaction_code"] == .string(approves ? "14000" : "13666"))
            #expect(resolved.object["captured_amount"] == .string(approves ? "125000" : "0"))
            if !approves { #expect(try pay(aps, id, "{}").1["outcome"] == "approved") }
        }
    }

    @Test func declinedTransactions_refuseOperations_andUncertainOnesAreNotConfirmed() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("ops-declined")
            let declined = try pay(aps, id, #"{"card_number":"4000000000000028"}"#).1
            let refund = try aps.send(["command": "REFUND", "fort_id": .string(declined["fort_id"]?.stringValue ?? ""), "amount": "100",
                                       "currency": "SAR", "language": "en"])
            #expect(refund.object["response_code"] == "07034")
            let uncertainID = try aps.createLink("ops-uncertain")
            let uncertain = try pay(aps, uncertainID, #"{"card_number":"4000000000000770"}"#).1
            let early = try aps.send(["command": "REFUND", "fort_id": .string(uncertain["fort_id"]?.stringValue ?? ""), "amount": "100",
                                      "currency": "SAR", "language": "en"])
            #expect(early.object["response_code"] == "07662")
        }
    }

    @Test(arguments: [
        (#"{"card_number":"4005550000000002"}"#, "card_number", "13016"),
        (#"{"card_number":"6011000990139424"}"#, "card_number", "13016"),
        (#"{"card_number":"4005550000000001","expiry_date":"2512"}"#, "expiry_date", "13012"),
        (#"{"card_number":"4005550000000001","expiry_date":"3013"}"#, "expiry_date", "13100"),
        (#"{"card_number":"345678901234564","card_security_code":"123"}"#, "card_security_code", "13002"),
    ])
    func cardsTheFormWouldRefuse_are400_andChargeNothing(_ body: String, _ field: String, _ code: String) async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("refused")
            let (status, answer) = try pay(aps, id, body)
            #expect(status == 400 && answer["field"] == .string(field) && answer["response_code"] == .string(code))
            #expect(sandbox.engine.link(id: id)?.link.failedAttempts.isEmpty == true)
        }
    }

    @Test func stcPay_withAWrongOTP_isDeclinedWith787() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("stc-otp")
            let wrong = try pay(aps, id, #"{"payment_option":"STCPAY","phone_number":"0501234567","otp":"9999"}"#).1
            #expect(wrong["outcome"] == "declined" && wrong["response_code"] == "13787")
            let right = try pay(aps, id, #"{"payment_option":"STCPAY","phone_number":"0501234567","otp":"1234"}"#).1
            #expect(right["outcome"] == "approved")
        }
    }

    @Test func pay_checksFieldTypes_andTheLinksPaymentOption() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("typed")
            #expect(try pay(aps, id, #"{"card_number":4000000000000028}"#).0 == 400)
            #expect(try pay(aps, id, #"{"card_numbr":"4005550000000001"}"#).0 == 400)
            let mada = try aps.createLink("mada-control", ["payment_option": "MADA"])
            let visa = try pay(aps, mada, #"{"card_number":"4005550000000001"}"#)
            #expect(visa.0 == 400 && visa.1["response_code"] == "13080")
            #expect(try pay(aps, mada, #"{"payment_option":"STCPAY","phone_number":"0501234567"}"#).0 == 400)
            let paid = try pay(aps, mada, #"{"card_number":"5297412542005689"}"#).1
            #expect(paid["outcome"] == "approved" && paid["payment_option"] == "MADA")
        }
    }
}
