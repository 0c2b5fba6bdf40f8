import Foundation
import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS

/// Installments on the hosted checkout over real sockets: the card taken, the plan page, the
/// chosen plan in the return form, the Direct Transaction Feedback and CHECK_STATUS, and the
/// amount charged the order's own.
struct HostedCheckoutInstallmentTests {
    typealias Browser = HostedCheckoutBrowser

    /// 1,500.00 SAR, which the default KSA issuer's three plans all take.
    static func request(_ reference: String, _ mode: String, language: String = "en") -> [(String, String)] {
        Browser.redirectForm(reference, language: language, [("installments", mode)]).map { $0.0 == "amount" ? ($0.0, "150000") : $0 }
    }

    static let threeDSCard = Browser.card("4557012345678902")
    /// Approved, and no issuer of the catalogue covers BIN 411111.
    static let uncoveredCard = Browser.card("4111111111111111")

    /// Starts the request and submits the card: the plan page (or whatever came instead).
    func planPage(_ browser: Browser, _ start: [(String, String)], card: [(String, String)] = threeDSCard) throws -> HTTPTestClient.Response {
        try browser.pay(start, card: card)
    }

    @Test func aStandalonePurchase_withAChosenPlan_carriesThePlanEverywhere_andChargesTheOrderAmount() async throws {
        try await withCheckoutSandbox { sandbox, browser, receiver in
            let plans = try planPage(browser, Self.request("hc-inst-1", "STANDALONE"))
            #expect(plans.status == 200 && plans.text.contains(#"data-testid="plans""#))
            #expect(try Browser.action(plans.text).hasSuffix("/plan"))
            for needle in ["Sandbox Bank KSA", "3 monthly payments of 508.33 SAR", "fee 25.00 SAR", "6 monthly payments of",
                           "12 monthly payments of", "fees 0.75 % a month", "455701******8902", "charges 1,500.00 SAR"] {
                #expect(plans.text.contains(needle), "missing \(needle)")
            }
            #expect(!plans.text.contains(#"value="FULL""#))

            let challenge = try browser.post(try Browser.action(plans.text), [("installment_plan", "SBXSA001/SAFIX003")])
            #expect(challenge.header("X-Sandbox-Response-Code") == "20064")
            let verification = try #require(HostedPageTests.hiddenFields(challenge.text).first { $0.0 == "verification_id" }?.1)
            let done = try browser.post(try Browser.action(challenge.text), [("verification_id", verification), ("code", "1234")])
            let returned = Browser.returned(done.text)
            #expect(returned["response_code"] == "14000" && Browser.signatureIsValid(returned))
            #expect(returned["installments"] == "STANDALONE" && returned["number_of_installments"] == "3")
            #expect(returned["plan_code"] == "SAFIX003" && returned["issuer_code"] == "SBXSA001" && returned["amount"] == "150000")
            let order = try #require(sandbox.engine.order(merchant: "CycHZxVj", reference: "hc-inst-1"))
            #expect(order.authorizedAmount == 150_000 && order.capturedAmount == 150_000)

            try browser.aps.http.settle()
            let direct = try #require(receiver.requests.first { $0.path == "/aps/direct" })
            #expect(try JSONParser.parse(direct.body).objectValue == returned)
            let status = try browser.aps.send(["query_command": "CHECK_STATUS", "merchant_reference": "hc-inst-1", "language": "en"])
            #expect(status.code == "12000" && status["installments"] == "STANDALONE" && status["number_of_installments"] == "3")
            #expect(status["plan_code"] == "SAFIX003" && status["issuer_code"] == "SBXSA001")
        }
    }

