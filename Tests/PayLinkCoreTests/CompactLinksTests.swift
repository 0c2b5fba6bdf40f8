import PayLinkCore
import Testing

/// The compact link store: every field of a link comes back as it went in, whatever its
/// shape (numeric or text IDs and tokens, absent and present optional fields, non-ASCII text,
/// extras, failed attempts); lookups by ID, token and merchant reference find exactly the
/// link they name through growth of the tables and rewrites of the text buffer.
struct CompactLinksTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)

    static func link(_ i: Int, merchant: String = "MERCH", idAsText: Bool = false, tokenAsText: Bool = false) -> PaymentLink {
        var terms = LinkTerms(
            merchantIdentifier: merchant, merchantReference: "order-\(i)", amount: Int64(1000 + i), currency: i % 2 == 0 ? "SAR" : "AED",
            language: i % 3 == 0 ? "ar" : "en", customerEmail: "customer\(i)@example.com",
            expiry: start.adding(seconds: Int64(86_400 + i)))
        if i % 2 == 0 { terms.customerName = "Zoë Çelik \(i)" }
        if i % 3 == 0 { terms.customerPhone = "+9665012345\(i % 100)" }
        if i % 4 == 0 { terms.orderDescription = "طلب رقم \(i)" }
        if i % 5 == 0 { terms.returnURL = "https://shop.example.com/return?i=\(i)" }
        if i % 6 == 0 { terms.paymentOption = "MADA" }
        if i % 7 == 0 { terms.merchantExtras = ["merchant_extra": "x\(i)", "merchant_extra3": ""] }
        if i % 8 == 0 { terms.settlementReference = "SETTLE\(i)" }
        if i % 9 == 0 { terms.notificationType = "EMAIL"; terms.linkCommand = "AUTHORIZATION" }
        let id = idAsText ? "merchant-id-\(i)" : String(100_000_000_000_000_000 + i)
        let token = tokenAsText ? "Token-\(i)" : String(UInt64(i) &* 0x9E37_79B9_7F4A_7C15, radix: 16).leftPadded(to: 16)
        var link = PaymentLink(id: id, token: token, terms: terms, createdAt: start.adding(seconds: Int64(i)))
        switch i % 10 {
        case 1:
            link.lifecycle = .paid
            link.paidAt = start.adding(seconds: Int64(i + 60))
        case 2: link.lifecycle = .closed
        case 3:
            link = link.recording(PaymentAttempt(at: start, responseCode: "13029", maskedCardNumber: "400555******0001", fortID: "9\(i)"))
            link.pendingFortID = "9\(i)"
        default: break
        }
        // A snapshot may carry counts up to 2^53.
        link.userAttemptsCount = i % 500 == 5 ? 1 << 40 : i % 11
        return link
    }

    @Test func everyLinkComesBackAsStored_andIsFoundByIDTokenAndReference() {
        var links = CompactLinks()
        var stored: [PaymentLink] = []
        for i in 0..<3_000 {
            let link = Self.link(i, merchant: ["M1", "M2", "Mer-3"][i % 3], idAsText: i % 50 == 7, tokenAsText: i % 70 == 9)
            #expect(links.append(link) == i)
            stored.append(link)
        }
        #expect(links.count == stored.count)
        for (i, link) in stored.enumerated() {
            #expect(links[i] == link)
            #expect(links.ordinal(id: link.id) == i)
            #expect(links.ordinal(token: link.token) == i)
            #expect(links.ordinal(merchant: link.merchantIdentifier, reference: link.merchantReference) == i)
            #expect(links.id(i) == link.id)
            #expect(links.merchantIdentifier(i) == link.merchantIdentifier)
        }
        #expect(links.ordinal(id: "100000000000000000") == 0)
        #expect(links.ordinal(id: "0100000000000000000") == nil)
        #expect(links.ordinal(id: "999999999999999999") == nil)
        #expect(links.ordinal(id: "merchant-id-8") == nil)
        #expect(links.ordinal(token: "0000000000000000") == 0)
        #expect(links.ordinal(token: "Token-8") == nil)
        #expect(links.ordinal(merchant: "M2", reference: "order-0") == nil)
        #expect(links.ordinal(merchant: "nobody", reference: "order-0") == nil)
        #expect(Set(links.merchantIdentifiers) == ["M1", "M2", "Mer-3"])
    }

    /// Tokens that look almost like a generated one (16 lowercase hex digits, kept as a
    /// number) are kept as text, come back as stored and are told apart from it.
    @Test func tokensNearlyOfTheGeneratedShape_areKeptAsText() {
        var links = CompactLinks()
        let tokens = ["0123456789abcdef", "0123456789ABCDEF", "0123456789abcdeg", "0123456789abcde", "0123456789abcdef0",
                      "0123456789abcd\u{E9}", "", "ffffffffffffffff", "000000000000000f"]
        for (i, token) in tokens.enumerated() {
            let base = Self.link(i)
            #expect(links.append(PaymentLink(id: base.id, token: token, terms: base.terms, createdAt: base.createdAt)) == i)
        }
        for (i, token) in tokens.enumerated() {
            #expect(links[i].token == token)
            #expect(links.ordinal(token: token) == i)
        }
        #expect(links.ordinal(token: "0123456789abcdee") == nil)
    }

    @Test func referencesOfEveryLengthAroundAWord_areFoundExactly() {
        var links = CompactLinks()
        let references = ["a", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq", "abcdefghijklmnopX"]
        for (i, reference) in references.enumerated() {
            let terms = LinkTerms(merchantIdentifier: "M1", merchantReference: reference, amount: 100, currency: "SAR",
                                  customerEmail: "c@example.com", expiry: Self.start.adding(seconds: 86_400))
            links.append(PaymentLink(id: String(100_000_000_000_000_000 + i), token: String(i).leftPadded(to: 16), terms: terms, createdAt: Self.start))
        }
        for (i, reference) in references.enumerated() {
            #expect(links.ordinal(merchant: "M1", reference: reference) == i)
            #expect(links.ordinal(merchant: "M1", reference: reference + "z") == nil)
            #expect(links.ordinal(merchant: "M1", reference: "Z" + reference.dropFirst()) == nil)
        }
        #expect(links.ordinal(merchant: "M1", reference: "") == nil)
    }

    @Test func replacedLinksKeepTheirPlace_andTextRewritesLoseNothing() {
        var links = CompactLinks()
        links.reserveCapacity(forMore: 500)
        var stored = (0..<500).map { Self.link($0) }
        for link in stored { links.append(link) }
        // Enough text changes to rewrite the buffer several times over.
        for round in 0..<40 {
            for i in stride(from: round % 7, to: stored.count, by: 3) {
                var next = stored[i]
                next.customerEmail = "round\(round)-\(String(repeating: "x", count: 2_000))@example.com"
                next.customerName = round % 2 == 0 ? nil : "Name \(round)"
                next.lifecycle = round % 3 == 0 ? .closed : .open
                next.failedAttempts = round % 4 == 0 ? [] : [PaymentAttempt(at: Self.start, responseCode: "13029", maskedCardNumber: nil)]
                next.merchantExtras = round % 5 == 0 ? [:] : ["merchant_extra2": "r\(round)"]
                links.replace(i, with: next)
                stored[i] = next
            }
        }
        for (i, link) in stored.enumerated() {
            #expect(links[i] == link)
            // Read through the recent links too, whose slots 500 links share many times over.
            #expect(links.reading(i) == link && links.reading((i + 256) % stored.count) == stored[(i + 256) % stored.count])
            #expect(links.ordinal(merchant: "MERCH", reference: link.merchantReference) == i)
            #expect(links.ordinal(token: link.token) == i)
        }
    }

    /// `appendNew` looks for each key and finds its place in one walk: a link whose ID, token
    /// or merchant reference another holds (numeric or text, failed attempts and all) is
    /// refused naming the key and the holder, and leaves the store exactly as it was.
    @Test func appendNew_refusesADuplicateKey_andChangesNothing() throws {
        var links = CompactLinks()
        var stored: [PaymentLink] = []
        for i in 0..<200 {
            let link = Self.link(i, merchant: i % 2 == 0 ? "M1" : "M2", idAsText: i % 5 == 1, tokenAsText: i % 7 == 2)
            #expect(try links.appendNew(link) == i)
            stored.append(link)
        }
        func refusal(_ link: PaymentLink) -> CompactLinks.Duplicate? {
            do { _ = try links.appendNew(link) } catch { return error }
            return nil
        }
        var fresh = Self.link(500, merchant: "M1")
        fresh.failedAttempts = [PaymentAttempt(at: Self.start, responseCode: "13029", maskedCardNumber: nil)]
        fresh.userAttemptsCount = 1 << 40
        func keyed(id: String? = nil, token: String? = nil, terms: LinkTerms? = nil) -> PaymentLink {
            var link = PaymentLink(id: id ?? fresh.id, token: token ?? fresh.token, terms: terms ?? fresh.terms, createdAt: fresh.createdAt)
            (link.failedAttempts, link.userAttemptsCount) = (fresh.failedAttempts, fresh.userAttemptsCount)
            return link
        }
        #expect(refusal(keyed(id: stored[4].id)) == CompactLinks.Duplicate(key: .id, ordinal: 4))
        #expect(refusal(keyed(id: stored[6].id)) == CompactLinks.Duplicate(key: .id, ordinal: 6))
        #expect(refusal(keyed(token: stored[3].token)) == CompactLinks.Duplicate(key: .token, ordinal: 3))
        #expect(refusal(keyed(token: stored[9].token)) == CompactLinks.Duplicate(key: .token, ordinal: 9))
        #expect(refusal(keyed(terms: stored[8].terms)) == CompactLinks.Duplicate(key: .merchantReference, ordinal: 8))
        // The same reference at another merchant is another key.
        let otherMerchant = keyed(terms: Self.link(9, merchant: "M1").terms)
        #expect(links.count == stored.count)
        #expect(try links.appendNew(otherMerchant) == stored.count)
        stored.append(otherMerchant)
        for (i, link) in stored.enumerated() {
            #expect(links[i] == link)
            #expect(links.ordinal(id: link.id) == i && links.ordinal(token: link.token) == i)
            #expect(links.ordinal(merchant: link.merchantIdentifier, reference: link.merchantReference) == i)
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
