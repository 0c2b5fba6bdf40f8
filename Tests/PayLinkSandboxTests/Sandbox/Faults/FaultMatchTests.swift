import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// Faults aimed by HTTP `method` and by the `response_code` of the answer or notification.
struct FaultMatchTests {
    let pages = HostedPageTests()

    func arm(_ aps: APSTestClient, _ json: String) throws -> HTTPTestClient.Response {
        try aps.http.post("/__sandbox/faults", json: json)
    }

    func armedCount(_ aps: APSTestClient) throws -> JSONValue? {
        try JSONParser.parse(try aps.http.get("/__sandbox/faults").body).objectValue?["count"]
    }

    /// "The response was lost after the customer paid", with a browser that loads the page
    /// first: the GET passes, the paying POST is processed and its answer never arrives.
    @Test func aResponseLostFaultOnPOST_passesTheGETThatShowsThePage_andHitsThePayment() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("fm-post")
            let page = try pages.path(sandbox, id)
            #expect(try arm(aps, #"{"type":"drop_connection","when":"after","match":{"dialect":"hosted_page","method":"post"}}"#).status == 201)
            let shown = try aps.http.get(page)
            #expect(shown.status == 200 && shown.text.contains("name=\"card_number\""))
            #expect(try armedCount(aps) == .number("1"), "the GET must not use the fault up")
            #expect(throws: (any Error).self) { try pages.postForm(aps, page, pages.goodCard) }
            #expect(sandbox.link(id: id)?.state == .paid)
            #expect(try armedCount(aps) == .number("0"))
            let journal = try aps.http.get("/__sandbox/journal?payment_link_id=\(id)&method=POST&path=/pay/").text
            #expect(journal.contains("drop_connection after processing"))
        }
    }

    /// A fault on the approved answer only: a declined attempt passes it by untouched.
    @Test func aFaultMatchingResponseCode_hitsOnlyTheAnswerCarryingIt() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("fm-code")
            let page = try pages.path(sandbox, id)
            _ = try arm(aps, #"{"type":"drop_connection","when":"after","match":{"dialect":"hosted_page","response_code":"14000"}}"#)
            var declining = pages.goodCard
            declining[1] = ("card_number", "4000000000000028")
            let declined = try pages.postForm(aps, page, declining)
            #expect(declined.status == 200 && declined.header("X-Sandbox-Response-Code") == "13029")
            #expect(declined.header("X-Sandbox-Detail")?.hasPrefix("13029: ") == true, "a declined attempt explains itself")
            #expect(try armedCount(aps) == .number("1"))
            #expect(throws: (any Error).self) { try pages.postForm(aps, page, pages.goodCard) }
            #expect(sandbox.link(id: id)?.state == .paid)

            // An APS answer: the refused request passes, the successful one is damaged.
            _ = try arm(aps, #"{"type":"wrong_signature","match":{"response_code":"48000"}}"#)
            let refused = try aps.send(APSTestClient.paymentLink("fm-code-2", ["amount": "-1"]))
            #expect(refused.code != "48000")
            #expect(refused["signature"] == aps.merchant.signer.sign(refused.object, phrase: aps.merchant.responsePhrase))
            let created = try aps.send(APSTestClient.paymentLink("fm-code-3"))
            #expect(created.code == "48000")
            #expect(created["signature"] != aps.merchant.signer.sign(created.object, phrase: aps.merchant.responsePhrase))
            #expect(try armedCount(aps) == .number("0"))
        }
    }

    /// The 3-D Secure challenge page names 20064, so a fault can aim at the challenge.
    @Test func aFaultMatching20064_hitsThe3DSecureChallengePage() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("fm-3ds")
            let page = try pages.path(sandbox, id)
            _ = try arm(aps, #"{"type":"drop_connection","when":"after","match":{"dialect":"hosted_page","response_code":"20064"}}"#)
            _ = try aps.http.get(page)
            #expect(try armedCount(aps) == .number("1"))
            var challenged = pages.goodCard
            challenged[1] = ("card_number", "4557012345678902")
            #expect(throws: (any Error).self) { try pages.postForm(aps, page, challenged) }
            #expect(try armedCount(aps) == .number("0"))
        }
    }

    /// A fault that keeps the request from being processed cannot wait for its answer's code;
    /// `method` and `response_code` are checked; the listing shows both.
    @Test func badMatches_areRefusedNamingTheField_andGoodOnesAreListed() async throws {
        try await withSandbox { _, aps in
            for (json, field) in [
                (#"{"type":"http_status","status":502,"match":{"response_code":"14000"}}"#, "match.response_code"),
                (#"{"type":"response_code","response_code":"00006","match":{"response_code":"48000"}}"#, "match.response_code"),
                (#"{"type":"drop_connection","match":{"response_code":"14000"}}"#, "match.response_code"),
                (#"{"type":"delay","milliseconds":5,"match":{"response_code":"14"}}"#, "match.response_code"),
                (#"{"type":"delay","milliseconds":5,"match":{"method":"PO ST"}}"#, "match.method"),
                (#"{"type":"delay","milliseconds":5,"match":{"method":""}}"#, "match.method"),
            ] {
                let refused = try arm(aps, json)
                #expect(refused.status == 400 && refused.text.contains("\"field\":\"\(field)\""), "\(json): \(refused.text)")
            }
            #expect(try arm(aps, #"{"type":"delay","milliseconds":5,"match":{"method":"get","response_code":"14000"}}"#).status == 201)
            let listed = try aps.http.get("/__sandbox/faults").text
            #expect(listed.contains(#""method":"GET""#) && listed.contains(#""response_code":"14000""#))
        }
    }

    /// Without `method` or `response_code`, a fault matches as before: the GET that shows the page uses it up.
    @Test func aFaultWithoutMethod_stillHitsTheFirstRequest() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("fm-any")
            _ = try arm(aps, #"{"type":"http_status","status":503,"match":{"dialect":"hosted_page"}}"#)
            #expect(try aps.http.get(try pages.path(sandbox, id)).status == 503)
            #expect(try aps.http.get(try pages.path(sandbox, id)).status == 200)
        }
    }

    /// A notification fault by the payload's `response_code`: a notification carrying another
    /// code is delivered, one carrying it fails.
    @Test func aNotificationFault_matchesThePayloadsResponseCode() async throws {
        let notifications = NotificationTests()
        try await notifications.withMerchantEndpoint(failures: 0) { sandbox, aps, receiver in
            _ = try arm(aps, #"{"type":"notification_fail","match":{"response_code":"13029","method":"POST"}}"#)
            _ = try notifications.pay(aps, "fm-n-1")
            try notifications.settle(aps)
            #expect(receiver.requests.count == 1, "an approved payment's 14000 does not match")
            let id = try aps.createLink("fm-n-2")
            _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4000000000000028"}"#)
            try notifications.settle(aps)
            #expect(receiver.requests.count == 1)
            let failed = try #require(sandbox.deliveries().last)
            #expect(failed.payload["response_code"] == "13029" && failed.attempts.first?.error == "injected fault: the delivery failed")
        }
    }
}
