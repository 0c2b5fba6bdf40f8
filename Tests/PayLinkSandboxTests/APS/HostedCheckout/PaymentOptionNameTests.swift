import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS

/// The option buttons on a link's page and on the hosted checkout's page name each option for
/// people, in English and Arabic, rather than showing APS's `payment_option` ("TABBY", "TAMARA").
struct PaymentOptionNameTests {
    @Test(arguments: ["en", "ar"])
    func everyKnownOption_hasADisplayName(language: String) {
        let text = PageText.forLanguage(language)
        let unnamed = PaymentOptionRules.knownOptions.filter { text.optionNames[$0] == nil }
        #expect(unnamed.isEmpty, "no \(language) name for \(unnamed)")
    }

    @Test(arguments: [("en", "> Tamara</label>", "> Tabby</label>"), ("ar", "> تمارا</label>", "> تابي</label>")])
    func theHostedCheckoutsPage_namesTamaraAndTabby(language: String, tamara: String, tabby: String) async throws {
        try await withCheckoutSandbox { _, browser, _ in
            let page = try browser.start(BNPLBrowser.request("names-\(language)", language: language, without: ["payment_option"]))
            #expect(page.status == 200 && page.text.contains(#"value="TAMARA""#))
            #expect(page.text.contains(tamara) && page.text.contains(tabby))
            #expect(!page.text.contains("> TAMARA</label>") && !page.text.contains("> TABBY</label>"))
        }
    }

    @Test func aLinksPage_namesTabby() async throws {
        try await withCheckoutSandbox { sandbox, browser, _ in
            let aps = browser.aps
            let id = try aps.createLink("names-link", ["currency": "AED", "customer_phone": "0501234567", "order_description": "Order 9"])
            let page = try aps.http.get("/pay/" + (try #require(sandbox.engine.link(id: id))).link.token)
            #expect(page.text.contains(#"value="TABBY""#) && page.text.contains("> Tabby</label>"))
            #expect(page.text.contains("> STC Pay</label>") || !page.text.contains(#"value="STCPAY""#))
        }
    }
}
