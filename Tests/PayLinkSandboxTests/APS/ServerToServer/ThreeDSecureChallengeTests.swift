import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// eci ECOMMERCE with a 3-D Secure card: `20064` with `3ds_url` and `fort_id`; the customer
/// answers the challenge there; the order, its feedback and the browser's return follow.
struct ThreeDSecureChallengeTests {
    typealias F = ServerToServerFixture

    @Test func aThreeDSecureToken_answers20064_andThePassingCode_approvesUnderTheAnnouncedFortID() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-3ds", card: F.visa3DS)
            let reply = try aps.send(F.tokenPayment("3ds-1", token: "tok-3ds", ["return_url": "https://shop.example/back"]))
            #expect(reply.code == "20064" && reply["status"] == "20", "\(reply.object)")
            let fortID = try #require(reply["fort_id"])
            let url = try #require(reply["3ds_url"])
            #expect(url == sandbox.service.publicURL + "/FortAPI/threeDSecure/" + fortID)
            #expect(F.isSigned(reply, by: aps.merchant))
            // Nothing is an order before the customer answers.
            #expect(sandbox.engine.order(fortID: fortID) == nil)

            let challenge = try aps.http.get(try F.path(of: url))
            #expect(challenge.status == 200 && challenge.text.contains("name=\"code\"") && challenge.text.contains("400555") == false)
            #expect(challenge.text.contains("455701******8902"))

            let page = try F.answerChallenge(aps, url: url, code: TestCards.passingChallengeCode)
            #expect(page.status == 200 && page.text.contains("action=\"https://shop.example/back\""), "\(page.text)")
            let returned = F.returnedParameters(page)
            #expect(returned["response_code"]?.stringValue == "14000" && returned["fort_id"]?.stringValue == fortID)
            #expect(returned["card_number"]?.stringValue == "455701******8902" && returned["token_name"]?.stringValue == "tok-3ds")
            var unsigned = returned
            unsigned["signature"] = nil
            #expect(returned["signature"]?.stringValue == aps.merchant.signer.sign(unsigned, phrase: aps.merchant.responsePhrase))

            let status = try aps.send(["query_command": "CHECK_STATUS", "fort_id": .string(fortID), "language": "en"])
            #expect(status.code == "12000" && status["transaction_status"] == "14", "\(status.object)")
            let feedback = sandbox.service.deliveries.deliveries().filter { $0.payload["fort_id"]?.stringValue == fortID }
            #expect(feedback.count == 1 && feedback.first?.payload["response_code"]?.stringValue == "14000")

            // Answered once: the URL is gone.
            let again = try F.answerChallenge(aps, url: url, code: "1234")
            #expect(again.status == 404)
        }
    }

    @Test func aWrongCode_failsThePayment_with45030_andReturnsItSigned() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-3ds", card: F.visa3DS)
            let reply = try aps.send(F.tokenPayment("3ds-2", token: "tok-3ds", command: "AUTHORIZATION", ["language": "ar",
                                                                                                             "return_url": "https://shop.example/back"]))
            #expect(reply.code == "20064", "\(reply.object)")
            let url = try #require(reply["3ds_url"])
            let arabic = try aps.http.get(try F.path(of: url))
            #expect(arabic.text.contains("dir=\"rtl\""))
            let page = try F.answerChallenge(aps, url: url, code: "0000")
            let returned = F.returnedParameters(page)
            #expect(returned["response_code"]?.stringValue == "45030" && returned["command"]?.stringValue == "AUTHORIZATION", "\(page.text)")
            let fortID = try #require(reply["fort_id"])
            let order = try #require(sandbox.engine.order(fortID: fortID))
            #expect(order.status == .declined(APSResponseCode(status: "45", message: "030")))
        }
    }

    @Test func anUnknownChallenge_isAPageNotFound() async throws {
        try await F.withSandbox { _, aps in
            let page = try aps.http.get("/FortAPI/threeDSecure/123456789012345678")
            #expect(page.status == 404 && page.header("X-Sandbox-Detail") != nil)
        }
    }

    @Test func theChallengeStore_isBounded_forgettingTheOldest() {
        let store = ThreeDSecureChallenges()
        let terms = CheckoutTerms(merchantIdentifier: "M", merchantReference: "r", command: .purchase, currency: "SAR", amount: 1, requestFields: [:])
        for index in 0...ThreeDSecureChallenges.limit {
            store.add(.init(fortID: String(index), terms: terms, details: PaymentDetails(), returnURL: nil, language: "en"))
        }
        #expect(store.count == ThreeDSecureChallenges.limit)
        #expect(store.peek(fortID: "0") == nil && store.peek(fortID: "1") != nil)
        #expect(store.take(fortID: "1") != nil && store.take(fortID: "1") == nil)
    }
}
