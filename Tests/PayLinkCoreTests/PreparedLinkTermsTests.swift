import PayLinkCore
import Testing

/// `LinkEngine.createLinks(prepared:)` with the customer text made in advance
/// (`LinkCustomerText`) stores, answers and finds each link exactly as terms with the same
/// fields given plainly: the same identifiers for a seed, the same link read back, the same
/// text searches, and the same snapshot.
struct PreparedLinkTermsTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    func engine() -> LinkEngine { LinkEngine(clock: SandboxClock(start: Self.start, mode: .frozen), seed: 11) }

    /// Customer texts of every shape: ASCII with capitals, non-ASCII, absent fields, empty ones.
    static let texts: [LinkCustomerText] = [
        LinkCustomerText(customerEmail: "Ana.Lima@Example.COM", customerName: "Ana LIMA", customerPhone: "+447700900123",
                         orderDescription: "Invoice 42", returnURL: "https://shop.example/return", settlementReference: "SETTLE-1"),
        LinkCustomerText(customerEmail: "zoë@exämple.de", customerName: "Zoë Ähnlich", orderDescription: "Größe XL"),
        LinkCustomerText(customerEmail: ""),
        LinkCustomerText(customerEmail: "x@y.z", customerName: "", customerPhone: "", orderDescription: ""),
    ]

    func prepared(_ index: Int, _ text: LinkCustomerText) -> PreparedLinkTerms {
        PreparedLinkTerms(merchantIdentifier: "M1", merchantReference: "ref-\(index)", amount: 1_000 + Int64(index), currency: "GBP",
                          expiry: Self.start.adding(seconds: 3_600), text: text)
    }

    @Test func preparedText_storesAndFindsLinksAsPlainTerms() throws {
        let withText = engine(), plain = engine()
        let items = Self.texts.enumerated().map { prepared($0.offset, $0.element) }
        let madeWithText = withText.createLinks(prepared: items.map { ($0, nil) })
        let madePlain = plain.createLinks(items.map { ($0.terms, nil) })
        #expect(madeWithText.map { try? $0.get() } == madePlain.map { try? $0.get() })
        for made in madePlain {
            let link = try made.get().link
            #expect(withText.link(id: link.id) == plain.link(id: link.id))
            #expect(withText.link(id: link.id)?.link.terms == link.terms)
        }
        for needle in ["ana.lima", "ANA LIMA", "zoë", "ÄHNLICH", "ref-2", "x@y", "invoice", "1", "@"] {
            let query = LinkQuery(text: needle)
            #expect(withText.links(matching: query, newestFirst: 0, limit: 10).links.map(\.link.id)
                    == plain.links(matching: query, newestFirst: 0, limit: 10).links.map(\.link.id), "\(needle)")
        }
        #expect(withText.snapshot() == plain.snapshot())
    }

    @Test func preparedTerms_takeTheirTextFieldsFromTheText() {
        let terms = prepared(0, Self.texts[0]).terms
        #expect(terms.customerEmail == "Ana.Lima@Example.COM" && terms.customerName == "Ana LIMA")
        #expect(terms.customerPhone == "+447700900123" && terms.orderDescription == "Invoice 42")
        #expect(terms.returnURL == "https://shop.example/return" && terms.settlementReference == "SETTLE-1")
        #expect(prepared(2, Self.texts[2]).terms.customerName == nil)
    }

    @Test func aPreparedLinkWhoseReferenceIsTaken_isRefused_andTheNextGetsTheIDsItWouldHaveHad() {
        let withText = engine(), plain = engine()
        let items = [prepared(0, Self.texts[0]), prepared(0, Self.texts[1]), prepared(1, Self.texts[1])]
        let madeWithText = withText.createLinks(prepared: items.map { ($0, nil) })
        let madePlain = plain.createLinks(items.map { ($0.terms, nil) })
        #expect(madeWithText.map { try? $0.get() } == madePlain.map { try? $0.get() })
        #expect((try? madeWithText[1].get()) == nil)
        #expect(withText.links(matching: LinkQuery(text: "zoë"), newestFirst: 0, limit: 10).links.map(\.link.merchantReference) == ["ref-1"])
    }
}
