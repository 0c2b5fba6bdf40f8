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

/// The hosted payment page over a real socket, driven as a browser with JavaScript off would:
/// GET the page, POST the form with APS's field names, follow the 3-D Secure and OTP steps,
/// and read the self-submitting feedback form.
struct HostedPageTests {
    func path(_ sandbox: Sandbox, _ id: String) throws -> String {
        let link = try #require(sandbox.engine.link(id: id))
        return "/pay/" + link.link.token
    }

    func postForm(_ aps: APSTestClient, _ path: String, _ fields: [(String, String)]) throws -> HTTPTestClient.Response {
        let body = fields.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        return try aps.http.request("POST", path, body: Array(body.utf8), headers: [("Content-Type", "application/x-www-form-urlencoded")])
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
    }

    /// The hidden inputs of a page, HTML entities decoded, in page order.
    static func hiddenFields(_ html: String) -> [(String, String)] {
        let pattern = try! NSRegularExpression(pattern: #"<input type="hidden" name="([^"]*)" value="([^"]*)">"#)
        let range = NSRange(html.startIndex..., in: html)
        return pattern.matches(in: html, range: range).map { match in
            (unescape(String(html[Range(match.range(at: 1), in: html)!])), unescape(String(html[Range(match.range(at: 2), in: html)!])))
        }
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    let goodCard = [("payment_option", "VISA"), ("card_number", "4005550000000001"), ("expiry_date", "3005"),
                    ("card_security_code", "123"), ("card_holder_name", "Test Customer"), ("agree_terms", "yes")]

    @Test func openLink_showsTheInvoiceAndAFormWithAPSFieldNames_andCountsEachOpening() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("page-1", ["order_description": "Invoice 7", "customer_name": "Sara"])
            let page = try aps.http.get(try path(sandbox, id))
            #expect(page.status == 200 && page.header("Content-Type") == "text/html; charset=utf-8")
            for needle in ["1,250.00 SAR", "Invoice 7", "Sara", "CycHZxVj", "2026-02-28 21:00 UTC",
                           #"name="card_number""#, #"name="expiry_date""#, #"name="card_security_code""#, #"name="card_holder_name""#,
                           #"name="agree_terms""#, #"value="STCPAY""#, #"value="VISA_CHECKOUT""#, #"value="MADA""#, #"value="MEEZA""#,
                           #"<html lang="en" dir="ltr">"#] {
                #expect(page.text.contains(needle), "missing \(needle)")
            }
            // No external assets: nothing is fetched from anywhere.
            #expect(!page.text.contains("src=") && !page.text.contains("<link"))
            _ = try aps.http.get(try path(sandbox, id))
            #expect(sandbox.engine.link(id: id)?.link.userAttemptsCount == 2)
            #expect(try aps.check(id: id)["user_attempts_count"] == "2")
        }
    }

