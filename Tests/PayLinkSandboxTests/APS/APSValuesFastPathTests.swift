@testable import PayLinkAPS
import Testing

/// `APSValues.email` and `notificationType` answer ASCII values and the usual notification
/// types without the general (grapheme-walking) code: the answers must be the same as its.
struct APSValuesFastPathTests {
    @Test func email_acceptsAndRefusesAsTheGeneralRuleDoes() {
        let accepted = ["a@b.c", "ann.lee@example.com", "x@a.b.c", "c1@example.com"]
        let refused = ["@b.c", "a@", "a@b", "a@.b", "a@b.", "a@@b.c", "a@b@c.d", "ab.c", "a@.", "a@..c."]
        for text in accepted { #expect(Self.emailError(text) == nil, "\(text)") }
        for text in refused { #expect(Self.emailError(text) == Self.generalRule(text), "\(text)") }
        #expect(Self.emailError("a@b") == "customer_email: not an e-mail address")
        #expect(Self.emailError("a@b.c") == Self.generalRule("a@b.c"))
    }

    @Test func notificationType_usualValues_comeBackAsTheLoopWouldGiveThem() throws {
        #expect(try APSValues.notificationType("NONE") == "NONE")
        #expect(try APSValues.notificationType("EMAIL") == "EMAIL")
        #expect(try APSValues.notificationType("SMS") == "SMS")
        #expect(try APSValues.notificationType("EMAIL,SMS") == "EMAIL,SMS")
        #expect(try APSValues.notificationType("SMS,EMAIL") == "EMAIL,SMS")
        #expect(try APSValues.notificationType("EMAIL,NONE") == "NONE")
        #expect(throws: APSFailure.self) { try APSValues.notificationType("FAX") }
    }

    /// The check's detail for `text`, nil when accepted.
    static func emailError(_ text: String) -> String? {
        do throws(APSFailure) {
            try APSValues.email(text)
            return nil
        } catch {
            return error.detail
        }
    }

    /// What the rule over characters says of `text` once it passes the field's own check.
    static func generalRule(_ text: String) -> String? {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else {
            return "customer_email: not an e-mail address"
        }
        return nil
    }
}
