import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS

/// The hosted checkout's payments over real sockets: the redirect form as the PHP SDK posts
/// it, the payment page, the card's outcome, the signed form to `return_url`, and the order
/// the maintenance commands then work on.
struct HostedCheckoutPaymentTests {
    typealias Browser = HostedCheckoutBrowser

    @Test func anApprovedPurchase_returnsTheSignedFeedbackToTheReturnURL_andTheMerchantHearsOfIt() async throws {
        try await withCheckoutSandbox { sandbox, browser, receiver in
            let page = try browser.start(Browser.redirectForm("hc-1", [("order_description", "Order 7"), ("customer_name", "Sara"),
                                                                        ("merchant_extra", "cart-9")]))
            #expect(page.status == 200)
            for needle in ["125.00 SAR", "Order 7", "Sara", "hc-1", #"name="card_number""#, #"value="MADA""#, #"<html lang="en" dir="ltr">"#] {
                #expect(page.text.contains(needle), "missing \(needle)")
            }
            // Cards and the wallets (no payment_option sent), and no "save this card" box unless remember_me is sent.
            #expect(page.text.contains(#"value="STCPAY""#) && !page.text.contains(#"name="remember_me""#))
            #expect(try Browser.action(page.text).hasPrefix("/FortAPI/paymentPage/checkout/"))

            let done = try browser.post(try Browser.action(page.text), Browser.card)
            #expect(done.status == 200 && done.header("X-Sandbox-Response-Code") == "14000")
            // Posted to return_url as given, the SDK's query string included.
            #expect(try Browser.action(done.text) == Browser.returnURL)
            #expect(done.text.contains(#"document.getElementById("return").submit()"#))
            let returned = Browser.returned(done.text)
            #expect(returned["response_code"] == "14000" && returned["status"] == "14" && returned["command"] == "PURCHASE")
            #expect(returned["merchant_reference"] == "hc-1" && returned["amount"] == "12500" && returned["currency"] == "SAR")
            #expect(returned["card_number"] == "400555******0001" && returned["eci"] == "ECOMMERCE")
            #expect(returned["merchant_extra"] == "cart-9" && returned["return_url"] == .string(Browser.returnURL))
            #expect(returned["customer_email"] == "test@example.com" && returned["order_description"] == "Order 7")
            #expect(Browser.signatureIsValid(returned))
            let order = try #require(sandbox.engine.order(merchant: "CycHZxVj", reference: "hc-1"))
            #expect(order.paymentLinkID == nil && order.fortID == returned["fort_id"]?.stringValue && order.status == .approved)

            try browser.aps.http.settle()
            let direct = try #require(receiver.requests.first { $0.path == "/aps/direct" })
            let feedback = try #require(try JSONParser.parse(direct.body).objectValue)
            #expect(feedback == returned)
        }
    }

