import Foundation
import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS

/// A customer's browser on the hosted checkout, with JavaScript off: it posts the merchant's
/// redirect form to `/FortAPI/paymentPage`, the payment page's form, the 3-D Secure step, and
/// reads the self-submitting form the flow ends with.
struct HostedCheckoutBrowser {
    let aps: APSTestClient

    static let returnURL = "https://shop.example/return?discriminator=4f1c0a"

    /// The merchant's redirect form as the PHP SDK renders it (payfort-php-sdk
    /// `src/FrontEndAdapter/Templates/redirect.html` from `Model/Payment/CCRedirectPurchase.php`):
    /// mandatory fields first, then the optional ones, `return_url` with the SDK's
    /// `?discriminator=` and `signature` last, every value text, signed with the request phrase.
    static func redirectForm(_ reference: String, command: String = "PURCHASE", language: String = "en",
                             _ extra: [(String, String)] = [], returnURL: String? = returnURL,
                             merchant: Merchant = .demo) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("access_code", merchant.accessCode), ("merchant_identifier", merchant.identifier), ("command", command),
            ("merchant_reference", reference), ("amount", "12500"), ("currency", "SAR"), ("language", language),
            ("customer_email", "test@example.com"),
        ]
        fields += extra
        if let returnURL { fields.append(("return_url", returnURL)) }
        return fields
    }

    static func signed(_ fields: [(String, String)], merchant: Merchant = .demo) -> [(String, String)] {
        let object = JSONObject(fields.map { JSONObject.Member(key: $0.0, value: .string($0.1)) })
        return fields + [("signature", merchant.signer.sign(object, phrase: merchant.requestPhrase))]
    }

    func post(_ path: String, _ fields: [(String, String)]) throws -> HTTPTestClient.Response {
        let body = fields.map { "\(HostedPageTests.formEncode($0.0))=\(HostedPageTests.formEncode($0.1))" }.joined(separator: "&")
        return try aps.http.request("POST", path, body: Array(body.utf8), headers: [("Content-Type", "application/x-www-form-urlencoded")])
    }

    /// Posts the signed redirect form.
    func start(_ fields: [(String, String)], sign: Bool = true) throws -> HTTPTestClient.Response {
        try post("/FortAPI/paymentPage", sign ? Self.signed(fields) : fields)
    }

    /// Where a page's form posts.
    static func action(_ html: String) throws -> String {
        let pattern = try NSRegularExpression(pattern: #"<form[^>]* action="([^"]*)""#)
        let match = try #require(pattern.firstMatch(in: html, range: NSRange(html.startIndex..., in: html)))
        return HostedPageTests.unescape(String(html[Range(match.range(at: 1), in: html)!]))
    }

    /// The parameters of the form posted to the return URL (or listed without one).
    static func returned(_ html: String) -> JSONObject {
        JSONObject(HostedPageTests.hiddenFields(html).map { JSONObject.Member(key: $0.0, value: .string($0.1)) })
    }

    static func signatureIsValid(_ object: JSONObject, merchant: Merchant = .demo) -> Bool {
        object["signature"]?.stringValue == merchant.signer.sign(object, phrase: merchant.responsePhrase)
    }

    static let card = [("payment_option", "VISA"), ("card_number", "4005550000000001"), ("expiry_date", "3005"),
                       ("card_security_code", "123"), ("card_holder_name", "Test Customer"), ("agree_terms", "yes")]

    /// The card fields with another number (its scheme picked from the number).
    static func card(_ number: String) -> [(String, String)] {
        [("card_number", number), ("expiry_date", "3005"), ("card_security_code", number.count == 15 ? "1234" : "123"),
         ("card_holder_name", "Test Customer"), ("agree_terms", "yes")]
    }

    /// Starts a checkout and pays it with `card`; returns the last page.
    func pay(_ start: [(String, String)], card: [(String, String)] = Self.card) throws -> HTTPTestClient.Response {
        let page = try self.start(start)
        guard page.status == 200 else { throw HTTPTestClient.ClientError(description: "start answered \(page.status): \(page.text)") }
        return try post(try Self.action(page.text), card)
    }
}

/// A sandbox whose demo merchant sends Direct Transaction Feedback to a receiver of the test's
/// own; background work waits for `settle`.
func withCheckoutSandbox(redirectURL: String? = nil,
                         _ body: (Sandbox, HostedCheckoutBrowser, ScenarioReceiver) async throws -> Void) async throws {
    let server = try FeedbackReceiverServer()
    defer { server.stop() }
    var merchant = Merchant.demo
    merchant.directFeedbackURL = "http://127.0.0.1:\(server.port)/aps/direct"
    merchant.notificationURL = "http://127.0.0.1:\(server.port)/aps/notify"
    merchant.redirectURL = redirectURL
    var config = SandboxConfiguration.testing(merchants: [merchant])
    config.backgroundWork = .manual
    try await withSandbox(config) { sandbox, aps in try await body(sandbox, HostedCheckoutBrowser(aps: aps), server.receiver) }
}
