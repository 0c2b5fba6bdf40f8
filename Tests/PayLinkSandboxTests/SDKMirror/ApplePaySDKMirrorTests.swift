import PayLinkCore
import PayLinkCrypto
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// Apple Pay payments exactly as the official SDKs and the WooCommerce plugin send them, each
/// signed here by its own rule (not the sandbox's signer) and each answer checked the way that
/// client checks it:
/// - PHP SDK, src/FrontEndAdapter/Maintenance/PaymentApplePayAps.php (`transformInputDataIntoPaymentData`:
///   header members in the order transactionId, publicKeyHash, ephemeralPublicKey) and
///   src/AmazonPaymentServices/Model/Payment/ApplePayAuthorization.php (field order, `amount` an
///   int), signed by src/AmazonPaymentServices/Core/APSSignature.php (`ksort`, `getAppleShaString`,
///   the `Apple_SHARequestPhrase` because `apple_header` is present), answer checked by
///   `APSValidator::isResponseValid` with the `Apple_SHAResponsePhrase`;
/// - .NET SDK, APS/APS.DotNetSDK/Commands/Requests/ApplePay/ApplePayPurchaseRequestCommand.cs with
///   APS/APS.DotNetSDK/Commands/ApplePayHeader.cs (members in declaration order: ephemeralPublicKey,
///   publicKeyHash, transactionId) and the `ApplePayConfiguration` access code and phrases;
/// - WooCommerce plugin, lib/class-aps-payment.php `init_apple_pay_payment` (Apple's own header
///   keys prefixed `apple_`, amount a string) signed by lib/class-aps-helper.php `generate_signature`.
/// (The Java SDK has no Apple Pay.)
struct ApplePaySDKMirrorTests {
    typealias F = ApplePayFixture

    /// A field: text, a JSON number, or an object of strings in the client's order.
    enum Field {
        case text(String)
        case number(Int)
        case object([(String, String)])

        var json: String {
            switch self {
            case .text(let value): JSONValue.string(value).serialized().utf8String
            case .number(let value): String(value)
            case .object(let members):
                "{" + members.map { "\(JSONValue.string($0.0).serialized().utf8String):\(JSONValue.string($0.1).serialized().utf8String)" }.joined(separator: ",") + "}"
            }
        }

        /// As PHP's `getAppleShaString`, the WooCommerce helper and the .NET provider render it.
        var signed: String {
            switch self {
            case .text(let value): value
            case .number(let value): String(value)
            case .object(let members): "{" + members.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + "}"
            }
        }
    }

    static func body(_ fields: [(String, Field)]) -> String {
        "{" + fields.map { "\(JSONValue.string($0.0).serialized().utf8String):\($0.1.json)" }.joined(separator: ",") + "}"
    }

