import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS

/// Tamara through the hosted checkout over real sockets: the simulated Tamara checkout (sign
/// in, OTP, schedule), each outcome's code at the return URL and the feedback URL, expiry on the
/// sandbox clock, refunds through APS REFUND, and the refusals of requests Tamara cannot take.
struct TamaraCheckoutTests {
    typealias Browser = HostedCheckoutBrowser

    @Test func anApprovedTamaraPurchase_signsIn_passesTheOTP_showsTheSchedule_andReturns14000() async throws {
        try await withCheckoutSandbox { sandbox, browser, receiver in
            let bnpl = BNPLBrowser(browser: browser)
            let (address, signIn) = try bnpl.start(BNPLBrowser.request("tam-1"))
            #expect(address.hasPrefix("/FortAPI/bnpl/tamara/"))
            #expect(signIn.status == 200 && signIn.text.contains("Simulated Tamara checkout (PayLinkSandbox)"))
            #expect(signIn.text.contains("125.00 SAR") && signIn.text.contains(#"value="+966500000001""#))
            #expect(signIn.text.contains(#"data-testid="test-credentials""#) && signIn.text.contains("tamara123"))

            let wrong = try bnpl.signIn(address, [("phone_number", "+966500000001"), ("password", "nope")])
            #expect(wrong.status == 422 && wrong.text.contains("not the sandbox&#39;s test credentials"))
            let noPhone = try bnpl.signIn(address, [("phone_number", ""), ("password", BNPLTestAccounts.tamaraPassword)])
            #expect(noPhone.status == 422)
            let otp = try bnpl.signIn(address, BNPLBrowser.tamaraSignIn)
            #expect(otp.status == 200 && otp.text.contains(#"name="otp""#))
            let wrongOTP = try bnpl.otp(address, "000000")
            #expect(wrongOTP.status == 422 && wrongOTP.text.contains("Attempts left: 2"))
            let schedule = try bnpl.otp(address, BNPLTestAccounts.tamaraOTP)
            #expect(schedule.status == 200)
            // 125.00 SAR in 3: the remainder in the first, one every 30 days from the merchant's clock.
            for needle in ["41.68 SAR", "41.66 SAR", "2026-01-01</bdi> (today)", "2026-01-31", "2026-03-02", #"value="approve""#, #"value="decline""#, #"value="cancel""#] {
                #expect(schedule.text.contains(needle), "missing \(needle)")
            }
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "tam-1") == nil, "nothing is recorded before the decision")

            let done = try bnpl.decide(address, "approve")
            #expect(done.status == 200 && done.header("X-Sandbox-Response-Code") == "14000")
            #expect(try Browser.action(done.text) == Browser.returnURL)
            let returned = Browser.returned(done.text)
            #expect(returned["response_code"] == "14000" && returned["status"] == "14" && returned["payment_option"] == "TAMARA")
            #expect(returned["phone_number"] == "+966500000001" && returned["order_description"] == "Order 42")
            #expect(Browser.signatureIsValid(returned))
            let order = try #require(sandbox.engine.order(merchant: "CycHZxVj", reference: "tam-1"))
            #expect(order.status == .approved && order.command == .purchase && order.paymentLinkID == nil)

