import PayLinkCore
import Testing

/// `LinkEngine.createLinks(from:)`, links from a template made ahead with their own reference
/// and expiry, makes each link as `createLinks` of the whole terms does: the same identifiers
/// for a seed, the same links read back and found, the same snapshot, and a refused item
/// (a reference taken, an expiry past) refused with the same error, at its index.
struct TemplatedLinksTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    func engine() -> LinkEngine { LinkEngine(clock: SandboxClock(start: Self.start, mode: .frozen), seed: 11) }

    static let templates = [
        LinkTermsTemplate(merchantIdentifier: "M1", amount: 1_250, currency: "GBP",
                          text: LinkCustomerText(customerEmail: "Ana.Lima@Example.COM", customerName: "Ana LIMA", orderDescription: "Rent")),
        LinkTermsTemplate(merchantIdentifier: "M2", amount: 99, currency: "SAR", language: "ar", notificationType: "EMAIL",
                          linkCommand: "AUTHORIZATION", paymentOption: "VISA", merchantExtras: ["k": "v"],
                          text: LinkCustomerText(customerEmail: "zoë@exämple.de", customerPhone: "+447700900123")),
    ]

    static let items = [
        TemplatedLink(templates[0], merchantReference: "a/1", expiry: start.adding(seconds: 3_600)),
        TemplatedLink(templates[1], merchantReference: "b/1", expiry: start.adding(seconds: 7_200)),
        TemplatedLink(templates[0], merchantReference: "a/1", expiry: start.adding(seconds: 3_600)),
        TemplatedLink(templates[0], merchantReference: "c/1", expiry: start),
        TemplatedLink(templates[1], merchantReference: "d/1", expiry: start.adding(seconds: 60)),
    ]

    @Test func eachItem_isTheTemplateWithItsOwnReferenceAndExpiry() {
        let terms = Self.items[1].terms
        #expect(terms.merchantReference == "b/1" && terms.expiry == Self.start.adding(seconds: 7_200))
        #expect(terms.merchantIdentifier == "M2" && terms.amount == 99 && terms.currency == "SAR" && terms.language == "ar")
        #expect(terms.notificationType == "EMAIL" && terms.linkCommand == "AUTHORIZATION" && terms.paymentOption == "VISA")
        #expect(terms.merchantExtras == ["k": "v"] && terms.customerEmail == "zoë@exämple.de" && terms.customerPhone == "+447700900123")
        #expect(terms.customerName == nil && terms.orderDescription == nil)
    }

    @Test func linksFromTemplates_areThoseOfTheirWholeTerms_refusalsAtTheirIndex() throws {
        let templated = engine(), plain = engine()
        let created = templated.createLinks(from: Self.items)
        let made = plain.createLinks(Self.items.map { ($0.terms, nil) })
        #expect(created.views == made.compactMap { try? $0.get() })
        #expect(created.refused.map(\.index) == [2, 3])
        #expect(created.refused.map(\.error) == [.duplicateMerchantReference, .expiryNotInFuture])
        #expect(made.enumerated().filter { (try? $0.element.get()) == nil }.map(\.offset) == [2, 3])
        for view in created.views {
            #expect(templated.link(id: view.link.id) == plain.link(id: view.link.id))
        }
        for needle in ["ana.lima", "zoë", "a/1", "d/1", "rent"] {
            let query = LinkQuery(text: needle)
            #expect(templated.links(matching: query, newestFirst: 0, limit: 10).links.map(\.link.id)
                    == plain.links(matching: query, newestFirst: 0, limit: 10).links.map(\.link.id), "\(needle)")
        }
        #expect(templated.snapshot() == plain.snapshot())
    }

    /// A templated link's ID and reference are folded into the search text as they are added
    /// (`LinkTextIndex.append(id:reference:foldedTail:)`): capitals, text that is not ASCII and
    /// text too long to be held inline are found, with any case, as the whole terms' are.
    @Test func templatedReferences_areFoundInAnyCase_asTheWholeTermsAre() {
        let references = ["INV-77/1", "Facture-Été-2026-ÄÖÜ/1", String(repeating: "LongRef", count: 6) + "/1"]
        let items = references.map { TemplatedLink(Self.templates[0], merchantReference: $0, expiry: Self.start.adding(seconds: 3_600)) }
        let templated = engine(), plain = engine()
        let created = templated.createLinks(from: items)
        _ = plain.createLinks(items.map { ($0.terms, nil) })
        #expect(created.views.count == 3)
        for needle in ["inv-77", "INV-77/1", "été-2026-äöü", "FACTURE-ÉTÉ", "longreflongref", "/1"] {
            let query = LinkQuery(text: needle)
            let found = templated.links(matching: query, newestFirst: 0, limit: 10).links.map(\.link.id)
            #expect(!found.isEmpty, "\(needle)")
            #expect(found == plain.links(matching: query, newestFirst: 0, limit: 10).links.map(\.link.id), "\(needle)")
        }
        for view in created.views {
            let found = templated.links(matching: LinkQuery(text: view.link.id.uppercased()), newestFirst: 0, limit: 10).links
            #expect(found.map(\.link.id) == [view.link.id])
        }
    }
}