    /// SHA-256, phrase + pairs sorted by name in byte order + phrase, lowercase hex.
    static func sha256(_ fields: [(String, String)], phrase: String) -> String {
        let pairs = fields.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }.map { "\($0.0)=\($0.1)" }.joined()
        return SHA256.hash(Array((phrase + pairs + phrase).utf8)).hexString
    }

    static func signed(_ fields: [(String, Field)], phrase: String) -> String {
        let signature = sha256(fields.map { ($0.0, $0.1.signed) }, phrase: phrase)
        return body(fields + [("signature", .text(signature))])
    }

    /// `APSValidator::isResponseValid` for an Apple Pay answer: the Apple Pay response phrase
    /// (the answer echoes `apple_header`), the objects as `getAppleShaString` renders the
    /// decoded arrays, in the order of the answer.
    static func phpAppleResponseValid(_ answer: JSONObject, phrase: String) -> Bool {
        var fields: [(String, String)] = []
        for (name, value) in answer where name != "signature" && name != "discriminator" {
            switch value {
            case .object(let inner): fields.append((name, "{" + inner.members.map { "\($0.key)=\($0.value.stringValue ?? "")" }.joined(separator: ", ") + "}"))
            default: fields.append((name, SDKRequestStyle.phpString(value)))
            }
        }
        return answer["signature"]?.stringValue == sha256(fields, phrase: phrase)
    }

    static let data = "eyJ2ZXJzaW9uIjoiRUNfdjEiLCJkYXRhIjoic2FuZGJveCJ9"

    func php(_ reference: String, accessCode: String, command: String = "PURCHASE", displayName: String = "Visa 0492") -> [(String, Field)] {
        [("access_code", .text(accessCode)), ("merchant_identifier", .text(Merchant.demo.identifier)),
         ("digital_wallet", .text("APPLE_PAY")), ("command", .text(command)), ("merchant_reference", .text(reference)),
         ("amount", .number(10000)), ("currency", .text("SAR")), ("language", .text("en")), ("customer_email", .text("jane@example.com")),
         ("apple_data", .text(Self.data)), ("apple_signature", .text("MIAGCSqGSIb3DQEHAqCAMIACAQEx")),
         ("apple_header", .object([("apple_transactionId", "5e6f7a8b"), ("apple_publicKeyHash", "cHViS2V5SGFzaA=="),
                                   ("apple_ephemeralPublicKey", "MFkwEwYHKoZIzj0CAQ==")])),
         ("apple_paymentMethod", .object([("apple_displayName", displayName), ("apple_network", "Visa"), ("apple_type", "debit")])),
         ("customer_ip", .text("192.0.2.10"))]
    }

    @Test func phpSDK_withTheApplePayAccessCode_answers14000_andPassesItsSignatureCheck() async throws {
        try await F.withSandbox { _, apple, _ in
            let reply = try apple.sendRaw(Self.signed(php("php-ap-1", accessCode: F.credentials.accessCode), phrase: F.credentials.requestPhrase))
            #expect(reply.code == "14000" && reply["amount"] == "10000", "\(reply.object) \(reply.detail ?? "")")
            #expect(reply.object["apple_header"]?.objectValue?.members.map(\.key) == ["apple_transactionId", "apple_publicKeyHash", "apple_ephemeralPublicKey"])
            #expect(Self.phpAppleResponseValid(reply.object, phrase: F.credentials.responsePhrase))
            let declined = try apple.sendRaw(Self.signed(php("php-ap-2", accessCode: F.credentials.accessCode, command: "AUTHORIZATION",
                                                             displayName: "Visa 0028"), phrase: F.credentials.requestPhrase))
            #expect(declined.code == "03029" && Self.phpAppleResponseValid(declined.object, phrase: F.credentials.responsePhrase), "\(declined.object)")
        }
    }

    /// The PHP SDK puts its `access_code` setting in every request, the ordinary one unless the
    /// merchant sets it to `Apple_AccessCode` for the call, and signs with the Apple Pay phrase:
    /// the payment goes through, answered with the Apple Pay phrase the SDK checks it with.
    @Test func phpSDK_withItsOrdinaryAccessCode_isPaid_inAnAnswerItCanRead() async throws {
        try await F.withSandbox { sandbox, apple, _ in
            let reply = try apple.sendRaw(Self.signed(php("php-ap-3", accessCode: Merchant.demo.accessCode), phrase: F.credentials.requestPhrase))
            #expect(reply.code == "14000", "\(reply.object)")
            #expect(Self.phpAppleResponseValid(reply.object, phrase: F.credentials.responsePhrase))
            #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "php-ap-3")?.status == .approved)
        }
    }

    @Test func dotNetSDK_purchase_answers14000_signedByItsNestedRule() async throws {
        try await F.withSandbox { _, apple, _ in
            let fields: [(String, Field)] = [
                ("command", .text("PURCHASE")), ("access_code", .text(F.credentials.accessCode)),
                ("merchant_identifier", .text(Merchant.demo.identifier)), ("merchant_reference", .text("net-ap-1")),
                ("amount", .text("10000")), ("currency", .text("SAR")), ("language", .text("en")),
                ("customer_email", .text("jane@example.com")), ("customer_ip", .text("192.0.2.10")),
                ("apple_data", .text(Self.data)),
                ("apple_header", .object([("apple_ephemeralPublicKey", "MFkwEwYHKoZIzj0CAQ=="), ("apple_publicKeyHash", "cHViS2V5SGFzaA=="),
                                          ("apple_transactionId", "9a8b7c6d")])),
                ("apple_paymentMethod", .object([("apple_displayName", "MasterCard 4444"), ("apple_network", "MasterCard"), ("apple_type", "credit")])),
                ("apple_signature", .text("MIAGCSqGSIb3DQEHAqCAMIACAQEx")), ("digital_wallet", .text("APPLE_PAY")),
            ]
            let reply = try apple.sendRaw(Self.signed(fields, phrase: F.credentials.requestPhrase))
            #expect(reply.code == "14000" && reply["payment_option"] == "MASTERCARD", "\(reply.object) \(reply.detail ?? "")")
            #expect(Self.phpAppleResponseValid(reply.object, phrase: F.credentials.responsePhrase))
        }
    }

    @Test func wooCommercePlugin_purchase_answers14000_andItsFeedbackIsCheckedWithTheApplePayPhrase() async throws {
        try await F.withSandbox { sandbox, apple, _ in
            let fields: [(String, Field)] = [
                ("digital_wallet", .text("APPLE_PAY")), ("command", .text("PURCHASE")), ("merchant_identifier", .text(Merchant.demo.identifier)),
                ("access_code", .text(F.credentials.accessCode)), ("merchant_reference", .text("woo-ap-1")), ("language", .text("en")),
                ("amount", .text("10000")), ("currency", .text("SAR")), ("customer_email", .text("jane@example.com")),
                ("apple_data", .text(Self.data)), ("apple_signature", .text("MIAGCSqGSIb3DQEHAqCAMIACAQEx")), ("customer_ip", .text("192.0.2.10")),
                ("apple_header", .object([("apple_ephemeralPublicKey", "MFkwEwYHKoZIzj0CAQ=="), ("apple_publicKeyHash", "cHViS2V5SGFzaA=="),
                                          ("apple_transactionId", "1f2e3d4c")])),
                ("apple_paymentMethod", .object([("apple_displayName", "mada 1234"), ("apple_network", "mada"), ("apple_type", "debit")])),
            ]
            let reply = try apple.sendRaw(Self.signed(fields, phrase: F.credentials.requestPhrase))
            #expect(reply.code == "14000" && reply["payment_option"] == "MADA", "\(reply.object) \(reply.detail ?? "")")
            // The plugin's webhook handler: digital_wallet APPLE_PAY → the Apple Pay response phrase.
            let feedback = try #require(F.feedback(sandbox, reference: "woo-ap-1").first)
            let pairs = feedback.members.filter { $0.key != "signature" }.map { ($0.key, $0.value.stringValue ?? "") }
            #expect(feedback["signature"]?.stringValue == Self.sha256(pairs, phrase: F.credentials.responsePhrase))
        }
    }
}
