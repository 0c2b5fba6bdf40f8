import PayLinkCore
import Testing

/// Every index-backed search against the brute-force definition (`LinkQuery.matches` over all
/// links), on randomized links and changes with a fixed seed: creates, seeds, updates of text,
/// expiry and state, payments (approved, declined, uncertain), clock moves both ways with and
/// without sweeps, a merchant's reset, a whole reset and a snapshot restore.
struct LinkIndexTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let merchants = ["M1", "M2", "Mer-3"]
    static let names: [String?] = ["Ann Lee", "Ömer Çelik", "SARA AHMED", "Zoë O'Brien", nil]

    @Test(arguments: [1, 2, 3] as [UInt64])
    func everySearch_matchesTheBruteForceFilter_throughRandomChanges(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let clock = SandboxClock(start: Self.start, mode: .frozen)
        let engine = LinkEngine(clock: clock, seed: seed)
        var created = 0
        for step in 1...700 {
            let ids = engine.links().map(\.link.id)
            let roll = Int.random(in: 0..<100, using: &random)
            switch roll {
            case 0..<45:
                created += 1
                _ = try? engine.createLink(draft(created, &random, now: clock.now()))
            case 45..<50:
                created += 1
                let state = [LinkState.open, .closed, .paid, .expired].randomElement(using: &random)!
                var terms = draft(created, &random, now: clock.now())
                if state == .expired { terms.expiry = clock.now().adding(seconds: -Int64.random(in: 1...9_000, using: &random)) }
                _ = try? engine.seedLink(terms, state: state)
            case 50..<62:
                guard let id = ids.randomElement(using: &random) else { continue }
                _ = try? engine.update(id: id, randomUpdate(&random, now: clock.now()))
            case 62..<72:
                guard let id = ids.randomElement(using: &random) else { continue }
                switch Int.random(in: 0..<3, using: &random) {
                case 0: _ = try? engine.pay(id: id)
                case 1: _ = try? engine.declinedPayment(id: id, details: PaymentDetails(), code: APSResponseCode(status: "13", message: "016"))
                default: _ = try? engine.uncertainPayment(id: id, details: PaymentDetails(), resolvesAt: clock.now().adding(seconds: 600),
                                                          approves: Bool.random(using: &random))
                }
            case 72..<84:
                // The clock, forwards or back; the sweep runs only sometimes, so reads must not
                // depend on it.
                let seconds = Int64.random(in: -7_200...7_200, using: &random)
                clock.set(clock.now().adding(seconds: seconds))
                if Bool.random(using: &random) { engine.sweepExpiries() }
                if Bool.random(using: &random) { _ = engine.resolveDueUncertainPayments() }
            case 84..<86:
                engine.reset(merchantIdentifier: Self.merchants.randomElement(using: &random)!)
            case 86..<88:
                try engine.restore(engine.snapshot())
            case 88:
                if step > 300 && step < 320 { engine.reset() }
            default:
                _ = engine.links(ids: [])
            }
            if step % 20 == 0 { try checkQueries(engine, &random) }
        }
        #expect(engine.linkCount > 20, "the run should leave enough links to search")
        try checkQueries(engine, &random)
    }

    @Test func openAndExpired_followTheClock_bothWays_withoutASweep() throws {
        let clock = SandboxClock(start: Self.start, mode: .frozen)
        let engine = LinkEngine(clock: clock, seed: 9)
        var random = SplitMix64(seed: 9)
        for i in 1...40 {
            var terms = draft(i, &random, now: clock.now())
            terms.expiry = Self.start.adding(seconds: Int64(i) * 60)
            _ = try engine.createLink(terms)
        }
        func count(_ state: LinkState) -> Int { engine.countLinks(matching: LinkQuery(state: state)) }
        #expect(count(.open) == 40 && count(.expired) == 0)
        clock.set(Self.start.adding(seconds: 10 * 60))
        #expect(count(.open) == 30 && count(.expired) == 10)
        engine.sweepExpiries()
        clock.set(Self.start.adding(seconds: 5 * 60 + 1))
        #expect(count(.open) == 35 && count(.expired) == 5)
        clock.set(Self.start.adding(seconds: 3_600))
        #expect(count(.open) == 0 && count(.expired) == 40)
        clock.set(Self.start)
        #expect(count(.open) == 40 && count(.expired) == 0)
    }

    @Test func textSearch_ignoresCase_inEveryField_andFollowsChangedText() throws {
        let clock = SandboxClock(start: Self.start, mode: .frozen)
        let engine = LinkEngine(clock: clock, seed: 4)
        let terms = LinkTerms(merchantIdentifier: "M1", merchantReference: "Order-ÄBC-1", amount: 100, currency: "SAR",
                              customerEmail: "Sara@Example.com", customerName: "Ömer Çelik", expiry: Self.start.adding(seconds: 600))
        let id = try engine.createLink(terms).link.id
        for text in ["order-äbc", "SARA@", "ömer ç", String(id.dropFirst(3).prefix(9))] {
            #expect(engine.countLinks(matching: LinkQuery(text: text)) == 1, "\(text)")
        }
        #expect(engine.countLinks(matching: LinkQuery(text: "com\u{0}ömer")) == 0, "no match spans two fields")
        _ = try engine.update(id: id, LinkStateMachine.Update(customerName: "Lina Haddad", customerEmail: "lina@example.org"))
        #expect(engine.countLinks(matching: LinkQuery(text: "ömer")) == 0)
        #expect(engine.countLinks(matching: LinkQuery(text: "LINA h")) == 1)
        #expect(engine.countLinks(matching: LinkQuery(text: "example.org")) == 1)
    }

    @Test func manyTextChanges_compactTheText_andKeepEveryAnswer() throws {
        let clock = SandboxClock(start: Self.start, mode: .frozen)
        let engine = LinkEngine(clock: clock, seed: 5)
        var random = SplitMix64(seed: 5)
        let ids = try (1...50).map { try engine.createLink(draft($0, &random, now: clock.now())).link.id }
        // 60,000 renames of about 40 bytes each: well past the point where the text is rewritten.
        for round in 0..<1_200 {
            for (k, id) in ids.enumerated() {
                _ = try engine.update(id: id, LinkStateMachine.Update(customerName: "name \(round) of link \(k) padded out"))
            }
        }
        #expect(engine.countLinks(matching: LinkQuery(text: "name 1199 of link")) == 50)
        #expect(engine.countLinks(matching: LinkQuery(text: "name 1198 ")) == 0)
        #expect(engine.countLinks(matching: LinkQuery(text: "of link 7 padded")) == 1)
    }

    // MARK: helpers

    private func draft(_ n: Int, _ random: inout SplitMix64, now: SandboxInstant) -> LinkTerms {
        let reference = ["ref-\(n)", "REF-\(n)-x", "Ord/\(n % 7)-\(n)"].randomElement(using: &random)!
        let email = ["c\(n)@example.com", "Buyer.\(n)@Shop.SA", "ann\(n % 5)@example.com"].randomElement(using: &random)!
        return LinkTerms(merchantIdentifier: Self.merchants.randomElement(using: &random)!, merchantReference: reference,
                         amount: Int64.random(in: 1...100_000, using: &random), currency: "SAR", customerEmail: email,
                         customerName: Self.names.randomElement(using: &random)!,
                         expiry: now.adding(seconds: Int64.random(in: 60...14_400, using: &random)))
    }

    private func randomUpdate(_ random: inout SplitMix64, now: SandboxInstant) -> LinkStateMachine.Update {
        switch Int.random(in: 0..<5, using: &random) {
        case 0: LinkStateMachine.Update(status: .closed)
        case 1: LinkStateMachine.Update(status: .open)
        case 2: LinkStateMachine.Update(expiry: now.adding(seconds: Int64.random(in: 60...14_400, using: &random)))
        case 3: LinkStateMachine.Update(customerName: Self.names.compactMap { $0 }.randomElement(using: &random)! + " \(Int.random(in: 0..<9, using: &random))")
        default: LinkStateMachine.Update(customerEmail: "new\(Int.random(in: 0..<99, using: &random))@Example.org")
        }
    }

    private func randomQuery(_ links: [LinkView], _ random: inout SplitMix64, now: SandboxInstant) -> LinkQuery {
        var query = LinkQuery()
        if Int.random(in: 0..<3, using: &random) == 0 { query.merchant = (Self.merchants + ["nobody"]).randomElement(using: &random)! }
        if Int.random(in: 0..<3, using: &random) == 0 { query.state = LinkState.allCases.randomElement(using: &random)! }
        if Int.random(in: 0..<8, using: &random) == 0 { query.reference = links.randomElement(using: &random)?.link.merchantReference ?? "none" }
        if Int.random(in: 0..<3, using: &random) == 0 {
            query.createdFrom = now.adding(seconds: Int64.random(in: -40_000...0, using: &random))
        }
        if Int.random(in: 0..<3, using: &random) == 0 {
            query.createdBefore = now.adding(seconds: Int64.random(in: -40_000...1, using: &random))
        }
        if Int.random(in: 0..<2, using: &random) == 0, let link = links.randomElement(using: &random) {
            let field = LinkQuery.searchedFields(link.link).randomElement(using: &random)!
            let characters = Array(field)
            if characters.isEmpty {
                query.text = "zz"
            } else {
                let from = Int.random(in: 0..<characters.count, using: &random)
                let to = Int.random(in: from...min(characters.count - 1, from + 6), using: &random)
                let piece = String(characters[from...to])
                query.text = Bool.random(using: &random) ? piece.uppercased() : piece
            }
        }
        return query
    }

    private func checkQueries(_ engine: LinkEngine, _ random: inout SplitMix64) throws {
        let all = engine.links()
        let now = engine.clock.now()
        for _ in 0..<12 {
            let query = randomQuery(all, &random, now: now)
            let expected = all.filter(query.matches).map(\.link.id)
            #expect(engine.countLinks(matching: query) == expected.count, "count of \(query)")
            // Newest first, a random page.
            let limit = Int.random(in: 1...12, using: &random)
            let offset = Int.random(in: 0...max(0, expected.count), using: &random)
            let page = engine.links(matching: query, newestFirst: offset, limit: limit)
            #expect(page.total == expected.count, "total of \(query)")
            #expect(page.links.map(\.link.id) == Array(expected.reversed().dropFirst(offset).prefix(limit)), "page of \(query)")
            #expect(page.links.allSatisfy { $0.now == now && $0.state == $0.link.state(at: now) })
            // Creation order, walked page by page with `after`.
            var walked: [String] = []
            var after: String?
            let step = Int.random(in: 1...7, using: &random)
            while true {
                let next = try #require(engine.links(matching: query, after: after, limit: step))
                walked += next.links.map(\.link.id)
                guard next.more else { break }
                after = try #require(next.links.last?.link.id)
            }
            #expect(walked == expected, "walk of \(query)")
            // Starting after a link that does not match.
            if let pivot = all.randomElement(using: &random) {
                let position = all.firstIndex { $0.link.id == pivot.link.id }!
                let rest = all[(position + 1)...].filter(query.matches).map(\.link.id)
                let tail = try #require(engine.links(matching: query, after: pivot.link.id, limit: 10_000))
                #expect(tail.links.map(\.link.id) == rest && !tail.more, "after \(pivot.link.id) of \(query)")
            }
        }
        #expect(engine.links(matching: LinkQuery(), after: "no-such-link", limit: 5) == nil)
    }
}