    @Test func thePlanPage_inArabic_isRightToLeft() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let plans = try planPage(browser, Self.request("hc-inst-ar", "HOSTED", language: "ar"))
            #expect(plans.status == 200 && plans.text.contains(#"<html lang="ar" dir="rtl">"#))
            for needle in ["بنك ساندبوكس السعودية", "3 دفعات شهرية بقيمة \u{2066}508.33 SAR\u{2069}", "ادفع المبلغ كاملًا الآن", "الدفع بالتقسيط"] {
                #expect(plans.text.contains(needle), "missing \(needle)")
            }
        }
    }

    @Test func hosted_offersPayingInFull_whichCarriesNoPlan() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let plans = try planPage(browser, Self.request("hc-inst-full", "HOSTED"), card: Browser.card("345678000000007"))
            #expect(plans.text.contains(#"value="FULL""#))
            let done = try browser.post(try Browser.action(plans.text), [("installment_plan", "FULL")])
            let returned = Browser.returned(done.text)
            #expect(returned["response_code"] == "14000" && returned["installments"] == "HOSTED" && returned["number_of_installments"] == nil)
            let status = try browser.aps.send(["query_command": "CHECK_STATUS", "merchant_reference": "hc-inst-full", "language": "en"])
            #expect(status.code == "12000" && status["number_of_installments"] == nil && status["plan_code"] == nil)
        }
    }

    @Test func hosted_withACardNoIssuerCovers_paysInFullAtOnce() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let done = try planPage(browser, Self.request("hc-inst-yes", "YES"), card: Self.uncoveredCard)
            let returned = Browser.returned(done.text)
            #expect(returned["response_code"] == "14000" && returned["installments"] == "YES" && returned["plan_code"] == nil)
        }
    }

    @Test func standalone_withACardNoIssuerCovers_isShownTheReason_andMayUseAnotherCard() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let page = try browser.start(Self.request("hc-inst-087", "STANDALONE"))
            let action = try Browser.action(page.text)
            let refused = try browser.post(action, Self.uncoveredCard)
            #expect(refused.status == 422 && refused.text.contains("does not offer installments here"))
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "hc-inst-087") == nil)
            // The UAE issuer covers 400555 but has no SAR plan (104); below every plan's minimum is 084.
            #expect(try browser.post(action, Browser.card).text.contains("No installment plan is available in this currency"))
            let plans = try browser.post(action, Self.threeDSCard)
            #expect(plans.status == 200 && plans.text.contains(#"name="installment_plan""#))
        }
    }

    @Test func noPlanChosen_showsThePlansAgain_andChargesNothing() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let plans = try planPage(browser, Self.request("hc-inst-none", "STANDALONE"))
            let action = try Browser.action(plans.text)
            for choice in [[], [("installment_plan", "FULL")], [("installment_plan", "SBXAE001/AEFLAT03")]] {
                let again = try browser.post(action, choice)
                #expect(again.status == 422 && again.text.contains("Choose an installment plan."))
            }
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "hc-inst-none") == nil)
            // Reloading or re-posting the card form shows the plans again.
            #expect(try browser.aps.http.get(try Browser.action(plans.text).replacingOccurrences(of: "/plan", with: "")).text
                .contains(#"name="installment_plan""#))
        }
    }

    @Test func standalone_forAMerchantWithoutInstallments_isRefusedWith00086_andABadValueWith00002() async throws {
        try await withCheckoutSandbox(configure: { config in
            config.installments = InstallmentCatalog(issuers: InstallmentCatalog.sandboxDefault.issuers, merchants: ["someone-else"])
        }) { _, browser, _ in
            let refused = Browser.returned(try browser.start(Self.request("hc-inst-086", "STANDALONE")).text)
            #expect(refused["response_code"] == "00086" && Browser.signatureIsValid(refused))
            let bad = Browser.returned(try browser.start(Self.request("hc-inst-002", "MAYBE")).text)
            #expect(bad["response_code"] == "00002")
            // HOSTED: no plans to offer, so the card pays in full.
            let done = try planPage(browser, Self.request("hc-inst-hosted", "HOSTED"))
            #expect(done.header("X-Sandbox-Response-Code") == "20064")
        }
    }
}
