import Foundation
import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// What the server-to-server payment tests share: a sandbox whose demo merchant has feedback
/// URLs (so feedback is queued and can be read) and, when asked, the trusted channel; saved
/// cards put straight into the vault; a request builder; the 3-D Secure page's client side.
enum ServerToServerFixture {
    static let visa = "4005550000000001"
    static let visa3DS = "4557012345678902"
    static let amex = "345678901234564"
    static let declined = "4000000000000028"
    static let uncertain = "4000000000000770"

    static func merchant(trusted: Bool) -> Merchant {
        var merchant = Merchant.demo
        merchant.trustedChannel = trusted
        merchant.notificationURL = "http://127.0.0.1:9/aps/notify"
        return merchant
    }

    static func withSandbox(trusted: Bool = false, _ body: (Sandbox, APSTestClient) async throws -> Void) async throws {
        try await PayLinkSandboxTests.withSandbox(.testing(merchants: [merchant(trusted: trusted), otherMerchant]), body)
    }

    static let otherMerchant = Merchant(identifier: "Other1", accessCode: "otheraccess", requestPhrase: "other-in", responsePhrase: "other-out")

    /// Saves the test card `number` as the token `name` of `merchant`.
    static func saveToken(_ sandbox: Sandbox, _ name: String, card: String, brand: String = "VISA",
                          merchant: String = Merchant.demo.identifier) throws {
        try sandbox.service.state.tokens.add(CardToken(name: name, merchantIdentifier: merchant, maskedCardNumber: TestCards.masked(card),
                                                       brand: brand, expiryDate: "3005", cardHolderName: "Jane Doe",
                                                       createdAt: sandbox.clock.now()))
    }

    /// A PURCHASE (or `command`) with the mandatory fields, then `fields`.
    static func payment(_ reference: String, command: String = "PURCHASE", _ fields: JSONObject = [:]) -> JSONObject {
        var object: JSONObject = ["command": .string(command), "merchant_reference": .string(reference), "amount": "10000",
                                  "currency": "SAR", "language": "en", "customer_email": "jane@example.com"]
        for (key, value) in fields { object[key] = value }
        return object
    }

    /// A payment with a saved card, eci ECOMMERCE (with the customer's address).
    static func tokenPayment(_ reference: String, token: String, command: String = "PURCHASE", _ fields: JSONObject = [:]) -> JSONObject {
        var object = payment(reference, command: command, ["token_name": .string(token), "customer_ip": "192.0.2.10"])
        for (key, value) in fields { object[key] = value }
        return object
    }

    /// A trusted-channel payment with the card's data.
    static func cardPayment(_ reference: String, card: String, code: String = "123", command: String = "PURCHASE",
                            _ fields: JSONObject = [:]) -> JSONObject {
        var object = payment(reference, command: command, [
            "card_number": .string(card), "expiry_date": "3005", "card_security_code": .string(code),
            "card_holder_name": "Jane Doe", "customer_ip": "192.0.2.10",
        ])
        for (key, value) in fields { object[key] = value }
        return object
    }

    /// Whether the answer's signature is the merchant's response signature over the rest.
    static func isSigned(_ reply: APSTestClient.Reply, by merchant: Merchant) -> Bool {
        var unsigned = reply.object
        unsigned["signature"] = nil
        return reply["signature"] == merchant.signer.sign(unsigned, phrase: merchant.responsePhrase)
    }

    /// The path of a `3ds_url` on this sandbox.
    static func path(of url: String) throws -> String {
        let range = try #require(url.range(of: "/FortAPI/"))
        return String(url[range.lowerBound...])
    }

    /// Answers the challenge at `url` with `code` and returns the page (the return form).
    static func answerChallenge(_ aps: APSTestClient, url: String, code: String) throws -> HTTPTestClient.Response {
        let body = "code=" + HostedPageTests.formEncode(code)
        return try aps.http.request("POST", try path(of: url), body: Array(body.utf8), headers: [("Content-Type", "application/x-www-form-urlencoded")])
    }

    /// The hidden fields of a return form, as a JSON object (to check its signature).
    static func returnedParameters(_ page: HTTPTestClient.Response) -> JSONObject {
        JSONObject(HostedPageTests.hiddenFields(page.text).map { JSONObject.Member(key: $0.0, value: .string($0.1)) })
    }
}
