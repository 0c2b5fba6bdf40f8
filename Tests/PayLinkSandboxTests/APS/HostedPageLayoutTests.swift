import Foundation
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// What the hosted page's HTML says and how it is laid out: the error summary names each
/// field, in English and Arabic; the feedback page keeps parameter names whole.
struct HostedPageLayoutTests {
    let pages = HostedPageTests()

    /// The items of the page's error summary, in order.
    static func summary(_ html: String) -> [String] {
        guard let start = html.range(of: "<div class=\"errors\" role=\"alert\">"),
              let end = html.range(of: "</div>", range: start.upperBound..<html.endIndex) else { return [] }
        return html[start.upperBound..<end.lowerBound].components(separatedBy: "<li>").dropFirst()
            .map { HostedPageTests.unescape($0.replacingOccurrences(of: "</li>", with: "").replacingOccurrences(of: "</ul>", with: "")) }
    }

    @Test func theErrorSummary_namesEachField_inTheOrderOfTheForm() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("summary-en")
            let refused = try pages.postForm(aps, try pages.path(sandbox, id), [("card_number", "4005550000000002"), ("expiry_date", "3005"),
                                                                                  ("card_security_code", "12"), ("card_holder_name", " ")])
            #expect(refused.status == 422)
            #expect(Self.summary(refused.text) == [
                "Card number: Enter a valid card number.",
                "Security code (CVV): Enter the card's security code: 4 digits for American Express, 3 for other cards.",
                "Card holder name: This field is required.",
                "Terms and conditions: Accept the terms and conditions to pay.",
            ])
            #expect(refused.header("X-Sandbox-Detail")?.contains("agree_terms: Accept the terms") == true)
            // Next to the field itself, the message alone (the label is right above it).
            #expect(refused.text.contains(#"<p class="error">This field is required.</p>"#))
        }
    }

    @Test func theArabicErrorSummary_namesEachFieldInArabic() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("summary-ar", ["language": "ar"])
            let refused = try pages.postForm(aps, try pages.path(sandbox, id), [("card_number", "4005550000000001"), ("expiry_date", "3005"),
                                                                                  ("card_security_code", "123"), ("agree_terms", "yes")])
            #expect(refused.status == 422 && refused.text.contains(#"<html lang="ar" dir="rtl">"#))
            #expect(Self.summary(refused.text) == ["اسم حامل البطاقة: هذا الحقل مطلوب."])
        }
    }

    /// Without a return URL the feedback page lists the parameters: each name in a cell that
    /// never wraps and reads left to right, on an Arabic page too; values may wrap anywhere.
    @Test func theFeedbackTable_keepsParameterNamesWhole_leftToRight() async throws {
        var merchant = Merchant.demo
        merchant.redirectURL = nil
        try await withSandbox(.testing(merchants: [merchant])) { sandbox, aps in
            let id = try aps.createLink("feedback-ar", ["language": "ar"])
            let paid = try pages.postForm(aps, try pages.path(sandbox, id), pages.goodCard)
            #expect(paid.status == 200 && paid.text.contains(#"<table class="params">"#), "\(paid.text.prefix(300))")
            #expect(paid.text.contains(#"<td class="code name" dir="ltr">merchant_reference</td>"#))
            #expect(paid.text.contains(#"<td class="code value" dir="ltr">feedback-ar</td>"#))
            let style = HostedPageFrame.style
            #expect(style.contains("table.params td.name{white-space:nowrap;word-break:normal;overflow-wrap:normal}"))
            #expect(style.contains("table.params td.value{word-break:normal;overflow-wrap:anywhere}"))
            #expect(!style.contains("break-all"), "break-all cuts merchant_reference in the middle of a word")
        }
    }
}
