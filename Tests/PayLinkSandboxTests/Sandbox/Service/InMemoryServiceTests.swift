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

/// `SandboxService` answers requests without a socket, exactly as the server would.
struct InMemoryServiceTests {
    @Test func serviceAnswersAPSRequests_inMemory() throws {
        let service = SandboxService(configuration: .testing())
        var params = APSTestClient.paymentLink("mem-1")
        params["access_code"] = .string(Merchant.demo.accessCode)
        params["merchant_identifier"] = .string(Merchant.demo.identifier)
        params["signature"] = .string(Merchant.demo.signer.sign(params, phrase: Merchant.demo.requestPhrase))
        let response = service.handleInline(HTTPRequest(method: "POST", target: "/FortAPI/paymentApi", version: .http1_1,
                                                  headers: ["Content-Type": "application/json"], body: params.serialized()))
        #expect(response.status == 200)
        let body = try #require(try JSONParser.parse(response.body).objectValue)
        #expect(body["response_code"] == "48000")
        #expect(service.engine.links().count == 1)
    }
}
