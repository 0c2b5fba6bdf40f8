import PayLinkCore
import PayLinkJSON
import Testing

/// A store built a link at a time, as a start reads a snapshot and replays the log: the log's
/// links replace the snapshot's where they stand and new ones follow in the order they first
/// appeared; problems are those `EngineSnapshot.prepared()` finds, named by the link's place,
/// and come out of `finish`.
struct LinkStoreBuilderTests {
    static func link(_ i: Int) -> PaymentLink { CompactLinksTests.link(i * 10) }

    @Test func puts_replaceInPlace_andAppendInOrder() throws {
        var builder = LinkStoreBuilder()
        for i in 1...3 { builder.add(Self.link(i)) }
        var changed = Self.link(2)
        changed.userAttemptsCount = 5
        var changedAgain = Self.link(5)
        changedAgain.lifecycle = .closed
        for link in [Self.link(5), changed, Self.link(4), changedAgain] { builder.put(link) }
        #expect(builder.links == [Self.link(1), changed, Self.link(3), changedAgain, Self.link(4)])
        let prepared = try builder.finish(ids: .system, orders: [])
        #expect(prepared.link(id: changedAgain.id) == changedAgain)
    }

    @Test func theFirstProblem_isThrownByFinish_namingTheLinksPlace() {
        func problem(_ build: (inout LinkStoreBuilder) -> Void) -> String? {
            var builder = LinkStoreBuilder()
            for i in 1...3 { builder.add(Self.link(i)) }
            build(&builder)
            do { _ = try builder.finish(ids: .system, orders: []) } catch { return error.description }
            return nil
        }
        #expect(problem { _ in } == nil)
        #expect(problem { $0.add(Self.link(2)) } == "links[3].payment_link_id: duplicates links[1]")
        #expect(problem { builder in
            let other = Self.link(7)
            builder.add(PaymentLink(id: other.id, token: other.token, terms: Self.link(1).terms, createdAt: other.createdAt))
            builder.add(Self.link(1))
        } == "links[3].merchant_reference: duplicates links[0]")
        #expect(problem { builder in
            var link = Self.link(1)
            link.userAttemptsCount = -1
            builder.put(link)
        } == "links[0].user_attempts_count: must be between 0 and \(EngineSnapshot.counterLimit)")
        #expect(problem { builder in
            let old = Self.link(3)
            builder.put(PaymentLink(id: old.id, token: "another-token", terms: old.terms, createdAt: old.createdAt))
        } == "links[2]: changes the token or merchant reference of link \(Self.link(3).id)")
        #expect(problem { builder in
            var link = Self.link(2)
            link.pendingFortID = "123"
            builder.put(link)
        } == "links[1].pending_fort_id: must name an uncertain order of this link")
        // A pending payment the log then settles is no problem.
        #expect(problem { builder in
            var link = Self.link(2)
            link.pendingFortID = "123"
            builder.put(link)
            link.pendingFortID = nil
            builder.put(link)
        } == nil)
    }
}
