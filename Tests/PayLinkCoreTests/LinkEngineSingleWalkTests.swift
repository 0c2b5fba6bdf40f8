import PayLinkCore
import Testing

/// `createLink` draws a link's identifiers first and places it with one walk of each table;
/// when a key is taken it starts again from the generator as it was and checks one key at a
/// time. These pin down that the outcome, and the identifiers drawn for a seed, are exactly
/// those of checking each key first.
struct LinkEngineSingleWalkTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    func engine(seed: UInt64 = 7) -> LinkEngine {
        LinkEngine(clock: SandboxClock(start: Self.start, mode: .frozen), seed: seed)
    }

    func draft(_ reference: String, merchant: String = "M1") -> LinkTerms {
        LinkTerms(merchantIdentifier: merchant, merchantReference: reference, amount: 125_000, currency: "SAR",
                  customerEmail: "c@example.com", expiry: Self.start.adding(seconds: 3_600))
    }

    @Test func aDrawnIDThatIsTaken_isDrawnAgain_beforeTheToken() throws {
        // The engine's generator, mirrored: the first link takes a chosen ID and draws a token;
        // the ID the second link then draws is that chosen one, so it must draw another.
        var mirror = IDGenerator(seed: 7)
        let firstToken = mirror.hexToken()
        let taken = mirror.numericID()
        let redrawn = mirror.numericID()
        let secondToken = mirror.hexToken()
        let e = engine()
        #expect(try e.createLink(draft("a"), requestedID: taken).link.token == firstToken)
        let second = try e.createLink(draft("b")).link
        #expect(second.id == redrawn)
        #expect(second.token == secondToken)
        // And the sequence goes on from there.
        let third = try e.createLink(draft("c")).link
        #expect(third.id == mirror.numericID())
        #expect(third.token == mirror.hexToken())
    }

    @Test func aReusedReference_drawsNothing_andTheNextLinkGetsTheIDsItWouldHaveHad() throws {
        var mirror = IDGenerator(seed: 7)
        let e = engine()
        let first = try e.createLink(draft("a")).link
        #expect(first.id == mirror.numericID())
        #expect(first.token == mirror.hexToken())
        #expect(throws: LinkError.duplicateMerchantReference) { try e.createLink(draft("a")) }
        // A taken requested ID with a reused reference names the reference, as before.
        #expect(throws: LinkError.duplicateMerchantReference) { try e.createLink(draft("a"), requestedID: first.id) }
        #expect(throws: LinkError.duplicateLinkID) { try e.createLink(draft("z"), requestedID: first.id) }
        let next = try e.createLink(draft("b")).link
        #expect(next.id == mirror.numericID())
        #expect(next.token == mirror.hexToken())
        #expect(e.linkCount == 2)
        // The same reference under another merchant is another key.
        #expect(try e.createLink(draft("a", merchant: "M2")).link.merchantIdentifier == "M2")
        #expect(e.link(merchant: "M1", reference: "a")?.link.id == first.id)
    }

    @Test func createLinks_refusesWhatCreateLinkWould_inOrder() throws {
        let e = engine(), one = engine()
        let terms: [(terms: LinkTerms, requestedID: String?)] = [(draft("a"), nil), (draft("a"), nil), (draft("b"), "123456789012345678"),
                                                                 (draft("c"), "123456789012345678"), (draft("d"), nil)]
        let together = e.createLinks(terms).map { result in (try? result.get()).map { "\($0.link.id) \($0.link.token)" } ?? "refused" }
        let oneByOne = terms.map { item in
            (try? one.createLink(item.terms, requestedID: item.requestedID)).map { "\($0.link.id) \($0.link.token)" } ?? "refused"
        }
        #expect(together == oneByOne)
        #expect(together.filter { $0 == "refused" }.count == 2)
    }
}
