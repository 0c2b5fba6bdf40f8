import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// The endpoint verifies the omit-empty signature from the members it echoes; each empty-value
/// policy must still accept and refuse exactly what `APSSigner.verify` does.
struct APSEmptyValuePolicyTests {
    /// A status check with an empty `language`, signed with `name=` for empties or without.
    static func request(includeEmpty: Bool) -> [UInt8] {
        var params: JSONObject = [
            "query_command": "CHECK_PAYMENT_LINK_STATUS", "access_code": .string(Merchant.demo.accessCode),
            "merchant_identifier": .string(Merchant.demo.identifier), "merchant_reference": "no-such-order",
            "language": "",
        ]
        params["signature"] = .string(Merchant.demo.signer.sign(params, phrase: Merchant.demo.requestPhrase, includeEmpty: includeEmpty))
        return params.serialized()
    }

    static func responseCode(_ policy: EmptyValuePolicy, includeEmpty: Bool) throws -> String? {
        var config = SandboxConfiguration.testing()
        config.emptyValueSignatures = policy
        let service = SandboxService(configuration: config)
        let response = service.handleInline(HTTPRequest(method: "POST", target: "/FortAPI/paymentApi", version: .http1_1,
                                                  headers: ["Content-Type": "application/json"], body: request(includeEmpty: includeEmpty)))
        let body = try JSONParser.parse(response.body).objectValue
        return body?["response_code"]?.stringValue
    }

    @Test func eachPolicy_acceptsAndRefusesAsTheSignerDoes() throws {
        // Accepted signatures get as far as the link lookup (11149, no such link); refused ones are 00008.
        let cases: [(EmptyValuePolicy, Bool, String)] = [
            (.either, false, "11149"), (.either, true, "11149"),
            (.omit, false, "11149"), (.omit, true, "00008"),
            (.include, false, "00008"), (.include, true, "11149"),
        ]
        for (policy, includeEmpty, expected) in cases {
            let code = try Self.responseCode(policy, includeEmpty: includeEmpty)
            #expect(code == expected, "\(policy) includeEmpty \(includeEmpty)")
        }
    }
}
