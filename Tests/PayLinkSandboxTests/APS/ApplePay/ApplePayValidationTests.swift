import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// The Apple Pay structures: each member required, each of the right type, the refusal naming
/// it; nothing is charged.
struct ApplePayValidationTests {
    typealias F = ApplePayFixture

    static let refused: [(String, JSONObject, String, String)] = [
        ("no header", ["apple_header": .null], "00001", "apple_header"),
        ("header a string", ["apple_header": "a1b2c3"], "00002", "apple_header"),
        ("no transaction id", ["apple_header": ["apple_publicKeyHash": "cHVi", "apple_ephemeralPublicKey": "ZXBo"]], "00001", "apple_header.apple_transactionId"),
        ("empty key hash", ["apple_header": ["apple_transactionId": "t1", "apple_publicKeyHash": "", "apple_ephemeralPublicKey": "ZXBo"]], "00001", "apple_header.apple_publicKeyHash"),
        ("number in header", ["apple_header": ["apple_transactionId": 12, "apple_publicKeyHash": "cHVi", "apple_ephemeralPublicKey": "ZXBo"]], "00002", "apple_header.apple_transactionId"),
        ("no payment method", ["apple_paymentMethod": .null], "00001", "apple_paymentMethod"),
        ("payment method a list", ["apple_paymentMethod": ["Visa 0492"]], "00002", "apple_paymentMethod"),
        ("no display name", ["apple_paymentMethod": ["apple_network": "Visa", "apple_type": "debit"]], "00001", "apple_paymentMethod.apple_displayName"),
        ("no type", ["apple_paymentMethod": ["apple_displayName": "Visa 0492", "apple_network": "Visa"]], "00001", "apple_paymentMethod.apple_type"),
        ("unknown network", ["apple_paymentMethod": ["apple_displayName": "Discover 1117", "apple_network": "Discover", "apple_type": "credit"]], "00002", "apple_paymentMethod.apple_network"),
        ("no apple_data", ["apple_data": .null], "00001", "apple_data"),
        ("apple_data an object", ["apple_data": ["data": "x"]], "00002", "apple_data"),
        ("no apple_signature", ["apple_signature": ""], "00001", "apple_signature"),
        ("no customer_ip", ["customer_ip": .null], "00001", "customer_ip"),
        ("bad customer_ip", ["customer_ip": "not-an-ip"], "00002", "customer_ip"),
        ("eci MOTO", ["eci": "MOTO"], "00113", "eci"),
        ("no customer_email", ["customer_email": .null], "00001", "customer_email"),
    ]

    @Test(arguments: refused.indices)
    func aBadRequest_isRefused_namingTheField(_ index: Int) async throws {
        let (name, change, code, field) = Self.refused[index]
        try await F.withSandbox { sandbox, apple, _ in
            var request = F.payment("ap-v\(index)")
            for (key, value) in change {
                if case .null = value { request[key] = nil } else { request[key] = value }
            }
            let reply = try apple.send(request)
            #expect(reply.code == code && reply.detail?.contains(field) == true, "\(name): \(reply.object) \(reply.detail ?? "")")
            #expect(F.isSigned(reply, by: F.account), "\(name)")
            #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "ap-v\(index)") == nil, "\(name)")
        }
    }

    @Test func extraHeaderMembers_asTheWooCommercePluginCopiesThem_areEchoedAndSigned() async throws {
        try await F.withSandbox { _, apple, _ in
            let header: JSONValue = ["apple_ephemeralPublicKey": "ZXBo", "apple_publicKeyHash": "cHVi", "apple_transactionId": "t9",
                                     "apple_applicationData": "YXBw"]
            let reply = try apple.send(F.payment("ap-woo", ["apple_header": header]))
            #expect(reply.code == "14000" && reply.object["apple_header"] == header, "\(reply.object)")
            #expect(F.isSigned(reply, by: F.account))
        }
    }
}