    @Test func anAuthorization_isCapturedThenRefunded_andChecked() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let done = try browser.pay(Browser.redirectForm("hc-auth", command: "AUTHORIZATION"))
            let returned = Browser.returned(done.text)
            #expect(returned["response_code"] == "02000" && returned["command"] == "AUTHORIZATION")
            let fortID = try #require(returned["fort_id"])
            let aps = browser.aps
            #expect(try aps.send(["command": "CAPTURE", "fort_id": fortID, "amount": "12500", "currency": "SAR", "language": "en"]).code == "04000")
            #expect(try aps.send(["command": "REFUND", "merchant_reference": "hc-auth", "amount": "2500", "currency": "SAR",
                                  "language": "en"]).code == "06000")
            let status = try aps.send(["query_command": "CHECK_STATUS", "merchant_reference": "hc-auth", "language": "en"])
            #expect(status.code == "12000" && status["captured_amount"] == "12500" && status["refunded_amount"] == "2500")
        }
    }

    @Test func anAuthorization_canBeVoided() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let returned = Browser.returned(try browser.pay(Browser.redirectForm("hc-void", command: "AUTHORIZATION")).text)
            let void = try browser.aps.send(["command": "VOID_AUTHORIZATION", "fort_id": try #require(returned["fort_id"]), "language": "en"])
            #expect(void.code == "08000")
        }
    }

    @Test func aDeclinedCard_returnsItsCode_andRecordsADeclinedOrder() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let done = try browser.pay(Browser.redirectForm("hc-declined"), card: Browser.card("4000000000000028"))
            let returned = Browser.returned(done.text)
            #expect(returned["response_code"] == "13029" && returned["status"] == "13" && Browser.signatureIsValid(returned))
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "hc-declined")?.status
                    == .declined(APSResponseCode(status: "13", message: "029")))
        }
    }

    @Test(arguments: [("1234", "14000"), ("9999", "45030")])
    func aThreeDSecureCard_asksForTheChallenge_andItsAnswerDecides(_ code: String, _ expected: String) async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let challenge = try browser.pay(Browser.redirectForm("hc-3ds-\(code)"), card: Browser.card("4557012345678902"))
            #expect(challenge.status == 200 && challenge.header("X-Sandbox-Response-Code") == "20064")
            let action = try Browser.action(challenge.text)
            #expect(action.hasSuffix("/3ds"))
            let verification = try #require(HostedPageTests.hiddenFields(challenge.text).first { $0.0 == "verification_id" }?.1)
            let done = try browser.post(action, [("verification_id", verification), ("code", code)])
            let returned = Browser.returned(done.text)
            #expect(returned["response_code"] == .string(expected) && Browser.signatureIsValid(returned))
            // The challenge is answered once.
            #expect(try browser.post(action, [("verification_id", verification), ("code", "1234")]).header("X-Sandbox-Response-Code") == expected)
        }
    }

    /// eci MOTO: an agent keys in a card taken by phone; nobody could answer a challenge, so a
    /// 3-D Secure card is charged as it is, and its other outcomes are as usual.
    @Test func aMOTOCheckout_chargesAThreeDSecureCard_withoutAChallenge() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let done = try browser.pay(Browser.redirectForm("hc-moto", [("eci", "MOTO")]), card: Browser.card("4557012345678902"))
            let returned = Browser.returned(done.text)
            #expect(done.header("X-Sandbox-Response-Code") == "14000")
            #expect(returned["response_code"] == "14000" && returned["eci"] == "MOTO" && Browser.signatureIsValid(returned))
            let declined = try browser.pay(Browser.redirectForm("hc-moto-declined", [("eci", "MOTO")]), card: Browser.card("4000000000000028"))
            #expect(Browser.returned(declined.text)["response_code"] == "13029")
        }
    }

    @Test func anUncertainCard_returns15777_thenTheNotificationSettlesIt() async throws {
        try await withCheckoutSandbox { sandbox, browser, receiver in
            let done = try browser.pay(Browser.redirectForm("hc-uncertain"), card: Browser.card("4000000000000770"))
            #expect(Browser.returned(done.text)["response_code"] == "15777")
            _ = try browser.aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 61}"#)
            try browser.aps.http.settle()
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "hc-uncertain")?.status == .approved)
            #expect(receiver.requests.map(\.path) == ["/aps/direct", "/aps/notify"])
        }
    }

    @Test func anArabicCheckout_isRightToLeftInArabic() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let page = try browser.start(Browser.redirectForm("hc-ar", language: "ar", [("remember_me", "NO")]))
            #expect(page.text.contains(#"<html lang="ar" dir="rtl">"#) && page.text.contains("إتمام الدفع"))
            #expect(page.text.contains("احفظ هذه البطاقة") && !page.text.contains(#"value="YES" checked"#))
            let done = try browser.post(try Browser.action(page.text), Browser.card)
            #expect(done.text.contains("تمت الموافقة على الدفع") && Browser.returned(done.text)["language"] == "ar")
        }
    }

    @Test func aSecondSubmit_afterTheEnd_paysNothing_andShowsTheSameOutcome() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let page = try browser.start(Browser.redirectForm("hc-twice"))
            let action = try Browser.action(page.text)
            let first = try browser.post(action, Browser.card)
            let second = try browser.post(action, Browser.card)
            #expect(second.status == 200 && Browser.returned(second.text) == Browser.returned(first.text))
            // One order: the second answer names the first's transaction.
            let order = try #require(sandbox.engine.order(merchant: "CycHZxVj", reference: "hc-twice"))
            #expect(Browser.returned(second.text)["fort_id"] == .string(order.fortID))
        }
    }

    @Test func aBadCardEntry_reShowsTheForm_withoutCharging() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let page = try browser.start(Browser.redirectForm("hc-form"))
            let action = try Browser.action(page.text)
            let bad = try browser.post(action, [("card_number", "4005550000000002"), ("expiry_date", "3005"), ("card_security_code", "123"),
                                                ("card_holder_name", "A"), ("agree_terms", "yes")])
            #expect(bad.status == 422 && bad.text.contains("Enter a valid card number."))
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "hc-form") == nil)
            #expect(Browser.returned(try browser.post(action, Browser.card).text)["response_code"] == "14000")
        }
    }

    @Test func withoutAnyReturnURL_thePageListsTheParameters() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let done = try browser.pay(Browser.redirectForm("hc-table", returnURL: nil))
            #expect(done.text.contains(#"<table class="params">"#) && done.text.contains("14000") && !done.text.contains("<form"))
        }
    }

    @Test func withoutAReturnURLInTheRequest_theMerchantsRedirectURLIsUsed() async throws {
        try await withCheckoutSandbox(redirectURL: "https://shop.example/configured") { _, browser, _ in
            let done = try browser.pay(Browser.redirectForm("hc-configured", returnURL: nil))
            #expect(try Browser.action(done.text) == "https://shop.example/configured")
        }
    }
}
