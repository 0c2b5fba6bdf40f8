import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// Request faults armed through `POST /__sandbox/faults`: what they do to the response, what
/// they leave of the state, and how they count.
struct FaultTests {
    func arm(_ aps: APSTestClient, _ json: String) throws -> HTTPTestClient.Response {
        try aps.http.post("/__sandbox/faults", json: json)
    }

    @Test func faults_areArmedListedAndDisarmed_andBadOnesAreRefusedNamingTheField() async throws {
        try await withSandbox { _, aps in
            #expect(try arm(aps, #"{"type":"earthquake"}"#).text.contains("\"field\":\"type\""))
            #expect(try arm(aps, #"{"type":"delay"}"#).text.contains("\"field\":\"milliseconds\""))
            #expect(try arm(aps, #"{"faults":[{"type":"malformed_json"},{"type":"http_status","status":99}]}"#).text.contains("faults[1].status"))
            #expect(try arm(aps, #"{"type":"wrong_signature","match":{"colour":"red"}}"#).status == 400)
            #expect(try aps.http.get("/__sandbox/faults").text.contains("\"count\":0"))
            let armed = try arm(aps, #"{"faults":[{"type":"malformed_json","times":2},{"type":"delay","milliseconds":10,"times":null}]}"#)
            #expect(armed.status == 201 && armed.text.contains(#""armed":["fault-1","fault-2"]"#))
            let listed = try aps.http.get("/__sandbox/faults").text
            #expect(listed.contains(#""remaining":2"#) && listed.contains(#""remaining":null"#))
            #expect(try aps.http.request("DELETE", "/__sandbox/faults/fault-1").text.contains("\"count\":1"))
            #expect(try aps.http.request("DELETE", "/__sandbox/faults/fault-9").status == 404)
            #expect(try aps.http.request("DELETE", "/__sandbox/faults").text.contains("\"count\":0"))
        }
    }

    @Test func aForcedResponseCode_isSignedAndChangesNothing_thenTheRetrySucceeds() async throws {
        try await withSandbox { sandbox, aps in
            _ = try arm(aps, #"{"type":"response_code","response_code":"00006","match":{"command":"PAYMENT_LINK"}}"#)
            _ = try aps.check(id: "100000000000000001")  // another command: not matched
            let forced = try aps.send(APSTestClient.paymentLink("f-1"))
            #expect(forced.code == "00006" && forced["status"] == "00" && forced["merchant_reference"] == "f-1")
            #expect(forced["signature"] == aps.merchant.signer.sign(forced.object, phrase: aps.merchant.responsePhrase))
            #expect(sandbox.engine.links().isEmpty)
            #expect(try aps.send(APSTestClient.paymentLink("f-1")).code == "48000")
            let journal = try aps.http.get("/__sandbox/journal?command=PAYMENT_LINK").text
            #expect(journal.contains(#""fault":"response_code 00006""#))
        }
    }

    /// A forced APS code means nothing to a PayByLink client, a hosted page or the dashboard:
    /// they pass it by, and it is still there for the next APS request.
    @Test func apsOnlyFaults_passOtherTrafficBy_withoutBeingUsedUp() async throws {
        try await withSandbox { sandbox, aps in
            _ = try arm(aps, #"{"type":"response_code","response_code":"00006"}"#)
            let id = try sandbox.engine.createLink(LinkTerms(merchantIdentifier: Merchant.demo.identifier, merchantReference: "pass-1", amount: 100,
                                                             currency: "SAR", customerEmail: "a@example.com",
                                                             expiry: SandboxInstant(secondsSince1970: 1_900_000_000))).link
            let page = try aps.http.get("/pay/\(id.token)")
            #expect(page.status == 200 && !page.text.contains("00006"))
            #expect(try aps.http.get("/dashboard").status == 200)
            #expect(try aps.check(id: id.id).code == "00006")
            #expect(try aps.check(id: id.id).code == "12000")
            // No fault applies to the dashboard: a page view does not use up the next one.
            _ = try arm(aps, #"{"type":"http_status","status":503}"#)
            #expect(try aps.http.get("/dashboard").status == 200)
            #expect(try aps.http.post("/FortAPI/paymentApi", json: "{}").status == 503)
        }
    }

    @Test func anHTTPStatusFault_answersInsteadOfTheSandbox() async throws {
        try await withSandbox { sandbox, aps in
            _ = try arm(aps, #"{"type":"http_status","status":503,"body":"Service Unavailable","match":{"dialect":"aps"}}"#)
            let response = try aps.http.post("/FortAPI/paymentApi", json: "{}")
            #expect(response.status == 503 && response.text == "Service Unavailable")
            #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(sandbox.engine.links().isEmpty)
        }
    }

    @Test func damagedResponses_stillChangeTheState() async throws {
        try await withSandbox { sandbox, aps in
            _ = try arm(aps, #"{"type":"wrong_signature"}"#)
            let signed = try aps.send(APSTestClient.paymentLink("f-sig"))
            #expect(signed.code == "48000")
            #expect(signed["signature"] != aps.merchant.signer.sign(signed.object, phrase: aps.merchant.responsePhrase))
            _ = try arm(aps, #"{"type":"malformed_json"}"#)
            var params = APSTestClient.paymentLink("f-json")
            params["access_code"] = .string(aps.merchant.accessCode)
            params["merchant_identifier"] = .string(aps.merchant.identifier)
            params["signature"] = .string(aps.merchant.signer.sign(params, phrase: aps.merchant.requestPhrase))
            let broken = try aps.http.post("/FortAPI/paymentApi", json: String(decoding: params.serialized(), as: UTF8.self))
            #expect(broken.status == 200)
            #expect((try? JSONParser.parse(broken.body)) == nil)
            #expect(sandbox.engine.links().count == 2)
        }
    }

    @Test func aSeededProbability_hitsTheSameRequestsEveryRun() async throws {
        func pattern() async throws -> [Bool] {
            var hits: [Bool] = []
            try await withSandbox { _, aps in
                _ = try arm(aps, #"{"type":"http_status","status":502,"probability":0.5,"seed":42}"#)
                for _ in 0..<24 { hits.append(try aps.http.get("/nowhere").status == 502) }
            }
            return hits
        }
        let first = try await pattern(), second = try await pattern()
        #expect(first == second)
        #expect(first.contains(true) && first.contains(false))
    }

    @Test func aFaultForTheNextTwoMatches_hitsExactlyTwo() async throws {
        try await withSandbox { _, aps in
            _ = try arm(aps, #"{"type":"http_status","status":500,"times":2,"match":{"path":"/pay/"}}"#)
            let statuses = try (0..<4).map { _ in try aps.http.get("/pay/0000000000000000").status }
            #expect(statuses == [500, 500, 404, 404])
        }
    }

    @Test func aFaultMatchedByLink_hitsThatLinksHostedPage_only() async throws {
        try await withSandbox { sandbox, aps in
            let target = try aps.createLink("f-page-1"), other = try aps.createLink("f-page-2")
            _ = try arm(aps, #"{"type":"http_status","status":502,"times":null,"match":{"dialect":"hosted_page","payment_link_id":"\#(target)"}}"#)
            let targetToken = try #require(sandbox.engine.link(id: target)).link.token
            let otherToken = try #require(sandbox.engine.link(id: other)).link.token
            #expect(try aps.http.get("/pay/\(targetToken)").status == 502)
            #expect(try aps.http.get("/pay/\(otherToken)").status == 200)
            _ = try arm(aps, #"{"type":"http_status","status":503,"match":{"merchant_reference":"f-page-2"}}"#)
            #expect(try aps.http.get("/pay/\(otherToken)").status == 503)
        }
    }
}
