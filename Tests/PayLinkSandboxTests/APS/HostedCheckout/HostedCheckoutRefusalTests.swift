import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS

/// Bad hosted checkout requests: with a known merchant, the request goes back to `return_url`
/// signed with status 00 and the refusal's code; an unknown merchant gets an error page.
struct HostedCheckoutRefusalTests {
    typealias Browser = HostedCheckoutBrowser

    func refusal(_ response: HTTPTestClient.Response) throws -> JSONObject {
        #expect(response.status == 200)
        #expect(try Browser.action(response.text) == Browser.returnURL)
        let returned = Browser.returned(response.text)
        #expect(Browser.signatureIsValid(returned) && returned["status"] == "00")
        return returned
    }

    func expectRefusal(_ response: HTTPTestClient.Response, _ code: String) throws {
        let returned = try refusal(response)
        #expect(returned["response_code"] == .string(code))
    }

    @Test func aMissingField_isReturnedSignedWith00001() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let fields = Browser.redirectForm("hc-missing").filter { $0.0 != "customer_email" }
            let returned = try refusal(try browser.start(fields))
            #expect(returned["response_code"] == "00001" && returned["merchant_reference"] == "hc-missing")
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "hc-missing") == nil)
        }
    }

    @Test func aBadSignature_isReturnedSignedWith00008() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let response = try browser.start(Browser.redirectForm("hc-sig") + [("signature", "00ff")], sign: false)
            try expectRefusal(response, "00008")
            #expect(response.header("X-Sandbox-Detail")?.contains("signature") == true)
        }
    }

    @Test func aWrongAccessCode_is00010_andAnUnknownCommand00004() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            var fields = Browser.redirectForm("hc-ac")
            fields[0].1 = "wrong"
            try expectRefusal(try browser.start(fields), "00010")
            try expectRefusal(try browser.start(Browser.redirectForm("hc-cmd", command: "REFUND")), "00004")
        }
    }

    @Test func badFormats_areRefused() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            try expectRefusal(try browser.start(Browser.redirectForm("hc-lang", language: "fr")), "00002")
            try expectRefusal(try browser.start(Browser.redirectForm("hc-rm", [("remember_me", "OK")])), "00002")
            try expectRefusal(try browser.start(Browser.redirectForm("hc-eci", [("eci", "RECURRING")])), "00002")
            var amount = Browser.redirectForm("hc-amount")
            amount[4].1 = "12.50"
            try expectRefusal(try browser.start(amount), "00005")
        }
    }

    @Test func aDuplicateReference_isReturnedSignedWith00066() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            _ = try browser.aps.createLink("hc-dup-link")
            try expectRefusal(try browser.start(Browser.redirectForm("hc-dup-link")), "00066")
            _ = try browser.pay(Browser.redirectForm("hc-dup"))
            try expectRefusal(try browser.start(Browser.redirectForm("hc-dup")), "00066")
        }
    }

    @Test func aReferenceUsedWhileThePageWasOpen_isRefusedAtPayment_andNothingIsCharged() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let first = try browser.start(Browser.redirectForm("hc-race"))
            let second = try browser.start(Browser.redirectForm("hc-race"))
            #expect(Browser.returned(try browser.post(try Browser.action(first.text), Browser.card).text)["response_code"] == "14000")
            let refused = try browser.post(try Browser.action(second.text), Browser.card)
            try expectRefusal(refused, "00066")
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "hc-race")?.status == .approved)
        }
    }

    @Test func anUnknownMerchant_getsAnErrorPage() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let response = try browser.start(Browser.redirectForm("hc-who").map { $0.0 == "merchant_identifier" ? ($0.0, "Nobody") : $0 })
            #expect(response.status == 400 && response.header("X-Sandbox-Response-Code") == "00009" && !response.text.contains("<form"))
        }
    }

    @Test func anUnknownCheckoutPage_is404() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let shown = try browser.aps.http.get("/FortAPI/paymentPage/checkout/nope")
            let posted = try browser.post("/FortAPI/paymentPage/checkout/nope", Browser.card)
            #expect(shown.status == 404 && posted.status == 404)
        }
    }
}
