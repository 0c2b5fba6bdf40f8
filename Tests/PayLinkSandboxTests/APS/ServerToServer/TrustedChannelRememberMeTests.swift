import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// `remember_me=YES` on the trusted channel follows the hosted checkout's rule: the card is
/// saved only when the payment is approved (at once, or after a passed 3-D Secure challenge).
struct TrustedChannelRememberMeTests {
    typealias F = ServerToServerFixture

    func tokens(_ sandbox: Sandbox) -> [CardToken] { sandbox.service.state.tokens.all() }

    @Test func aDeclinedOrUncertainPayment_savesNoCard_andItsChosenNameStaysFree() async throws {
        try await F.withSandbox(trusted: true) { sandbox, aps in
            let declined = try aps.send(F.cardPayment("rm-d", card: F.declined, ["remember_me": "YES", "token_name": "kept-name"]))
            #expect(declined.code?.hasPrefix("13") == true && declined["token_name"] == "kept-name", "\(declined.object)")
            let uncertain = try aps.send(F.cardPayment("rm-u", card: F.uncertain, ["remember_me": "YES"]))
            #expect(uncertain.code?.hasPrefix("14") == false && uncertain["token_name"] == nil, "\(uncertain.object)")
            #expect(tokens(sandbox).isEmpty)
            // The declined order's feedback names no saved card beyond the request's own field.
            let order = try #require(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "rm-u"))
            #expect(order.requestFields["token_name"] == nil)
            // The name was never taken: an approved payment may use it.
            let approved = try aps.send(F.cardPayment("rm-a", card: F.visa, ["remember_me": "YES", "token_name": "kept-name"]))
            #expect(approved.code == "14000" && approved["token_name"] == "kept-name", "\(approved.object)")
            #expect(tokens(sandbox).map(\.name) == ["kept-name"])
        }
    }

    @Test func aThreeDSecureCard_isSavedOnlyAfterAPassedChallenge() async throws {
        try await F.withSandbox(trusted: true) { sandbox, aps in
            let failing = try aps.send(F.cardPayment("rm-3f", card: F.visa3DS, ["remember_me": "YES", "return_url": "https://shop.example/back"]))
            #expect(failing.code == "20064" && failing["token_name"] == nil, "\(failing.object)")
            #expect(tokens(sandbox).isEmpty)
            let failed = F.returnedParameters(try F.answerChallenge(aps, url: try #require(failing["3ds_url"]), code: "0000"))
            #expect(failed["response_code"]?.stringValue == "45030" && failed["token_name"] == nil)
            #expect(tokens(sandbox).isEmpty)

            let passing = try aps.send(F.cardPayment("rm-3p", card: F.visa3DS, ["remember_me": "YES", "token_name": "after-3ds", "return_url": "https://shop.example/back"]))
            let passed = F.returnedParameters(try F.answerChallenge(aps, url: try #require(passing["3ds_url"]), code: TestCards.passingChallengeCode))
            #expect(passed["response_code"]?.stringValue == "14000" && passed["token_name"]?.stringValue == "after-3ds", "\(passed)")
            let token = try #require(sandbox.service.state.tokens.token(named: "after-3ds", merchant: Merchant.demo.identifier))
            #expect(token.maskedCardNumber == "455701******8902")
            let feedback = sandbox.service.deliveries.deliveries().first { $0.payload["merchant_reference"]?.stringValue == "rm-3p" }
            #expect(feedback?.payload["token_name"]?.stringValue == "after-3ds")
        }
    }
}
