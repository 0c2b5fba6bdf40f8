import PayLinkCore
import Testing

/// `LinkEngine.reserveCapacity(forMoreLinks:)` (a batch file about to create its links) makes
/// room in the link store's text and the text index ahead of time and changes nothing anyone
/// can see: links made after it, fewer or more than reserved and with texts longer than the
/// store expects, come out, read back, are found and are snapshotted exactly as on an engine
/// that reserved nothing.
struct ReservedLinkCapacityTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    func engine() -> LinkEngine { LinkEngine(clock: SandboxClock(start: Self.start, mode: .frozen), seed: 7) }

    /// Terms whose text grows with `index`, past the bytes a link is expected to take, some
    /// with non-ASCII names (folded otherwise in the index).
    func terms(_ index: Int) -> LinkTerms {
        let long = String(repeating: "x", count: index % 300)
        return LinkTerms(merchantIdentifier: index % 3 == 0 ? "M1" : "M2", merchantReference: "ref-\(index)-\(long)",
                         amount: 100 + Int64(index), currency: "GBP",
                         customerEmail: "Customer\(index)@Example.com", customerName: index % 5 == 0 ? "Zoë \(index)" : "Ann \(long)",
                         customerPhone: "0770090\(index)", orderDescription: "Order \(index) \(long)",
                         expiry: Self.start.adding(seconds: 3_600))
    }

    @Test(arguments: [10, 200, 1_000])
    func reservingBeforeABatch_changesNoLinkNorSearchNorSnapshot(reserved: Int) throws {
        let reserving = engine(), plain = engine()
        // Some links before, so the reservation is on top of text already held.
        for index in 0..<20 {
            #expect(try reserving.createLink(terms(index)) == plain.createLink(terms(index)))
        }
        reserving.reserveCapacity(forMoreLinks: reserved)
        let batch = (20..<420).map { (terms: terms($0), requestedID: String?.none) }
        let madeReserving = reserving.createLinks(batch)
        let madePlain = plain.createLinks(batch)
        #expect(madeReserving.map { try? $0.get() } == madePlain.map { try? $0.get() })
        for made in madePlain {
            let link = try made.get().link
            #expect(reserving.link(id: link.id) == plain.link(id: link.id))
            #expect(reserving.link(token: link.token) == plain.link(token: link.token))
        }
        for needle in ["customer41", "zoë", "ann xx", "ref-399", "@example", "7"] {
            let query = LinkQuery(text: needle)
            #expect(reserving.links(matching: query, newestFirst: 0, limit: 500).links.map(\.link.id)
                    == plain.links(matching: query, newestFirst: 0, limit: 500).links.map(\.link.id), "\(needle)")
        }
        #expect(reserving.snapshot() == plain.snapshot())
    }
}
