import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// `GET /requests?…`: at least one filter, each filter's matching rule, paging, newest first.
struct PayByLinkListTests {
    func refs(_ reply: PayByLinkTestClient.Reply) -> [String] {
        reply["Items"]?.arrayValue?.compactMap { $0.objectValue?["ClientTransactionRef"]?.stringValue } ?? []
    }

    func seed(_ client: PayByLinkTestClient, _ sandbox: Sandbox) throws {
        _ = try client.create("a", ["AccountReference": "\"ACC-1\"", "Amount": "10"])
        try sandbox.clock.advance(milliseconds: 86_400_000)
        _ = try client.create("b", ["AccountReference": "\"acc-1\"", "Amount": "20",
                                    "Customer": #"{"FirstName":"Tom","LastName":"Jones","MobileNumber":"07700900321"}"#])
        try sandbox.clock.advance(milliseconds: 86_400_000)
        _ = try client.create("c", ["AccountReference": "\"ACC-2\"", "Amount": "10"])
    }

    @Test func noFilter_is400() async throws {
        try await withSandbox { sandbox, _ in
            let reply = try PayByLinkTestClient(port: sandbox.port).get("/requests?Page=1")
            #expect(reply.status == 400)
            #expect(reply.errors("Filters").count == 1)
        }
    }

    @Test func filters_matchAsDocumented_newestFirst() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            try seed(client, sandbox)
            #expect(refs(try client.get("/requests?AccountReference=acc-1")) == ["b", "a"])
            #expect(refs(try client.get("/requests?Amount=10.00")) == ["c", "a"])
            #expect(refs(try client.get("/requests?CustomerName=jones")) == ["b"])
            #expect(refs(try client.get("/requests?customername=JANE%20SMITH")) == ["c", "a"])
            #expect(refs(try client.get("/requests?ClientTransactionRef=b")) == ["b"])
            #expect(refs(try client.get("/requests?From=2026-01-02&To=2026-01-02")) == ["b"])
            #expect(refs(try client.get("/requests?From=2026-01-02T00:00:00Z")) == ["c", "b"])
            #expect(refs(try client.get("/requests?Status=Sent&Amount=20")) == ["b"])
        }
    }

    @Test func statusFilter_followsTheLinks() async throws {
        try await withSandbox { sandbox, aps in
            let client = PayByLinkTestClient(port: sandbox.port)
            try seed(client, sandbox)
            let b = try client.get("/requests?ClientTransactionRef=b")
            let linkID = try #require(b["Items"]?.arrayValue?.first?.objectValue?["PaymentLinkId"]?.stringValue)
            _ = try aps.http.post("/__sandbox/links/\(linkID)/pay", json: "{}")
            #expect(refs(try client.get("/requests?Status=paid")) == ["b"])
            #expect(refs(try client.get("/requests?Status=Sent")) == ["c", "a"])
        }
    }

    @Test func paging_countsAndPages() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            for i in 1...5 { _ = try client.create("p\(i)") }
            let first = try client.get("/requests?AccountReference=ACC-100&PageSize=2")
            #expect(first["TotalCount"] == .number("5"))
            #expect(first["TotalPages"] == .number("3"))
            #expect(refs(first) == ["p5", "p4"])
            #expect(refs(try client.get("/requests?AccountReference=ACC-100&PageSize=2&Page=3")) == ["p1"])
            #expect(refs(try client.get("/requests?AccountReference=ACC-100&PageSize=2&Page=9")).isEmpty)
        }
    }

    /// The list is narrowed through indexes (amount, account reference, creation time); what
    /// they keep must follow the requests: a new amount is found under it and no longer under
    /// the old one, and a clock set back (creation times no longer in order) still finds the
    /// right requests by date.
    @Test func filters_followChangedAmounts_andAClockSetBack() async throws {
        var config = SandboxConfiguration.testing()
        config.payByLink.subscriptionKeys = ["test-subscription-key", "second-key"]
        try await withSandbox(config) { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            try seed(client, sandbox)
            let a = try #require(try client.get("/requests?ClientTransactionRef=a")["Items"]?.arrayValue?.first?.objectValue?["RequestId"]?.stringValue)
            #expect(try client.put("/requests/\(a)", #"{"Amount": 20}"#).status == 200)
            #expect(refs(try client.get("/requests?Amount=20")) == ["b", "a"])
            #expect(refs(try client.get("/requests?Amount=10")) == ["c"])
            _ = sandbox.clock.set(PayByLinkBulkCreateTests.start)
            _ = try client.create("d", ["AccountReference": "\"Acc-1\""])
            #expect(refs(try client.get("/requests?AccountReference=ACC-1")) == ["d", "b", "a"])
            #expect(refs(try client.get("/requests?From=2026-01-01&To=2026-01-01")) == ["d", "a"])
            #expect(refs(try client.get("/requests?From=2026-01-02")) == ["c", "b"])
            // Another subscription sees none of them.
            var other = client
            other.key = "second-key"
            #expect(refs(try other.get("/requests?AccountReference=acc-1")).isEmpty)
        }
    }

    /// Requests made under two subscriptions in turn: each key's list by date (its own list of
    /// requests, not a chain) holds its own requests only, newest first, however they alternate.
    @Test func subscriptionsMadeInTurn_eachListsItsOwn() async throws {
        var config = SandboxConfiguration.testing()
        config.payByLink.subscriptionKeys = ["test-subscription-key", "second-key"]
        try await withSandbox(config) { sandbox, _ in
            let first = PayByLinkTestClient(port: sandbox.port)
            var second = first
            second.key = "second-key"
            for (client, reference) in [(first, "f1"), (second, "s1"), (second, "s2"), (first, "f2"), (second, "s3"), (first, "f3")] {
                _ = try client.create(reference, [:])
            }
            #expect(refs(try first.get("/requests?From=2026-01-01")) == ["f3", "f2", "f1"])
            #expect(refs(try second.get("/requests?From=2026-01-01")) == ["s3", "s2", "s1"])
        }
    }

    @Test(arguments: [
        ("Page=0&Amount=1", "Page"), ("PageSize=101&Amount=1", "PageSize"), ("Status=Lost", "Status"), ("Amount=ten", "Amount"),
        ("From=yesterday", "From"), ("Colour=red", "Colour"), ("From=2026-02-01&To=2026-01-01", "To"), ("Amount=1&amount=2", "Amount"),
    ])
    func badParameters_are400_namingThem(query: String, field: String) async throws {
        try await withSandbox { sandbox, _ in
            let reply = try PayByLinkTestClient(port: sandbox.port).get("/requests?\(query)")
            #expect(reply.status == 400)
            #expect(!reply.errors(field).isEmpty, "\(reply.http.text)")
        }
    }
}
