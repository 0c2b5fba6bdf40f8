import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS

/// The simulated checkouts in Arabic: the test credentials are labelled in Arabic, and what must
/// read left to right (codes, e-mails, dates, amounts) is isolated in `<bdi dir="ltr">`, with
/// the words around it ("today") in the page's language and direction.
struct BNPLPageDirectionTests {
    @Test func theArabicTamaraPages_labelTheCredentials_andKeepCodesAndDatesLeftToRight() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let bnpl = BNPLBrowser(browser: browser)
            let (address, signIn) = try bnpl.start(BNPLBrowser.request("dir-ar", language: "ar"))
            #expect(signIn.text.contains(#"dir="rtl""#))
            #expect(signIn.text.contains(#"كلمة المرور: <bdi class="code" dir="ltr">tamara123</bdi>"#))
            #expect(signIn.text.contains(#"رمز التحقق: <bdi class="code" dir="ltr">123456</bdi>"#))
            #expect(!signIn.text.contains("password:") && !signIn.text.contains("the order&#39;s"))

            _ = try bnpl.signIn(address, BNPLBrowser.tamaraSignIn)
            let schedule = try bnpl.otp(address, BNPLTestAccounts.tamaraOTP)
            #expect(schedule.text.contains(#"<bdi class="code" dir="ltr">2026-01-01</bdi> (اليوم)"#))
            #expect(schedule.text.contains(#"<bdi class="code" dir="ltr">41.68 SAR</bdi>"#))
        }
    }

    @Test func theEnglishTabbyPage_namesWhatEachTestEmailDoes() async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let (_, signIn) = try BNPLBrowser(browser: browser).start(BNPLBrowser.request("dir-tabby", option: "TABBY"))
            #expect(signIn.text.contains(#"E-mail for an approval: <bdi class="code" dir="ltr">otp.success@tabby.ai</bdi>"#))
            #expect(signIn.text.contains(#"E-mail for a rejection after the OTP: <bdi class="code" dir="ltr">otp.rejected@tabby.ai</bdi>"#))
        }
    }
}
