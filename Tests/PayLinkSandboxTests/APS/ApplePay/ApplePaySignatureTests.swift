import Foundation
import PayLinkCore
import PayLinkCrypto
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// The signature rule for the nested objects: `apple_header={k1=v1, k2=v2}`, inner pairs in
/// the order received (not sorted), ", " between them, and the top-level names in byte order
/// (`apple_paymentMethod` sorts before `apple_signature`), as the official PHP SDK's
/// `APSSignature::getAppleShaString` and the WooCommerce plugin build it.
struct ApplePaySignatureTests {
    typealias F = ApplePayFixture

    /// Computed apart from the sandbox, in Python:
    /// ```
    /// python3 -c 'import hashlib; print(hashlib.sha256(open("s","rb").read()).hexdigest())'
    /// ```
    /// over `vectorString` (no newline).
    static let vectorString = "apple-in" + "access_code=ApplePayCode1" + "amount=10000" + "apple_data=c2FuZGJveC1hcHBsZS1wYXktdG9rZW4="
        + "apple_header={apple_transactionId=a1b2c3d4e5f6, apple_publicKeyHash=cHViS2V5SGFzaA==, apple_ephemeralPublicKey=ZXBoZW1lcmFsS2V5}"
        + "apple_paymentMethod={apple_displayName=Visa 0492, apple_network=Visa, apple_type=debit}"
        + "apple_signature=c2lnbmF0dXJl" + "command=PURCHASE" + "currency=SAR" + "customer_email=jane@example.com"
        + "customer_ip=192.0.2.10" + "digital_wallet=APPLE_PAY" + "language=en" + "merchant_identifier=CycHZxVj"
        + "merchant_reference=ap-vector" + "apple-in"
    static let vector = "1aae9cb61a9d8272340c2820402f2da0726b7034ad8b3cf1598eff1f818ba113"

    static var vectorRequest: JSONObject {
        var request = F.payment("ap-vector")
        request["access_code"] = .string(F.credentials.accessCode)
        request["merchant_identifier"] = .string(Merchant.demo.identifier)
        return request
    }

    @Test func theVector_isWhatTheHashOfTheStringGives() {
        #expect(SHA256.hash(Array(Self.vectorString.utf8)).hexString == Self.vector)
    }

    @Test func theSigner_buildsTheVectorsString_fromTheRequest() {
        #expect(CanonicalString.string(for: Self.vectorRequest, phrase: "apple-in", includeEmpty: false) == Self.vectorString)
        #expect(F.account.signer.sign(Self.vectorRequest, phrase: "apple-in") == Self.vector)
    }

    @Test func aRequestSignedWithTheVector_isAccepted_andTheInnerOrderMatters() async throws {
        try await F.withSandbox { _, apple, _ in
            var request = Self.vectorRequest
            request["signature"] = .string(Self.vector)
            let reply = try apple.send(request, addCredentials: false)
            #expect(reply.code == "14000", "\(reply.object) \(reply.detail ?? "")")

            // The same members, the header's sorted: another string, so the vector no longer matches.
            var sorted = Self.vectorRequest
            sorted["merchant_reference"] = "ap-vector-2"
            sorted["apple_header"] = ["apple_ephemeralPublicKey": "ZXBoZW1lcmFsS2V5", "apple_publicKeyHash": "cHViS2V5SGFzaA==", "apple_transactionId": "a1b2c3d4e5f6"]
            let vectorForSorted = SHA256.hash(Array(Self.vectorString.replacingOccurrences(of: "ap-vector", with: "ap-vector-2").utf8)).hexString
            sorted["signature"] = .string(vectorForSorted)
            let refused = try apple.send(sorted, addCredentials: false)
            #expect(refused.code == "00008", "\(refused.object)")
            #expect(refused.detail?.contains("apple_header={apple_ephemeralPublicKey=ZXBoZW1lcmFsS2V5, apple_publicKeyHash=") == true, "\(refused.detail ?? "")")
        }
    }

    @Test func theAnswersSignature_coversTheEchoedObjects_byTheSameRule() async throws {
        try await F.withSandbox { _, apple, _ in
            let reply = try apple.send(F.payment("ap-sig"))
            // Rebuilt by hand from the answer's members: the objects rendered as sent.
            let pairs = reply.object.members.filter { $0.key != "signature" }.map { member -> (String, String) in
                switch member.value {
                case .object(let inner): (member.key, "{" + inner.members.map { "\($0.key)=\($0.value.stringValue ?? "")" }.joined(separator: ", ") + "}")
                default: (member.key, member.value.stringValue ?? "")
                }
            }.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            let string = "apple-out" + pairs.map { "\($0.0)=\($0.1)" }.joined() + "apple-out"
            #expect(string.contains("apple_paymentMethod={apple_displayName=Visa 0492, apple_network=Visa, apple_type=debit}apple_signature="))
            #expect(reply["signature"] == SHA256.hash(Array(string.utf8)).hexString, "\(string)")
        }
    }
}
