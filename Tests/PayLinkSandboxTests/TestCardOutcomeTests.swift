import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing

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
                      ("4000000000000663", "13666"), ("5123450000000669", "13666"), ("4000000000000770", "15777")])
    func decliningCards_leaveTheLinkOpen_andRecordTheAttempt(_ card: String, _ code: String) async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("no-\(card)")
            let (status, body) = try pay(aps, id, #"{"card_number":"\#(card)"}"#)
            #expect(status == 200)
            #expect(body["outcome"] == (code == "15777" ? "uncertain" : "declined"))
            #expect(body["response_code"] == .string(code))
            let link = try #require(sandbox.engine.link(id: id))
            #expect(link.state == .open)
            #expect(link.link.failedAttempts.map(\.responseCode) == [code])
            #expect(link.link.failedAttempts.first?.maskedCardNumber == TestCards.masked(card))
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
            let body = try pay(aps, id, #"{"payment_option":"STCPAY"}"#).1
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
}
