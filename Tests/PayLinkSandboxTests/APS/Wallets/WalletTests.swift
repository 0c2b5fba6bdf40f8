import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// STC Pay and Visa Checkout as digital wallets (docs/aps-wallets.md), on a link's page and on
/// the hosted checkout's: the test numbers' outcomes, the OTP step, and the feedback's
/// `digital_wallet` as the official WooCommerce plugin reads it (`lib/class-aps-order.php`:
/// `digital_wallet === 'STCPAY'`; a Visa Checkout decline is told by `payment_option` being set
/// and `digital_wallet` in `APS_RETRY_DIGITAL_WALLETS = ['VISA_CHECKOUT']`).
struct WalletTests {
    typealias Browser = HostedCheckoutBrowser
    let form = HostedPageTests()

    /// Pays link `reference` with STC Pay from `phone`, answering the OTP with `otp`.
    func payLinkWithStcPay(_ sandbox: Sandbox, _ aps: APSTestClient, _ reference: String, phone: String,
                           otp: String = TestCards.passingWalletOTP) throws -> HTTPTestClient.Response {
        let id = try aps.createLink(reference)
        let page = try #require(sandbox.engine.link(id: id)).link.token
        let otpPage = try form.postForm(aps, "/pay/" + page, [("payment_option", "STCPAY"), ("phone_number", phone), ("agree_terms", "yes")])
        let verification = try #require(HostedPageTests.hiddenFields(otpPage.text).first { $0.0 == "verification_id" }?.1)
        return try form.postForm(aps, "/pay/" + page + "/otp", [("verification_id", verification), ("otp", otp)])
    }

    func directFeedback(_ sandbox: Sandbox, _ reference: String) throws -> JSONObject {
        try #require(sandbox.service.deliveries.deliveries().first { $0.payload["merchant_reference"]?.stringValue == reference }).payload
    }

    @Test func stcPayOnALink_approvedNumberPays_decliningNumberIs13747_andTheFeedbackCarriesDigitalWallet() async throws {
        try await ServerToServerFixture.withSandbox { sandbox, aps in
            let paid = try payLinkWithStcPay(sandbox, aps, "w-stc-1", phone: StcPayTestNumbers.approving)
            #expect(paid.header("X-Sandbox-Response-Code") == "14000", "\(paid.text)")
            let approved = try directFeedback(sandbox, "w-stc-1")
            #expect(approved["digital_wallet"]?.stringValue == "STCPAY" && approved["payment_option"]?.stringValue == "STCPAY")
            #expect(approved["phone_number"]?.stringValue == StcPayTestNumbers.approving || approved["phone_number"] == nil)

            let declined = try payLinkWithStcPay(sandbox, aps, "w-stc-2", phone: StcPayTestNumbers.declining)
            #expect(declined.header("X-Sandbox-Response-Code") == "13747", "\(declined.text)")
            let feedback = try directFeedback(sandbox, "w-stc-2")
            #expect(feedback["response_code"]?.stringValue == "13747" && feedback["response_message"]?.stringValue == "Insufficient Wallet Balance")
            #expect(feedback["digital_wallet"]?.stringValue == "STCPAY")
            // The +966 form of the declining number declines too.
            let international = try payLinkWithStcPay(sandbox, aps, "w-stc-3", phone: "+966500000747")
            #expect(international.header("X-Sandbox-Response-Code") == "13747")
            let wrongOTP = try payLinkWithStcPay(sandbox, aps, "w-stc-4", phone: StcPayTestNumbers.approving, otp: "9999")
            #expect(wrongOTP.header("X-Sandbox-Response-Code") == "13787")
        }
    }

    @Test func visaCheckoutOnALink_isPaymentOptionVISA_andDigitalWalletVISA_CHECKOUT() async throws {
        try await ServerToServerFixture.withSandbox { sandbox, aps in
            let id = try aps.createLink("w-vc-1")
            let token = try #require(sandbox.engine.link(id: id)).link.token
            let paid = try form.postForm(aps, "/pay/" + token, [("payment_option", "VISA_CHECKOUT"), ("agree_terms", "yes")])
            #expect(paid.header("X-Sandbox-Response-Code") == "14000")
            let feedback = try directFeedback(sandbox, "w-vc-1")
            #expect(feedback["payment_option"]?.stringValue == "VISA" && feedback["digital_wallet"]?.stringValue == "VISA_CHECKOUT")
        }
    }

