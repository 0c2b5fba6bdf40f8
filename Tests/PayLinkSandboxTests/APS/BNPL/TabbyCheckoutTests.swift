import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS

/// Tabby on the hosted checkout and on payment links over real sockets: Tabby's own test
/// e-mails (approved, rejected after the OTP), its OTP 8888, and the approve, reject and cancel
/// buttons of the simulated approval page.
struct TabbyCheckoutTests {
    typealias Browser = HostedCheckoutBrowser

    @Test(arguments: [("approve", "14000"), ("decline", "13666"), ("cancel", "00072")])
    func aTabbyHostedCheckout_endsWithTheButtonsOutcome(action: String, code: String) async throws {
        try await withCheckoutSandbox { sandbox, browser, receiver in
            let bnpl = BNPLBrowser(browser: browser)
            let (address, signIn) = try bnpl.start(BNPLBrowser.request("tabby-\(action)", option: "TABBY", currency: "AED"))
            #expect(address.hasPrefix("/FortAPI/bnpl/tabby/") && signIn.text.contains("Simulated Tabby checkout (PayLinkSandbox)"))
            #expect(signIn.text.contains(#"name="email""#) && signIn.text.contains("otp.success@tabby.ai"))
            let done = try bnpl.complete(address, provider: .tabby, action: action)
            let returned = Browser.returned(done.text)
            #expect(returned["response_code"] == .string(code) && returned["payment_option"] == "TABBY" && returned["currency"] == "AED")
            #expect(Browser.signatureIsValid(returned))
            let order = try #require(sandbox.engine.order(merchant: "CycHZxVj", reference: "tabby-\(action)"))
            let expected: OrderStatus = action == "approve" ? .approved : .declined(try #require(APSResponseCode(code)))
            #expect(order.status == expected)
            try browser.aps.http.settle()
            let direct = try #require(receiver.requests.first { $0.path == "/aps/direct" })
            #expect(try JSONParser.parse(direct.body).objectValue == returned)
        }
    }

    @Test func tabbysRejectedTestEmail_isRejectedAfterTheOTP() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let bnpl = BNPLBrowser(browser: browser)
            let (address, _) = try bnpl.start(BNPLBrowser.request("tabby-rejected", option: "TABBY"))
            #expect(try bnpl.signIn(address, BNPLBrowser.tabbySignIn("someone@example.com")).status == 422)
            #expect(try bnpl.signIn(address, BNPLBrowser.tabbySignIn(BNPLTestAccounts.tabbyRejectedEmail)).status == 200)
            #expect(try bnpl.otp(address, "1234").status == 422, "Tabby's OTP is 8888")
            let done = try bnpl.otp(address, BNPLTestAccounts.tabbyOTP)
            #expect(Browser.returned(done.text)["response_code"] == "13666")
        }
    }

    @Test func tabbyOnTheHostedCheckout_needsSAROrAED_andItsFields() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let usd = try browser.start(BNPLBrowser.request("tabby-usd", option: "TABBY", currency: "USD"))
            #expect(usd.header("X-Sandbox-Response-Code") == "00024")
            let noPhone = try browser.start(BNPLBrowser.request("tabby-np", option: "TABBY", without: ["phone_number"]))
            #expect(noPhone.header("X-Sandbox-Response-Code") == "00001")
            let noDescription = try browser.start(BNPLBrowser.request("tabby-nd", option: "TABBY", without: ["order_description"]))
            #expect(noDescription.header("X-Sandbox-Response-Code") == "00001")
            let fields = BNPLBrowser.request("tabby-auth", option: "TABBY").map { $0.0 == "command" ? ("command", "AUTHORIZATION") : $0 }
            let authorization = try browser.start(fields)
            #expect(authorization.header("X-Sandbox-Response-Code") == "00049")
        }
    }

    /// A link with Tabby's fields offers Tabby; its customer goes through the simulated Tabby
    /// page and the link is paid, its feedback naming TABBY.
    @Test func aLinkPaidWithTabby_goesThroughTheTabbyPage_andIsPaid() async throws {
        try await withCheckoutSandbox(redirectURL: "https://shop.example/back") { sandbox, browser, receiver in
            let aps = browser.aps
            let id = try aps.createLink("link-tabby", ["currency": "AED", "customer_phone": "0501234567", "order_description": "Order 9"])
            let path = "/pay/" + (try #require(sandbox.engine.link(id: id))).link.token
            let page = try aps.http.get(path)
            #expect(page.text.contains(#"value="TABBY""#))
            let chosen = try browser.post(path, [("payment_option", "TABBY"), ("agree_terms", "yes")])
            let location = try #require(chosen.header("Location"))
            #expect(chosen.status == 303 && location.hasPrefix("/FortAPI/bnpl/tabby/"))
            let signIn = try aps.http.get(location)
            #expect(signIn.text.contains(#"value="0501234567""#) && signIn.text.contains("Order 9"))
            let done = try BNPLBrowser(browser: browser).complete(location, provider: .tabby, action: "approve")
            let returned = Browser.returned(done.text)
            #expect(returned["response_code"] == "14000" && returned["payment_option"] == "TABBY")
            #expect(try Browser.action(done.text) == "https://shop.example/back" && Browser.signatureIsValid(returned))
            #expect(sandbox.engine.link(id: id)?.state == .paid)
            try aps.http.settle()
            #expect(receiver.requests.contains { $0.path == "/aps/direct" })
            // The link is paid: its page no longer takes Tabby.
            #expect(try aps.check(id: id)["payment_link_status"] != nil)
        }
    }

    @Test func aLinksTabbyCancellation_leavesTheLinkOpen_with00072() async throws {
        try await withCheckoutSandbox(redirectURL: "https://shop.example/back") { sandbox, browser, _ in
            let aps = browser.aps
            let id = try aps.createLink("link-tabby-cancel", ["payment_option": "TABBY", "customer_phone": "0501234567",
                                                              "order_description": "Order 10"])
            let path = "/pay/" + (try #require(sandbox.engine.link(id: id))).link.token
            let chosen = try browser.post(path, [("payment_option", "TABBY"), ("agree_terms", "yes")])
            let location = try #require(chosen.header("Location"))
            let done = try BNPLBrowser(browser: browser).decide(location, "cancel")
            #expect(Browser.returned(done.text)["response_code"] == "00072")
            let view = try #require(sandbox.engine.link(id: id))
            #expect(view.state == .open && view.link.failedAttempts.count == 1)
        }
    }

    @Test func aLinkWithoutTabbysFields_doesNotOfferIt() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let id = try browser.aps.createLink("link-no-tabby", ["currency": "AED"])
            let page = try browser.aps.http.get("/pay/" + (try #require(sandbox.engine.link(id: id))).link.token)
            #expect(page.status == 200 && !page.text.contains(#"value="TABBY""#))
            // Tabby captures at once: an AUTHORIZATION link does not offer it.
            let authorization = try browser.aps.createLink("link-auth-tabby", ["currency": "AED", "customer_phone": "0501234567",
                                                                              "order_description": "Order 11", "link_command": "AUTHORIZATION"])
            let authPage = try browser.aps.http.get("/pay/" + (try #require(sandbox.engine.link(id: authorization))).link.token)
            #expect(authPage.status == 200 && !authPage.text.contains(#"value="TABBY""#))
        }
    }
}