    @Test(arguments: [("KWD", "1250500", "1,250.500 KWD"), ("JPY", "125000", "125,000 JPY"), ("BHD", "5", "0.005 BHD")])
    func amounts_useTheCurrencysDecimals(_ currency: String, _ amount: String, _ shown: String) async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("dec-\(currency)", ["currency": .string(currency), "amount": .string(amount)])
            #expect(try aps.http.get(try path(sandbox, id)).text.contains(shown))
        }
    }

    @Test func arabicLinks_areRightToLeftInArabic() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("ar-1", ["language": "ar"])
            let text = try aps.http.get(try path(sandbox, id)).text
            #expect(text.contains(#"<html lang="ar" dir="rtl">"#) && text.contains("إتمام الدفع") && text.contains("رقم البطاقة"))
        }
    }

    @Test func aLinksPaymentOption_limitsTheChoice() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("mada-only", ["payment_option": "MADA"])
            let text = try aps.http.get(try path(sandbox, id)).text
            #expect(text.contains(#"value="MADA" checked"#) && !text.contains(#"value="VISA""#) && !text.contains(#"value="STCPAY""#))
            // A Visa card is not a Mada card.
            var fields = goodCard
            fields[0] = ("payment_option", "MADA")
            let refused = try postForm(aps, try path(sandbox, id), fields)
            #expect(refused.status == 422 && refused.text.contains("does not match"))
            fields[1] = ("card_number", "5297412542005689")
            #expect(try postForm(aps, try path(sandbox, id), fields).status == 200)
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "mada-only")?.paymentOption == "MADA")
        }
    }

    @Test func theTermsBox_mustBeTicked_andBadCardEntriesAreShownWithoutCharging() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("form-errors")
            let page = try path(sandbox, id)
            let unticked = try postForm(aps, page, Array(goodCard.dropLast()))
            #expect(unticked.status == 422 && unticked.text.contains("Accept the terms and conditions"))
            let bad = try postForm(aps, page, [("card_number", "4005 5500 0000 0002"), ("expiry_date", "2512"),
                                               ("card_security_code", "12"), ("card_holder_name", " "), ("agree_terms", "yes")])
            #expect(bad.status == 422)
            for message in ["Enter a valid card number.", "The card has expired.", "security code", "This field is required."] {
                #expect(bad.text.contains(message), "missing \(message)")
            }
            // What was typed stays, except the card number (never shown in full) and the security code.
            #expect(bad.text.contains(#"value="2512""#) && !bad.text.contains("4005 5500") && !bad.text.contains(#"value="12""#))
            let amex = try postForm(aps, page, [("card_number", "345678901234564"), ("expiry_date", "3005"),
                                                ("card_security_code", "123"), ("card_holder_name", "A"), ("agree_terms", "yes")])
            #expect(amex.status == 422 && amex.text.contains("4 digits for American Express"))
            let view = try #require(sandbox.engine.link(id: id))
            #expect(view.state == .open && view.link.failedAttempts.isEmpty)
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "form-errors") == nil)
        }
    }

    @Test func aGoodCard_paysTheLink_andPostsSignedFeedbackToTheReturnURL() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("page-pay", ["return_url": "https://merchant.example/return?x=1&y=2", "customer_name": "Sara"])
            let response = try postForm(aps, try path(sandbox, id), goodCard)
            #expect(response.status == 200)
            #expect(response.text.contains(#"<form id="feedback" method="post" action="https://merchant.example/return?x=1&amp;y=2">"#))
            #expect(response.text.contains("document.getElementById(\"feedback\").submit()"))
            let fields = Self.hiddenFields(response.text)
            let object = JSONObject(fields.map { JSONObject.Member(key: $0.0, value: .string($0.1)) })
            #expect(object["response_code"] == "14000" && object["status"] == "14" && object["command"] == "PURCHASE")
            #expect(object["card_number"] == "400555******0001" && object["expiry_date"] == "3005" && object["eci"] == "ECOMMERCE")
            #expect(object["card_holder_name"] == "Test Customer" && object["payment_link_id"] == .string(id))
            #expect(object["authorization_code"]?.stringValue?.count == 6 && object["fort_id"]?.stringValue?.count == 18)
            let signature = try #require(object["signature"]?.stringValue)
            #expect(signature == Merchant.demo.signer.sign(object, phrase: "response-secret"))
            #expect(sandbox.engine.link(id: id)?.state == .paid)
            // The paid link now shows its state and no form.
            let after = try aps.http.get(try path(sandbox, id))
            #expect(after.status == 200 && after.text.contains("has been paid") && !after.text.contains("<form"))
        }
    }

    @Test func aThreeDSecureCard_goesThroughTheChallenge() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("page-3ds", ["return_url": "https://merchant.example/r", "link_command": "AUTHORIZATION"])
            var fields = goodCard
            fields[1] = ("card_number", "4557012345678902")
            let challenge = try postForm(aps, try path(sandbox, id), fields)
            #expect(challenge.status == 200 && challenge.text.contains("3-D Secure"))
            let verification = try #require(Self.hiddenFields(challenge.text).first { $0.0 == "verification_id" }?.1)
            let failed = try postForm(aps, try path(sandbox, id) + "/3ds", [("verification_id", verification), ("code", "0000")])
            let failedFields = Dictionary(uniqueKeysWithValues: Self.hiddenFields(failed.text))
            #expect(failedFields["status"] == "45" && failedFields["response_code"] == "45030")
            #expect(sandbox.engine.link(id: id)?.state == .open)
            // A verification is answered once.
            let replay = try postForm(aps, try path(sandbox, id) + "/3ds", [("verification_id", verification), ("code", "1234")])
            #expect(replay.status == 400 && replay.text.contains("expired or was already answered"))
            // An id that never existed, or an OTP id sent as a 3-D Secure one, is the same page.
            #expect(try postForm(aps, try path(sandbox, id) + "/3ds", [("verification_id", "3ds-999"), ("code", "1234")]).status == 400)
            #expect(try postForm(aps, try path(sandbox, id) + "/otp", [("verification_id", verification), ("otp", "1234")]).status == 400)

            let again = try postForm(aps, try path(sandbox, id), fields)
            let second = try #require(Self.hiddenFields(again.text).first { $0.0 == "verification_id" }?.1)
            let passed = try postForm(aps, try path(sandbox, id) + "/3ds", [("verification_id", second), ("code", TestCards.passingChallengeCode)])
            let passedFields = Dictionary(uniqueKeysWithValues: Self.hiddenFields(passed.text))
            #expect(passedFields["response_code"] == "02000" && passedFields["command"] == "AUTHORIZATION")
            #expect(sandbox.engine.link(id: id)?.state == .paid)
        }
    }

    @Test func stcPay_asksForAMobileNumberAndAnOTP() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("page-stc")
            let page = try path(sandbox, id)
            let badPhone = try postForm(aps, page, [("payment_option", "STCPAY"), ("phone_number", "12345"), ("agree_terms", "yes")])
            #expect(badPhone.status == 422 && badPhone.text.contains("Saudi mobile number"))
            let otpPage = try postForm(aps, page, [("payment_option", "STCPAY"), ("phone_number", "0501234567"), ("agree_terms", "yes")])
            #expect(otpPage.text.contains("one-time password"))
            let verification = try #require(Self.hiddenFields(otpPage.text).first { $0.0 == "verification_id" }?.1)
            let paid = try postForm(aps, page + "/otp", [("verification_id", verification), ("otp", TestCards.passingWalletOTP)])
            // No return URL anywhere: the page shows the parameters instead of posting them.
            #expect(paid.text.contains("Payment approved.") && paid.text.contains("0501234567"))
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "page-stc")?.payment.phoneNumber == "0501234567")
        }
    }

    @Test func closedExpiredAndUnknownLinks_showNoForm() async throws {
        try await withSandbox { sandbox, aps in
            let closedID = try aps.createLink("page-closed")
            let onPage = try aps.http.get(try path(sandbox, closedID))
            #expect(onPage.text.contains("<form"))
            // The merchant closes the link while the customer is on the page.
            _ = try aps.send(["service_command": "UPDATE_PAYMENT_LINK", "payment_link_id": .string(closedID), "language": "en", "payment_link_status": "Closed"])
            let submitted = try postForm(aps, try path(sandbox, closedID), goodCard)
            #expect(submitted.status == 409 && submitted.text.contains("closed by the merchant") && !submitted.text.contains("<form"))
            #expect(sandbox.engine.link(id: closedID)?.link.userAttemptsCount == 1)

            let expiredID = try aps.createLink("page-expired")
            _ = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 8000000}"#)
            let expired = try aps.http.get(try path(sandbox, expiredID))
            #expect(expired.text.contains("has expired") && !expired.text.contains("<form"))
            #expect(sandbox.engine.link(id: expiredID)?.link.userAttemptsCount == 0)

            let unknown = try aps.http.get("/pay/0000000000000000")
            #expect(unknown.status == 404 && unknown.text.contains("no payment link"))
            #expect(try aps.http.request("DELETE", try path(sandbox, closedID)).status == 405)
        }
    }

    @Test func aDeclinedCard_returnsTheFailureToTheMerchantsRedirectURL() async throws {
        var merchant = Merchant.demo
        merchant.redirectURL = "https://merchant.example/aps-return"
        try await withSandbox(.testing(merchants: [merchant])) { sandbox, aps in
            let id = try aps.createLink("page-declined")
            var fields = goodCard
            fields[1] = ("card_number", "4000000000000028")
            let response = try postForm(aps, try path(sandbox, id), fields)
            #expect(response.text.contains(#"action="https://merchant.example/aps-return""#))
            let feedback = Dictionary(uniqueKeysWithValues: Self.hiddenFields(response.text))
            #expect(feedback["response_code"] == "13029" && feedback["response_message"] == "Insufficient funds")
            #expect(feedback["fort_id"] != nil && feedback["authorization_code"] == nil)
            #expect(sandbox.engine.link(id: id)?.state == .open)
        }
    }
}
