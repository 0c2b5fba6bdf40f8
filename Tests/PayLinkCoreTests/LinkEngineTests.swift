import Dispatch
import PayLinkCore
import Synchronization
import Testing

struct LinkEngineTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    func engine(seed: UInt64? = 7) -> LinkEngine {
        LinkEngine(clock: SandboxClock(start: Self.start, mode: .frozen), seed: seed)
    }

    func draft(_ reference: String = "ref-1", merchant: String = "M1", expiresIn seconds: Int64 = 3_600) -> LinkTerms {
        LinkTerms(merchantIdentifier: merchant, merchantReference: reference, amount: 125_000, currency: "SAR",
                  customerEmail: "c@example.com", expiry: Self.start.adding(seconds: seconds))
    }

    @Test func createdLink_isOpen_withAnEighteenDigitIDAndAHexToken() throws {
        let view = try engine().createLink(draft())
        #expect(view.state == .open)
        #expect(view.link.id.count == 18)
        #expect(view.link.id.allSatisfy { $0.isNumber })
        #expect(view.link.id.first != "0")
        #expect(view.link.token.count == 16)
        #expect(view.link.token.allSatisfy { $0.isHexDigit })
    }

    @Test func sameSeed_givesTheSameIDs_andOtherSeedsDiffer() throws {
        let a = try (1...5).map { try engine(seed: 42).createLink(draft("r\($0)")).link.id }
        let b = try (1...5).map { try engine(seed: 42).createLink(draft("r\($0)")).link.id }
        let c = try (1...5).map { try engine(seed: 43).createLink(draft("r\($0)")).link.id }
        #expect(a == b)
        #expect(a != c)
    }

    @Test func unseededTokens_areUnique() throws {
        let e = engine(seed: nil)
        let tokens = try (0..<500).map { try e.createLink(draft("r\($0)")).link.token }
        #expect(Set(tokens).count == 500)
    }

    @Test func merchantReference_isUniquePerMerchant() throws {
        let e = engine()
        _ = try e.createLink(draft("dup", merchant: "M1"))
        #expect(throws: LinkError.duplicateMerchantReference) { try e.createLink(draft("dup", merchant: "M1")) }
        _ = try e.createLink(draft("dup", merchant: "M2"))
        #expect(e.links().count == 2)
    }

    @Test func requestedID_isUsed_andADuplicateIsError126() throws {
        let e = engine()
        #expect(try e.createLink(draft("a"), requestedID: "148708392700020346").link.id == "148708392700020346")
        #expect(throws: LinkError.duplicateLinkID) { try e.createLink(draft("b"), requestedID: "148708392700020346") }
        #expect(LinkError.duplicateLinkID.apsMessageCode == "126")
    }

    @Test func expiryInThePast_isRefusedAtCreation() {
        #expect(throws: LinkError.expiryNotInFuture) { try engine().createLink(draft(expiresIn: 0)) }
    }

    @Test func movingTheClock_expiresALinkAtOnce() throws {
        let e = engine()
        let id = try e.createLink(draft(expiresIn: 60)).link.id
        try e.clock.advance(milliseconds: 60_000)
        #expect(e.link(id: id)?.state == .expired)
        #expect(throws: LinkError.expired) { try e.pay(id: id) }
    }

    @Test func lookups_byIDReferenceAndToken_findTheSameLink() throws {
        let e = engine()
        let link = try e.createLink(draft("find-me")).link
        #expect(e.link(id: link.id)?.link == link)
        #expect(e.link(merchant: "M1", reference: "find-me")?.link == link)
        #expect(e.link(token: link.token)?.link == link)
        #expect(e.link(merchant: "M2", reference: "find-me") == nil)
        #expect(e.link(id: "999") == nil)
    }

    struct LentLink: Equatable, Sendable {
        var link: PaymentLink
        var state: LinkState
        var now: SandboxInstant
    }

    @Test func aLentLink_isTheLinkTheLookupGives_recentOrBuiltFromItsRecord() throws {
        let e = engine()
        let made = try e.createLink(draft("lent"))
        // Recent (just made), then after 300 more links have pushed it out of the recent ones.
        for round in 0..<2 {
            var lent: LentLink?
            #expect(e.withLink(merchant: "M1", reference: "lent") { link, state, now, _ in lent = LentLink(link: copy link, state: state, now: now) })
            let looked = try #require(e.link(merchant: "M1", reference: "lent"))
            #expect(lent == LentLink(link: looked.link, state: looked.state, now: looked.now))
            #expect(lent?.link == made.link)
            if round == 0 { for index in 0..<300 { _ = try e.createLink(draft("filler-\(index)")) } }
        }
        #expect(!e.withLink(merchant: "M2", reference: "lent") { _, _, _, _ in })
        #expect(!e.withLink(merchant: "M1", reference: "absent") { _, _, _, _ in })
    }

    /// A lent link is said to have plain shown text only when it has: every text a status
    /// check shows printable ASCII without `"` or `\` (the merchant extras are not shown).
    /// Read twice, so the second read is of the recent link, which keeps the flag.
    @Test func aLentLink_isKnownPlain_onlyWhenItsShownTextIs() throws {
        let e = engine()
        func terms(_ reference: String, _ change: (inout LinkTerms) -> Void) -> LinkTerms {
            var terms = draft(reference)
            change(&terms)
            return terms
        }
        let cases: [(LinkTerms, Bool)] = [
            (draft("plain"), true),
            (terms("quote") { $0.customerName = #"O"Brien"# }, false),
            (terms("backslash") { $0.orderDescription = #"a\b"# }, false),
            (terms("control") { $0.customerPhone = "1\t2" }, false),
            (terms("non-ascii") { $0.customerName = "Zoë" }, false),
            (terms("delete") { $0.customerEmail = "c\u{7F}@example.com" }, false),
            (terms("currency") { $0.currency = "S\"R" }, false),
            (terms("extras") { $0.merchantExtras = ["merchant_extra": #"not "shown""#] }, true),
        ]
        for (terms, plain) in cases {
            _ = try e.createLink(terms)
            var lent: [Bool] = [], shown: [Bool] = []
            for _ in 0..<2 {
                let found = e.withLink(merchant: "M1", reference: terms.merchantReference) { link, _, _, known in
                    shown.append(link.shownTextIsPlain)
                    lent.append(known)
                }
                #expect(found)
            }
            #expect(shown == [plain, plain], "\(terms.merchantReference)")
            #expect(lent.last == plain, "\(terms.merchantReference)")
            #expect(plain || !lent.contains(true), "\(terms.merchantReference)")
        }
    }

    @Test func unknownLink_isError149() {
        #expect(throws: LinkError.notFound) { try engine().pay(id: "123") }
        #expect(LinkError.notFound.apsMessageCode == "149")
    }

    @Test func concurrentPayments_ofOneLink_giveExactlyOnePaid() throws {
        let e = engine()
        let id = try e.createLink(draft()).link.id
        let successes = Atomic<Int>(0), refusals = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            do {
                _ = try e.pay(id: id)
                successes.add(1, ordering: .relaxed)
            } catch {
                #expect(error as? LinkError == .alreadyPaid)
                refusals.add(1, ordering: .relaxed)
            }
        }
        #expect(successes.load(ordering: .relaxed) == 1)
        #expect(refusals.load(ordering: .relaxed) == 63)
    }

    @Test func concurrentCreations_withOneReference_giveExactlyOneLink() {
        let e = engine()
        let created = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 32) { _ in
            if (try? e.createLink(draft("same"))) != nil { created.add(1, ordering: .relaxed) }
        }
        #expect(created.load(ordering: .relaxed) == 1)
        #expect(e.links().count == 1)
    }

    @Test func reset_forgetsEveryLink() throws {
        let e = engine()
        _ = try e.createLink(draft())
        e.reset()
        #expect(e.links().isEmpty)
        _ = try e.createLink(draft())  // the reference is free again
    }
}

/// Declined and uncertain payments: transactions with their own `fort_id` that leave the link Open.
struct PaymentTransactionTests {
    let engine = LinkEngine(clock: SandboxClock(start: LinkEngineTests.start, mode: .frozen), seed: 3)

    func link(_ reference: String = "r") throws -> String {
        try engine.createLink(LinkTerms(merchantIdentifier: "M", merchantReference: reference, amount: 500, currency: "SAR",
                                        customerEmail: "c@example.com", expiry: LinkEngineTests.start.adding(seconds: 3_600))).link.id
    }

    @Test func aDecline_recordsATransaction_andTheLinkStaysPayable() throws {
        let id = try link()
        let code = APSResponseCode(status: "13", message: "029")
        let (view, order) = try engine.declinedPayment(id: id, details: PaymentDetails(maskedCardNumber: "400000******0028"), code: code)
        #expect(view.state == .open && order.status == .declined(code) && order.authorizationCode.isEmpty)
        #expect(order.authorizedAmount == 0 && order.capturedAmount == 0 && order.refundableAmount == 0)
        #expect(view.link.failedAttempts.map(\.fortID) == [order.fortID])
        #expect(throws: OrderError.operationNotAllowed) { try engine.refund(fortID: order.fortID, amount: 1, currency: nil, maintenanceReference: nil) }
        let (paid, second) = try engine.payment(id: id, details: PaymentDetails())
        #expect(paid.state == .paid && second.fortID != order.fortID)
        #expect(engine.order(merchant: "M", reference: "r")?.fortID == second.fortID)
    }

    @Test func anUncertainPayment_blocksTheLink_untilItsTimeComes() throws {
        let id = try link()
        let due = LinkEngineTests.start.adding(seconds: 60)
        let (view, order) = try engine.uncertainPayment(id: id, details: PaymentDetails(), resolvesAt: due, approves: true)
        #expect(view.link.pendingFortID == order.fortID)
        #expect(throws: LinkError.transactionPending) { try engine.payment(id: id, details: PaymentDetails()) }
        #expect(throws: OrderError.notConfirmed) { try engine.capture(fortID: order.fortID, amount: 1, currency: nil) }
        #expect(engine.resolveDueUncertainPayments().isEmpty)
        try engine.clock.advance(milliseconds: 60_000)
        let resolved = engine.resolveDueUncertainPayments()
        #expect(resolved.count == 1 && resolved[0].order.status == .approved && resolved[0].link?.state == .paid)
        #expect(resolved[0].link?.link.failedAttempts.isEmpty == true)
        #expect(engine.order(fortID: order.fortID)?.capturedAmount == 500)
        #expect(engine.resolveDueUncertainPayments().isEmpty)
    }

    @Test func anUncertainApproval_ofALinkThatExpiredMeanwhile_endsDeclined() throws {
        let id = try link()
        let (_, order) = try engine.uncertainPayment(id: id, details: PaymentDetails(), resolvesAt: LinkEngineTests.start.adding(seconds: 60),
                                                     approves: true)
        try engine.clock.advance(milliseconds: 7_200_000)
        let resolved = engine.resolveDueUncertainPayments()
        #expect(resolved.first?.order.status == .declined(APSResponseCode(status: "13", message: "666")))
        #expect(resolved.first?.link?.state == .expired)
        #expect(engine.link(id: id)?.link.pendingFortID == nil && engine.order(fortID: order.fortID)?.capturedAmount == 0)
    }
}
