import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// The subscription key, as Azure API Management checks it, and the operations it guards.
struct PayByLinkAuthTests {
    @Test func missingKey_is401_withAPIMBody() async throws {
        try await withSandbox { sandbox, _ in
            var client = PayByLinkTestClient(port: sandbox.port)
            client.key = nil
            let reply = try client.get("/requests/abc")
            #expect(reply.status == 401)
            #expect(reply["statusCode"] == .number("401"))
            #expect(reply.string("message")?.hasPrefix("Access denied due to missing subscription key.") == true)
        }
    }

    @Test func wrongKey_is401_invalidKey() async throws {
        try await withSandbox { sandbox, _ in
            var client = PayByLinkTestClient(port: sandbox.port)
            client.key = "not-a-key"
            let reply = try client.post("/requests", PayByLinkTestClient.body())
            #expect(reply.status == 401)
            #expect(reply.string("message")?.hasPrefix("Access denied due to invalid subscription key.") == true)
            #expect(sandbox.engine.links().isEmpty)
        }
    }

    @Test func keyInQuery_isAccepted_asAPIMDoes() async throws {
        try await withSandbox { sandbox, _ in
            var client = PayByLinkTestClient(port: sandbox.port)
            client.key = nil
            let reply = try client.get("/requests/none?subscription-key=test-subscription-key")
            #expect(reply.status == 404)
            #expect(reply.string("title") == "Not Found")
        }
    }

    @Test func unknownOperation_is404_namingThePath_evenWithoutKey() async throws {
        try await withSandbox { sandbox, _ in
            var client = PayByLinkTestClient(port: sandbox.port)
            client.key = nil
            let reply = try client.get("/paybylink/v1/widgets")
            #expect(reply.status == 404)
            #expect(reply.string("message") == "Resource not found")
            #expect(reply.string("path") == "/paybylink/v1/widgets")
        }
    }

    @Test func wrongMethod_is405_withAllow() async throws {
        try await withSandbox { sandbox, _ in
            let reply = try PayByLinkTestClient(port: sandbox.port).send("DELETE", "/requests/abc")
            #expect(reply.status == 405)
            #expect(reply.http.header("Allow") == "GET, PUT")
        }
    }

    @Test func configuredBasePathAndKeys_areUsed() async throws {
        var config = SandboxConfiguration.testing()
        config.payByLink = PayByLinkSettings(subscriptionKeys: ["k1", "k2"], basePath: "/PP.SmartPay.PayByLink.Api")
        try await withSandbox(config) { sandbox, _ in
            var client = PayByLinkTestClient(port: sandbox.port)
            client.basePath = "/PP.SmartPay.PayByLink.Api"
            client.key = "k2"
            let created = try client.create()
            #expect(created.status == 201)
            let atDefaultPath = try client.http.get("/paybylink/v1/requests")
            #expect(atDefaultPath.status == 404)
            client.key = "test-subscription-key"
            let oldKey = try client.get("/requests?Status=Sent")
            #expect(oldKey.status == 401)
        }
    }

    @Test func subscriptions_seeOnlyTheirOwnRequests() async throws {
        var config = SandboxConfiguration.testing()
        config.payByLink.subscriptionKeys = ["k1", "k2"]
        try await withSandbox(config) { sandbox, _ in
            var one = PayByLinkTestClient(port: sandbox.port)
            one.key = "k1"
            var two = one
            two.key = "k2"
            let id = try #require(try one.create("same-ref").string("RequestId"))
            let seen = try two.get("/requests/\(id)")
            #expect(seen.status == 404)
            let cancelled = try two.put("/requests/\(id)", #"{"Status":"Cancelled"}"#)
            #expect(cancelled.status == 404)
            // The reference is unique per key, so the other subscription may use it too.
            let again = try two.create("same-ref")
            #expect(again.status == 201)
            let listed = try two.get("/requests?ClientTransactionRef=same-ref")
            #expect(listed["TotalCount"] == .number("1"))
        }
    }
}