    @Test func stcPayOnTheHostedCheckout_approvedAndDeclined_returnSignedFeedbackWithDigitalWallet() async throws {
        try await withCheckoutSandbox { sandbox, browser, receiver in
            for (reference, phone, code) in [("hc-stc-1", StcPayTestNumbers.approving, "14000"), ("hc-stc-2", StcPayTestNumbers.declining, "13747")] {
                let page = try browser.start(Browser.redirectForm(reference))
                #expect(page.text.contains(#"value="STCPAY""#) && page.text.contains(#"value="VISA_CHECKOUT""#))
                let action = try Browser.action(page.text)
                let otpPage = try browser.post(action, [("payment_option", "STCPAY"), ("phone_number", phone), ("agree_terms", "yes")])
                #expect(otpPage.status == 200 && otpPage.text.contains("one-time password"), "\(otpPage.text)")
                #expect(try Browser.action(otpPage.text) == action + "/otp")
                // Reloading while the OTP waits charges nothing.
                #expect(try browser.post(action, [("payment_option", "STCPAY"), ("phone_number", phone), ("agree_terms", "yes")]).status == 409)
                let verification = try #require(HostedPageTests.hiddenFields(otpPage.text).first { $0.0 == "verification_id" }?.1)
                let done = try browser.post(action + "/otp", [("verification_id", verification), ("otp", TestCards.passingWalletOTP)])
                #expect(done.header("X-Sandbox-Response-Code") == code, "\(done.text)")
                let returned = Browser.returned(done.text)
                #expect(returned["response_code"]?.stringValue == code && returned["digital_wallet"] == "STCPAY" && returned["payment_option"] == "STCPAY")
                #expect(Browser.signatureIsValid(returned) && returned["merchant_reference"]?.stringValue == reference)
                let order = try #require(sandbox.engine.order(merchant: "CycHZxVj", reference: reference))
                #expect(order.paymentLinkID == nil && order.payment.digitalWallet == "STCPAY")
            }
            try browser.aps.http.settle()
            let direct = receiver.requests.filter { $0.path == "/aps/direct" }
            #expect(direct.count == 2)
            for request in direct {
                let payload = try JSONParser.parse(request.body).objectValue
                #expect(payload?["digital_wallet"]?.stringValue == "STCPAY")
            }
        }
    }

    @Test func stcPayOnTheHostedCheckout_refusesABadNumber_aWrongOTPDeclines13787_andAnOTPIsAnsweredOnce() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let page = try browser.start(Browser.redirectForm("hc-stc-3"))
            let action = try Browser.action(page.text)
            let bad = try browser.post(action, [("payment_option", "STCPAY"), ("phone_number", "12345"), ("agree_terms", "yes")])
            #expect(bad.status == 422 && bad.text.contains("Saudi mobile number"))
            let otpPage = try browser.post(action, [("payment_option", "STCPAY"), ("phone_number", StcPayTestNumbers.approving), ("agree_terms", "yes")])
            let verification = try #require(HostedPageTests.hiddenFields(otpPage.text).first { $0.0 == "verification_id" }?.1)
            #expect(try browser.post(action + "/otp", [("verification_id", "otp-999"), ("otp", "1234")]).status == 400)
            let wrong = try browser.post(action + "/otp", [("verification_id", verification), ("otp", "0000")])
            #expect(wrong.header("X-Sandbox-Response-Code") == "13787")
            let replay = try browser.post(action + "/otp", [("verification_id", verification), ("otp", TestCards.passingWalletOTP)])
            #expect(Browser.returned(replay.text)["response_code"] == "13787", "a finished checkout shows its outcome again and charges nothing")
        }
    }

    @Test func visaCheckoutOnTheHostedCheckout_paysAtOnce_withDigitalWallet() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let page = try browser.start(Browser.redirectForm("hc-vc-1", command: "AUTHORIZATION"))
            let done = try browser.post(try Browser.action(page.text), [("payment_option", "VISA_CHECKOUT"), ("agree_terms", "yes")])
            let returned = Browser.returned(done.text)
            #expect(returned["response_code"] == "02000" && returned["payment_option"] == "VISA" && returned["digital_wallet"] == "VISA_CHECKOUT")
            #expect(Browser.signatureIsValid(returned))
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "hc-vc-1")?.payment.digitalWallet == "VISA_CHECKOUT")
        }
    }

    @Test func theHostedCheckout_offersWalletsOnlyWhenNoCardOptionIsNamed_andSTCPayOnlyInSAR() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let visaOnly = try browser.start(Browser.redirectForm("hc-w-1", [("payment_option", "VISA")]))
            #expect(!visaOnly.text.contains(#"value="STCPAY""#) && !visaOnly.text.contains(#"value="VISA_CHECKOUT""#))
            let stcOnly = try browser.start(Browser.redirectForm("hc-w-2", [("payment_option", "STCPAY")]))
            #expect(stcOnly.status == 200 && stcOnly.text.contains(#"value="STCPAY""#) && !stcOnly.text.contains(#"name="card_number""#))
            var usd = Browser.redirectForm("hc-w-3")
            usd = usd.map { $0.0 == "currency" ? ("currency", "USD") : $0 }
            let dollars = try browser.start(usd)
            #expect(dollars.status == 200 && !dollars.text.contains(#"value="STCPAY""#) && dollars.text.contains(#"value="VISA_CHECKOUT""#))
            let saved = try browser.start(Browser.redirectForm("hc-w-4", [("remember_me", "YES")]))
            #expect(saved.text.contains(#"value="VISA_CHECKOUT""#), "remember_me only adds the save-card box")
        }
    }
}
