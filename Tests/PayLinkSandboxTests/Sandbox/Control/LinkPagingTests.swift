import PayLinkCore
import PayLinkJSON
import PayLinkSupport
@testable import PayLinkSandbox
import Testing

/// `GET /__sandbox/links` is bounded and paged: `limit`, `after`, and a `Link: <…>; rel="next"`
/// header while more match, walked over a real socket.
struct LinkPagingTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)

    /// Follows `rel="next"` from `path` to the end; the ids of every page, and each page's size.
    func walk(_ aps: APSTestClient, _ path: String, between: (Int) throws -> Void = { _ in }) throws -> (ids: [String], pages: [Int], links: [String]) {
        var ids: [String] = [], pages: [Int] = [], links: [String] = []
        var next: String? = path
        while let current = next {
            let response = try aps.http.get(current)
            #expect(response.status == 200, "\(current): \(response.text)")
            let body = try #require(try JSONParser.parse(response.body).arrayValue, "the answer is a JSON array")
            let page = body.compactMap { $0.objectValue?["payment_link_id"]?.stringValue }
            #expect(page.count == body.count)
            ids += page
            pages.append(page.count)
            next = try response.header("Link").map { header in
                links.append(header)
                #expect(header.hasSuffix(#">; rel="next""#), "\(header)")
                return String(try #require(header.split(separator: ">").first).dropFirst())
            }
            try between(pages.count)
            if pages.count > 1_000 { Issue.record("no end to the pages"); break }
        }
        return (ids, pages, links)
    }

    func makeLinks(_ sandbox: Sandbox, count: Int, from first: Int = 0) throws {
        for i in first..<(first + count) {
            let terms = LinkTerms(merchantIdentifier: i % 3 == 0 ? "Other" : sandbox.configuration.merchants[0].identifier,
                                  merchantReference: "page-\(i)", amount: 1_000, currency: "SAR",
                                  customerEmail: i % 2 == 0 ? "even\(i)@example.com" : "Odd\(i)@Example.org",
                                  expiry: sandbox.clock.now().adding(seconds: Int64(600 + i * 60)))
            _ = try sandbox.engine.createLink(terms)
            _ = try sandbox.clock.advance(milliseconds: 1_000)
        }
    }

    @Test func walkingEveryPage_givesEachLinkOnce_inCreationOrder() async throws {
        try await withSandbox { sandbox, aps in
            try makeLinks(sandbox, count: 57)
            let (ids, pages, links) = try walk(aps, "/__sandbox/links?limit=5")
            #expect(ids == sandbox.engine.links().map(\.link.id))
            #expect(pages == Array(repeating: 5, count: 11) + [2])
            #expect(links.count == 11)
            #expect(links.first == "</__sandbox/links?limit=5&after=\(ids[4])>; rel=\"next\"")
        }
    }

    @Test func aFullLastPage_hasNoNextLink() async throws {
        try await withSandbox { sandbox, aps in
            try makeLinks(sandbox, count: 10)
            let (ids, pages, _) = try walk(aps, "/__sandbox/links?limit=5")
            #expect(ids.count == 10 && pages == [5, 5])
        }
    }

    @Test(arguments: [
        "payment_link_status=Open&merchant_identifier=Other",
        "q=EXAMPLE.ORG",
        "q=page-1",
        "created_from=2026-01-01T00:00:10Z&created_to=2026-01-01T00:00:40Z",
        "created_from=2026-01-01&q=even&status=Expired",
    ])
    func filtersStay_onEveryPage(_ filters: String) async throws {
        try await withSandbox { sandbox, aps in
            try makeLinks(sandbox, count: 60)
            // Some links expire, some are paid or closed, so the state filter has work to do.
            _ = try sandbox.clock.advance(milliseconds: 1_500_000)
            let all = sandbox.engine.links()
            for view in all.prefix(6) { _ = try? sandbox.engine.pay(id: view.link.id) }
            _ = try sandbox.engine.update(id: all[all.count - 2].link.id, LinkStateMachine.Update(status: .closed))
            let query = try LinkListQuery.parse(filters).filter
            let expected = sandbox.engine.links().filter(query.matches).map(\.link.id)
            #expect(!expected.isEmpty, "the filter \(filters) should match some links")
            let (ids, _, links) = try walk(aps, "/__sandbox/links?\(filters)&limit=3")
            #expect(ids == expected)
            // Each next page keeps the filters and the limit, and moves `after` on.
            let given = QueryParameters.parse(filters + "&limit=3")
            for header in links {
                let target = String(header.dropFirst().prefix { $0 != ">" })
                #expect(target.hasPrefix("/__sandbox/links?"))
                let pairs = QueryParameters.parse(String(target.drop { $0 != "?" }.dropFirst()))
                #expect(pairs.dropLast().map(\.name) == given.map(\.name) && pairs.dropLast().map(\.value) == given.map(\.value), "\(header)")
                #expect(pairs.last?.name == "after")
            }
        }
    }

    @Test func linksCreatedBetweenPages_comeAtTheEnd_withoutDuplicatesOrGaps() async throws {
        try await withSandbox { sandbox, aps in
            try makeLinks(sandbox, count: 25)
            var made = 25
            let (ids, _, _) = try walk(aps, "/__sandbox/links?limit=10") { page in
                // New links after the first and second pages; the walk must still end.
                if page <= 2 { try makeLinks(sandbox, count: 4, from: made); made += 4 }
            }
            #expect(ids == sandbox.engine.links().map(\.link.id))
            #expect(ids.count == 33 && Set(ids).count == 33)
        }
    }

    @Test func withoutLimit_aPageHoldsAThousand() async throws {
        try await withSandbox { sandbox, aps in
            try makeLinks(sandbox, count: 1_001)
            let response = try aps.http.get("/__sandbox/links")
            #expect(try JSONParser.parse(response.body).arrayValue?.count == 1000)
            let thousandth = sandbox.engine.links()[999].link.id
            #expect(response.header("Link") == "</__sandbox/links?after=\(thousandth)>; rel=\"next\"")
            let last = try aps.http.get("/__sandbox/links?after=\(thousandth)")
            #expect(try JSONParser.parse(last.body).arrayValue?.count == 1)
            #expect(last.header("Link") == nil)
        }
    }

    @Test(arguments: [
        ("limit=0", "limit"), ("limit=10001", "limit"), ("limit=ten", "limit"), ("after=123", "after"), ("after=", "after"),
        ("created_from=yesterday", "created_from"), ("created_to=2026-13-01", "created_to"), ("q=a%0Ab", "q"),
        ("payment_link_status=open", "payment_link_status"), ("page=2", "page"),
    ])
    func badParameters_are400_namingTheParameter(_ query: String, _ field: String) async throws {
        try await withSandbox { sandbox, aps in
            try makeLinks(sandbox, count: 2)
            let response = try aps.http.get("/__sandbox/links?\(query)")
            #expect(response.status == 400)
            let body = try #require(try JSONParser.parse(response.body).objectValue)
            #expect(body["error"] == "invalid_query")
            #expect(body["field"] == .string(field))
        }
    }

    @Test func limitTenThousand_isAccepted() async throws {
        try await withSandbox { sandbox, aps in
            try makeLinks(sandbox, count: 3)
            let response = try aps.http.get("/__sandbox/links?limit=10000")
            #expect(response.status == 200 && response.header("Link") == nil)
        }
    }

    @Test func stateImport_andReset_reindexTheLinks() async throws {
        try await withSandbox { sandbox, aps in
            try makeLinks(sandbox, count: 12)
            let exported = try aps.http.get("/__sandbox/state")
            #expect(try aps.http.post("/__sandbox/reset", json: "{}").status == 200)
            #expect(try JSONParser.parse(try aps.http.get("/__sandbox/links?q=page-1").body).arrayValue?.isEmpty == true)
            #expect(try aps.http.request("PUT", "/__sandbox/state", body: exported.body).status == 200)
            let (ids, _, _) = try walk(aps, "/__sandbox/links?q=PAGE-1&limit=2")
            #expect(ids == sandbox.engine.links().filter { $0.link.merchantReference.hasPrefix("page-1") }.map(\.link.id))
            #expect(ids.count == 3)
        }
    }
}
