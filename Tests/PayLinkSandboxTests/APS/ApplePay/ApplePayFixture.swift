import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// What the Apple Pay tests share: the demo merchant with Apple Pay credentials and feedback
/// URLs, a merchant without them, a client signing with the Apple Pay set, and a request
/// shaped as the official PHP SDK sends it (`PaymentApplePayAps`: header members in the order
/// transactionId, publicKeyHash, ephemeralPublicKey).
enum ApplePayFixture {
    static let credentials = ApplePayCredentials(accessCode: "ApplePayCode1", shaType: .sha256, requestPhrase: "apple-in", responsePhrase: "apple-out")

    static var merchant: Merchant {
        var merchant = Merchant.demo
        merchant.applePay = credentials
        merchant.notificationURL = "http://127.0.0.1:9/aps/notify"
        return merchant
    }

    /// The demo merchant as its Apple Pay credentials make it.
    static var account: Merchant { merchant.applePayAccount! }

    static let withoutApplePay = Merchant(identifier: "NoApple1", accessCode: "noapplecode", requestPhrase: "plain-in", responsePhrase: "plain-out")

    static func withSandbox(_ body: (Sandbox, APSTestClient, APSTestClient) async throws -> Void) async throws {
        try await PayLinkSandboxTests.withSandbox(.testing(merchants: [merchant, withoutApplePay])) { sandbox, ordinary in
            try await body(sandbox, APSTestClient(http: ordinary.http, merchant: account), ordinary)
        }
    }

    static func header(transactionID: String = "a1b2c3d4e5f6") -> JSONValue {
        .object(["apple_transactionId": .string(transactionID), "apple_publicKeyHash": "cHViS2V5SGFzaA==",
                 "apple_ephemeralPublicKey": "ZXBoZW1lcmFsS2V5"])
    }

    static func paymentMethod(displayName: String = "Visa 0492", network: String = "Visa", type: String = "debit") -> JSONValue {
        .object(["apple_displayName": .string(displayName), "apple_network": .string(network), "apple_type": .string(type)])
    }

    /// An Apple Pay PURCHASE (or `command`) with every required field; `displayName` picks the outcome.
    static func payment(_ reference: String, command: String = "PURCHASE", displayName: String = "Visa 0492",
                        network: String = "Visa", _ fields: JSONObject = [:]) -> JSONObject {
        var object: JSONObject = [
            "digital_wallet": "APPLE_PAY", "command": .string(command), "merchant_reference": .string(reference),
            "amount": "10000", "currency": "SAR", "language": "en", "customer_email": "jane@example.com",
            "apple_data": "c2FuZGJveC1hcHBsZS1wYXktdG9rZW4=", "apple_signature": "c2lnbmF0dXJl",
            "apple_header": header(), "apple_paymentMethod": paymentMethod(displayName: displayName, network: network),
            "customer_ip": "192.0.2.10",
        ]
        for (key, value) in fields { object[key] = value }
        return object
    }

    /// Whether the answer's signature is `merchant`'s response signature over the rest.
    static func isSigned(_ reply: APSTestClient.Reply, by merchant: Merchant) -> Bool {
        ServerToServerFixture.isSigned(reply, by: merchant)
    }

    static func feedback(_ sandbox: Sandbox, reference: String) -> [JSONObject] {
        sandbox.service.deliveries.deliveries().map(\.payload).filter { $0["merchant_reference"]?.stringValue == reference }
    }
}
