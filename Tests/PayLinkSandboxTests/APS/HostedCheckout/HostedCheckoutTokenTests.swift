import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS

/// `remember_me` saves the card as a token; `token_name` pays with it, asking only the security code.
struct HostedCheckoutTokenTests {
    typealias Browser = HostedCheckoutBrowser

    @Test func rememberMe_savesTheCard_andTheTokenPaysTheNextCheckout() async throws {
        try await withCheckoutSandbox { sandbox, browser, receiver in
            let page = try browser.start(Browser.redirectForm("hc-save", [("remember_me", "YES")]))
            #expect(page.text.contains(#"name="remember_me" value="YES" checked"#) && page.text.contains("Save this card"))
            let done = try browser.post(try Browser.action(page.text), Browser.card + [("remember_me", "YES")])
            let returned = Browser.returned(done.text)
            let name = try #require(returned["token_name"]?.stringValue)
            #expect(name.count == 32 && returned["remember_me"] == "YES" && Browser.signatureIsValid(returned))
            let token = try #require(sandbox.service.state.tokens.token(named: name, merchant: "CycHZxVj"))
            #expect(token.maskedCardNumber == "400555******0001" && token.expiryDate == "3005" && token.brand == "VISA")
            try browser.aps.http.settle()
            let post = try #require(receiver.requests.first)
            let direct = try #require(try JSONParser.parse(post.body).objectValue)
            #expect(direct["token_name"] == .string(name))

            let second = try browser.start(Browser.redirectForm("hc-token", [("token_name", name)]))
            #expect(second.text.contains("400555******0001") && !second.text.contains(#"name="card_number""#))
            let action = try Browser.action(second.text)
            #expect(try browser.post(action, [("card_security_code", "12"), ("agree_terms", "yes")]).status == 422)
            let paid = Browser.returned(try browser.post(action, [("card_security_code", "123"), ("agree_terms", "yes")]).text)
            #expect(paid["response_code"] == "14000" && paid["token_name"] == .string(name) && paid["card_number"] == "400555******0001")
            #expect(sandbox.service.state.tokens.all().count == 1)
        }
    }

    @Test func rememberMeUnticked_orADeclinedCard_savesNothing() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let unticked = Browser.returned(try browser.pay(Browser.redirectForm("hc-nosave", [("remember_me", "YES")])).text)
            #expect(unticked["response_code"] == "14000" && unticked["token_name"] == nil)
            let declined = Browser.returned(try browser.pay(Browser.redirectForm("hc-decl-save", [("remember_me", "YES")]),
                                                            card: Browser.card("4000000000000028") + [("remember_me", "YES")]).text)
            #expect(declined["response_code"] == "13029" && declined["token_name"] == nil)
            #expect(sandbox.service.state.tokens.all().isEmpty)
        }
    }

    @Test func anUnknownToken_is00044_andAnInactiveOne00043() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let unknown = Browser.returned(try browser.start(Browser.redirectForm("hc-t1", [("token_name", "nope")])).text)
            #expect(unknown["response_code"] == "00044" && Browser.signatureIsValid(unknown))
            let tokens = sandbox.service.state.tokens
            try tokens.add(CardToken(name: "other-merchant", merchantIdentifier: "Someone", maskedCardNumber: "400555******0001",
                                     brand: "VISA", expiryDate: "3005", cardHolderName: nil, createdAt: SandboxInstant(secondsSince1970: 0)))
            let others = Browser.returned(try browser.start(Browser.redirectForm("hc-t2", [("token_name", "other-merchant")])).text)
            #expect(others["response_code"] == "00044")
            try tokens.add(CardToken(name: "sleeping", merchantIdentifier: "CycHZxVj", maskedCardNumber: "400555******0001",
                                     brand: "VISA", expiryDate: "3005", cardHolderName: nil, status: .inactive,
                                     createdAt: SandboxInstant(secondsSince1970: 0)))
            let inactive = Browser.returned(try browser.start(Browser.redirectForm("hc-t3", [("token_name", "sleeping")])).text)
            #expect(inactive["response_code"] == "00043" && Browser.signatureIsValid(inactive))
        }
    }
}