            try browser.aps.http.settle()
            let direct = try #require(receiver.requests.first { $0.path == "/aps/direct" })
            #expect(try JSONParser.parse(direct.body).objectValue == returned)
            // A second visit shows the outcome again; a second approval records nothing.
            let again = try bnpl.decide(address, "approve")
            #expect(again.header("X-Sandbox-Response-Code") == "14000" && Browser.returned(again.text) == returned)
            #expect(receiver.requests.filter { $0.path == "/aps/direct" }.count == 1)
        }
    }

    /// Captured at once (PURCHASE, nothing deferred); partial then full refunds go through APS
    /// REFUND and each is notified.
    @Test func anApprovedTamaraOrder_isRefundedPartlyThenFully_andEachRefundIsNotified() async throws {
        try await withCheckoutSandbox { _, browser, receiver in
            let bnpl = BNPLBrowser(browser: browser)
            let (address, _) = try bnpl.start(BNPLBrowser.request("tam-refund"))
            #expect(Browser.returned(try bnpl.complete(address, provider: .tamara, action: "approve").text)["response_code"] == "14000")
            let aps = browser.aps
            let status = try aps.send(["query_command": "CHECK_STATUS", "merchant_reference": "tam-refund", "language": "en"])
            #expect(status.code == "12000" && status["captured_amount"] == "12500" && status["authorized_amount"] == "12500")
            let partial = try aps.send(["command": "REFUND", "merchant_reference": "tam-refund", "amount": "2500", "currency": "SAR", "language": "en"])
            #expect(partial.code == "06000")
            let rest = try aps.send(["command": "REFUND", "merchant_reference": "tam-refund", "amount": "10000", "currency": "SAR", "language": "en"])
            #expect(rest.code == "06000")
            let over = try aps.send(["command": "REFUND", "merchant_reference": "tam-refund", "amount": "1", "currency": "SAR", "language": "en"])
            #expect(over.code != "06000")
            try aps.http.settle()
            let notified = try receiver.requests.filter { $0.path == "/aps/notify" }.compactMap { try JSONParser.parse($0.body).objectValue }
            #expect(notified.map { $0["response_code"] } == ["06000", "06000"])
            #expect(notified.map { $0["amount"] } == ["2500", "10000"])
        }
    }

    @Test(arguments: [
        ("decline", "13666"), ("cancel", "00072"),
    ])
    func aTamaraCheckout_declinedOrCancelled_returnsItsCode_andChargesNothing(action: String, code: String) async throws {
        try await withCheckoutSandbox { sandbox, browser, receiver in
            let bnpl = BNPLBrowser(browser: browser)
            let (address, _) = try bnpl.start(BNPLBrowser.request("tam-\(action)"))
            let done = try bnpl.complete(address, provider: .tamara, action: action)
            let returned = Browser.returned(done.text)
            #expect(done.header("X-Sandbox-Response-Code") == code && returned["response_code"] == .string(code))
            #expect(Browser.signatureIsValid(returned) && returned["payment_option"] == "TAMARA")
            let order = try #require(sandbox.engine.order(merchant: "CycHZxVj", reference: "tam-\(action)"))
            let expected = try #require(APSResponseCode(code))
            #expect(order.status == .declined(expected))
            try browser.aps.http.settle()
            let direct = try #require(receiver.requests.first { $0.path == "/aps/direct" })
            #expect(try JSONParser.parse(direct.body).objectValue?["response_code"] == .string(code))
            let refund = try browser.aps.send(["command": "REFUND", "merchant_reference": "tam-\(action)", "amount": "100", "currency": "SAR",
                                               "language": "en"])
            #expect(refund.code != "06000", "nothing was charged, so nothing can be refunded")
        }
    }

    @Test func cancellingAtSignIn_returns00072() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let bnpl = BNPLBrowser(browser: browser)
            let (address, signIn) = try bnpl.start(BNPLBrowser.request("tam-early-cancel"))
            #expect(signIn.text.contains(#"value="cancel""#))
            let done = try bnpl.decide(address, "cancel")
            #expect(Browser.returned(done.text)["response_code"] == "00072")
            // Approving a cancelled checkout shows the cancellation again.
            #expect(try bnpl.decide(address, "approve").header("X-Sandbox-Response-Code") == "00072")
        }
    }

    /// An OTP before signing in, an approval before the schedule, a second sign-in: each is 409
    /// with the current step shown again and a detail naming it; the checkout then goes on as usual.
    @Test func stepsPostedOutOfOrder_are409_sayWhichStepItIs_andRecordNothing() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let bnpl = BNPLBrowser(browser: browser)
            let (address, _) = try bnpl.start(BNPLBrowser.request("tam-order"))
            let earlyOTP = try bnpl.otp(address, BNPLProvider.tamara.passingOTP)
            #expect(earlyOTP.status == 409 && earlyOTP.text.contains(#"name="password""#))
            #expect(earlyOTP.header("X-Sandbox-Detail")?.contains("signing in") == true, "\(earlyOTP.header("X-Sandbox-Detail") ?? "")")
            let earlyApproval = try bnpl.decide(address, "approve")
            #expect(earlyApproval.status == 409 && earlyApproval.header("X-Sandbox-Detail") != nil)
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "tam-order") == nil)
            #expect(try bnpl.signIn(address, BNPLBrowser.tamaraSignIn).status == 200)
            let again = try bnpl.signIn(address, BNPLBrowser.tamaraSignIn)
            #expect(again.status == 409 && again.header("X-Sandbox-Detail")?.contains("one-time password") == true)
            let schedule = try bnpl.otp(address, BNPLProvider.tamara.passingOTP)
            #expect(schedule.status == 200 && schedule.text.contains(#"data-testid="schedule""#))
            #expect(Browser.returned(try bnpl.decide(address, "approve").text)["response_code"] == "14000")
        }
    }

    @Test func threeWrongOTPs_decline13787() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let bnpl = BNPLBrowser(browser: browser)
            let (address, _) = try bnpl.start(BNPLBrowser.request("tam-otp"))
            _ = try bnpl.signIn(address, BNPLBrowser.tamaraSignIn)
            #expect(try bnpl.otp(address, "1").status == 422)
            #expect(try bnpl.otp(address, "2").status == 422)
            let done = try bnpl.otp(address, "3")
            #expect(Browser.returned(done.text)["response_code"] == "13787")
        }
    }

    /// Nobody acts for 30 minutes on the sandbox clock: settling expires it (13778), the merchant
    /// hears of it, and the customer coming back sees the expiry go to the return URL.
    @Test func anAbandonedTamaraCheckout_expiresAfter30Minutes_onSettle() async throws {
        try await withCheckoutSandbox { sandbox, browser, receiver in
            let bnpl = BNPLBrowser(browser: browser)
            let (address, _) = try bnpl.start(BNPLBrowser.request("tam-expire"))
            _ = try bnpl.signIn(address, BNPLBrowser.tamaraSignIn)
            _ = try browser.aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 1799}"#)
            try browser.aps.http.settle()
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "tam-expire") == nil, "not yet")
            _ = try browser.aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 1}"#)
            try browser.aps.http.settle()
            let order = try #require(sandbox.engine.order(merchant: "CycHZxVj", reference: "tam-expire"))
            #expect(order.status == .declined(APSResponseCode(status: "13", message: "778")))
            let direct = try #require(receiver.requests.first { $0.path == "/aps/direct" })
            #expect(try JSONParser.parse(direct.body).objectValue?["response_code"] == "13778")
            let back = try browser.aps.http.get(address)
            #expect(back.header("X-Sandbox-Response-Code") == "13778" && Browser.returned(back.text)["response_code"] == "13778")
        }
    }

    /// Without background work, the next page request sees the time is up.
    @Test func anAbandonedTamaraCheckout_expiresAtTheNextTouch() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let bnpl = BNPLBrowser(browser: browser)
            let (address, _) = try bnpl.start(BNPLBrowser.request("tam-touch"))
            _ = try browser.aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 1800}"#)
            let late = try bnpl.signIn(address, BNPLBrowser.tamaraSignIn)
            #expect(late.header("X-Sandbox-Response-Code") == "13778" && late.text.contains("Checkout session expired"))
        }
    }

    @Test func theTamaraCheckout_speaksArabic() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let bnpl = BNPLBrowser(browser: browser)
            let (address, page) = try bnpl.start(BNPLBrowser.request("tam-ar", language: "ar"))
            #expect(page.text.contains(#"<html lang="ar" dir="rtl">"#) && page.text.contains("صفحة دفع Tamara محاكاة (PayLinkSandbox)"))
            _ = try bnpl.signIn(address, BNPLBrowser.tamaraSignIn)
            let schedule = try bnpl.otp(address, BNPLTestAccounts.tamaraOTP)
            #expect(schedule.text.contains("خطة الدفع") && schedule.text.contains("تأكيد والدفع"))
        }
    }

    @Test(arguments: [
        ("command AUTHORIZATION", [("command", "AUTHORIZATION")], [String](), "00049"),
        ("currency USD", [("currency", "USD")], [], "00024"),
        ("currency EGP", [("currency", "EGP")], [], "00024"),
        ("no phone_number", [], ["phone_number"], "00001"),
        ("no order_description", [], ["order_description"], "00001"),
    ])
    func aTamaraRequestItCannotTake_isReturnedSignedWithItsCode(name: String, changes: [(String, String)], without: [String],
                                                                code: String) async throws {
        try await withCheckoutSandbox(configure: { config in
            config.merchants[0].currencies = nil
        }) { sandbox, browser, _ in
            var fields = BNPLBrowser.request("tam-bad", without: Set(without))
            for (key, value) in changes { fields = fields.map { $0.0 == key ? (key, value) : $0 } }
            let page = try browser.start(fields)
            #expect(page.status == 200 && page.header("X-Sandbox-Response-Code") == code, "\(name): \(page.text)")
            let returned = Browser.returned(page.text)
            #expect(returned["response_code"] == .string(code) && Browser.signatureIsValid(returned), "\(name)")
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "tam-bad") == nil)
        }
    }

    /// Tamara is on by default; a merchant whose `payment_options` leaves it out is refused with
    /// the option rules' code (003), and its payment page does not offer it.
    @Test func aMerchantWithoutTamara_isRefused003() async throws {
        try await withCheckoutSandbox(configure: { config in
            config.merchants[0].paymentOptions = ["VISA", "MASTERCARD", "TABBY"]
        }) { _, browser, _ in
            let page = try browser.start(BNPLBrowser.request("tam-off"))
            #expect(page.header("X-Sandbox-Response-Code") == "00003" && Browser.signatureIsValid(Browser.returned(page.text)))
            let cards = try browser.start(BNPLBrowser.request("tam-off-page", without: ["payment_option"]))
            #expect(cards.status == 200 && !cards.text.contains(#"value="TAMARA""#) && cards.text.contains(#"value="TABBY""#))
        }
    }

    /// The request names no option: the payment page offers Tamara and Tabby (the request has
    /// their fields), the customer picks Tamara, and the page's session ends with its outcome.
    @Test func theCustomerChoosesTamaraOnThePaymentPage() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let page = try browser.start(BNPLBrowser.request("tam-chosen", without: ["payment_option"]))
            #expect(page.text.contains(#"value="TAMARA""#) && page.text.contains(#"value="TABBY""#))
            let checkoutPage = try Browser.action(page.text)
            let chosen = try browser.post(checkoutPage, [("payment_option", "TAMARA"), ("agree_terms", "yes")])
            let location = try #require(chosen.header("Location"))
            #expect(chosen.status == 303 && location.hasPrefix("/FortAPI/bnpl/tamara/"))
            // Back on the payment page, a card is refused while Tamara's checkout is under way, saying so.
            let card = try browser.post(checkoutPage, [("card_number", "4005550000000001"), ("expiry_date", "3005"),
                                                       ("card_security_code", "123"), ("card_holder_name", "Sara"), ("agree_terms", "yes")])
            #expect(card.status == 409 && card.header("X-Sandbox-Detail")?.contains("Tamara") == true, "\(card.header("X-Sandbox-Detail") ?? "")")
            let bnpl = BNPLBrowser(browser: browser)
            let done = try bnpl.complete(location, provider: .tamara, action: "approve")
            #expect(Browser.returned(done.text)["response_code"] == "14000")
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "tam-chosen")?.status == .approved)
            // The payment page's session shows the outcome too; it charges nothing again.
            let reload = try browser.aps.http.get(checkoutPage)
            #expect(reload.header("X-Sandbox-Response-Code") == "14000")
            // Without the Tamara fields, the page offers cards only.
            let plain = try browser.start(Browser.redirectForm("tam-plain"))
            #expect(!plain.text.contains(#"value="TAMARA""#) && !plain.text.contains(#"value="TABBY""#))
        }
    }

    /// A reset of the merchant forgets what its customers were in the middle of: the provider
    /// checkout and the payment page behind it answer 404, and nothing can be paid there later.
    @Test func aResetOfTheMerchant_forgetsItsCheckoutsUnderWay() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let bnpl = BNPLBrowser(browser: browser)
            let (address, _) = try bnpl.start(BNPLBrowser.request("tam-reset"))
            let page = try browser.start(Browser.redirectForm("hc-reset"))
            let checkoutPage = try Browser.action(page.text)
            sandbox.reset(.merchant("CycHZxVj"))
            #expect(try bnpl.signIn(address, BNPLBrowser.tamaraSignIn).status == 404)
            #expect(try browser.post(checkoutPage, [("card_number", "4005550000000001"), ("expiry_date", "3005"),
                                                    ("card_security_code", "123"), ("card_holder_name", "Sara"),
                                                    ("agree_terms", "yes")]).status == 404)
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "hc-reset") == nil)
        }
    }

    @Test func anUnknownSession_is404() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            #expect(try browser.aps.http.get("/FortAPI/bnpl/tamara/nope").status == 404)
            let (address, _) = try BNPLBrowser(browser: browser).start(BNPLBrowser.request("tam-wrong-provider"))
            #expect(try browser.aps.http.get("/FortAPI/bnpl/tabby/" + address.split(separator: "/").last.map(String.init)!).status == 404)
        }
    }
}
