import PayLinkJSON
import PayLinkCore
import Testing

/// Snapshots of the core's state: what is taken comes back exactly, the restored engine goes on
/// as the original would have, and an inconsistent snapshot is refused without a change.
struct EngineSnapshotTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    func engine(seed: UInt64? = 7) -> LinkEngine {
        LinkEngine(clock: SandboxClock(start: Self.start, mode: .frozen), seed: seed)
    }

    func draft(_ reference: String, command: String = "PURCHASE", expiresIn seconds: Int64 = 3_600) -> LinkTerms {
        LinkTerms(merchantIdentifier: "M1", merchantReference: reference, amount: 125_000, currency: "SAR",
                  customerEmail: "c@example.com", customerName: "Noura", linkCommand: command, expiry: Self.start.adding(seconds: seconds))
    }

    /// Links in every state and orders with every kind of history.
    func populated(seed: UInt64? = 7) throws -> LinkEngine {
        let e = engine(seed: seed)
        let card = PaymentDetails(maskedCardNumber: "400555******0001", paymentOption: "VISA", expiryDate: "2705")
        _ = try e.recordOpening(id: try e.createLink(draft("open")).link.id)
        let purchase = try e.payment(id: try e.createLink(draft("paid")).link.id, details: card).order
        _ = try e.refund(fortID: purchase.fortID, amount: 5_000, currency: "SAR", maintenanceReference: "r-1")
        let auth = try e.payment(id: try e.createLink(draft("auth", command: "AUTHORIZATION")).link.id, details: card).order
        _ = try e.capture(fortID: auth.fortID, amount: 100_000, currency: nil)
        let voided = try e.payment(id: try e.createLink(draft("void", command: "AUTHORIZATION")).link.id, details: card).order
        _ = try e.voidAuthorization(fortID: voided.fortID)
        let retried = try e.createLink(draft("retried")).link.id
        _ = try e.declinedPayment(id: retried, details: card, code: APSResponseCode(status: "13", message: "029"))
        _ = try e.payment(id: retried, details: card)
        let uncertain = try e.createLink(draft("uncertain")).link.id
        _ = try e.uncertainPayment(id: uncertain, details: card, resolvesAt: Self.start.adding(seconds: 60), approves: true)
        _ = try e.update(id: try e.createLink(draft("closed")).link.id, LinkStateMachine.Update(status: .closed))
        _ = try e.recordFailedAttempt(id: try e.createLink(draft("abandoned")).link.id, responseCode: "13072", maskedCardNumber: nil)
        return e
    }

    @Test func restoredEngine_givesBackTheSameSnapshot() throws {
        let original = try populated()
        let snapshot = original.snapshot()
        #expect(snapshot.links.map(\.merchantReference) == ["open", "paid", "auth", "void", "retried", "uncertain", "closed", "abandoned"])
        #expect(snapshot.orders.count == 6)
        let copy = engine(seed: 99)
        try copy.restore(snapshot)
        #expect(copy.snapshot() == snapshot)
        #expect(copy.links() == original.links())
    }

    @Test func restoredEngine_makesTheSameIdentifiersNext() throws {
        let original = try populated()
        let copy = engine(seed: nil)
        try copy.restore(original.snapshot())
        let a = try original.createLink(draft("next")), b = try copy.createLink(draft("next"))
        #expect(a.link.id == b.link.id && a.link.token == b.link.token)
        let x = try original.payment(id: a.link.id, details: PaymentDetails()).order
        let y = try copy.payment(id: b.link.id, details: PaymentDetails()).order
        #expect(x.fortID == y.fortID && x.authorizationCode == y.authorizationCode)
    }

    @Test func restoredEngine_resolvesTheUncertainPaymentAsTheOriginalDoes() throws {
        let original = try populated()
        let copy = engine()
        try copy.restore(original.snapshot())
        let id = try #require(original.link(merchant: "M1", reference: "uncertain")).link.id
        #expect(copy.link(id: id)?.link.pendingFortID != nil)
        // A refused payment still draws a fort_id, so both engines are asked alike.
        for e in [original, copy] { #expect(throws: LinkError.transactionPending) { try e.pay(id: id) } }
        for e in [original, copy] { try e.clock.advance(milliseconds: 60_000) }
        let a = original.resolveDueUncertainPayments(), b = copy.resolveDueUncertainPayments()
        #expect(a.map(\.order) == b.map(\.order) && a.count == 1)
        #expect(copy.link(id: id)?.state == .paid)
        #expect(copy.snapshot() == original.snapshot())
    }

    @Test func restoredEngine_findsTheNewestOrderOfAReference_andKeepsAmountBounds() throws {
        let original = try populated()
        let copy = engine()
        try copy.restore(original.snapshot())
        #expect(copy.order(merchant: "M1", reference: "retried") == original.order(merchant: "M1", reference: "retried"))
        #expect(copy.order(merchant: "M1", reference: "retried")?.status == .approved)
        let auth = try #require(copy.order(merchant: "M1", reference: "auth"))
        #expect(throws: OrderError.exceedsAuthorizedAmount) { try copy.capture(fortID: auth.fortID, amount: 25_001, currency: nil) }
        #expect(try copy.capture(fortID: auth.fortID, amount: 25_000, currency: nil).capturedAmount == 125_000)
    }

    @Test func aSnapshotWithTheSeededGenerator_continuesItsSequence() {
        var a = IDGenerator(seed: 5)
        _ = a.numericID()
        var b = IDGenerator(snapshot: a.snapshot)
        #expect(a.numericID() == b.numericID() && a.hexToken() == b.hexToken())
        #expect(IDGenerator(seed: nil).snapshot == .system)
    }

    @Test func inconsistentSnapshots_areRefused_andTheEngineIsUnchanged() throws {
        let e = try populated()
        let before = e.snapshot()
        func refusal(_ change: (inout EngineSnapshot) -> Void) -> SnapshotError? {
            var bad = before
            change(&bad)
            do { try e.restore(bad) } catch { return error }
            return nil
        }
        #expect(refusal { $0.links.append($0.links[0]) }?.path == "links[8].payment_link_id")
        #expect(refusal { $0.links[2].userAttemptsCount = -1 }?.path == "links[2].user_attempts_count")
        #expect(refusal { $0.links[0].pendingFortID = "123" }?.description == "links[0].pending_fort_id: must name an uncertain order of this link")
        #expect(refusal { $0.orders[0].operations = [] }?.path == "orders[0].operations")
        #expect(refusal { $0.orders[0].refundedAmount = 200_000 }?.path == "orders[0].refunded_amount")
        #expect(refusal { $0.orders[1].capturedAmount = 125_001 }?.path == "orders[1].captured_amount")
        #expect(refusal { $0.orders.append($0.orders[3]) }?.path == "orders[6].fort_id")
        #expect(e.snapshot() == before)
    }

    @Test func clockRestore_setsTheInstantAndModeTogether() throws {
        let clock = SandboxClock(start: Self.start, mode: .running)
        let at = Self.start.adding(milliseconds: 86_400_123)
        clock.restore(.restored(now: at, mode: .frozen))
        #expect(clock.reading() == .restored(now: at, mode: .frozen))
    }

    @Test func aRestoredRunningClock_runsOnFromTheSavedInstant() {
        let real = ManualTimeSource(5_000_000)
        let clock = SandboxClock(start: Self.start, mode: .frozen, source: real)
        let saved = SandboxInstant(millisecondsSince1970: 1_800_000_000_250)
        clock.restore(.restored(now: saved, mode: .running))
        real.move(1_500)
        #expect(clock.reading() == .restored(now: saved.adding(milliseconds: 1_500), mode: .running))
    }

    @Test func outboxSnapshot_roundTrips_andKeepsItsSequence() throws {
        let clock = SandboxClock(start: Self.start, mode: .frozen)
        let outbox = Outbox(clock: clock, capacity: 2)
        for n in 1...3 {
            outbox.send(.init(channel: .sms, recipient: "+9665000000\(n)", text: "pay", merchantIdentifier: "M1", paymentLinkID: nil))
        }
        let snapshot = outbox.snapshot()
        #expect(snapshot.droppedCount == 1 && snapshot.nextSequence == 4)
        try snapshot.validate(capacity: 2)
        let copy = Outbox(clock: clock, capacity: 2)
        copy.restore(snapshot)
        #expect(copy.snapshot() == snapshot)
        #expect(copy.send(.init(channel: .email, recipient: "a@b.c", text: "x", merchantIdentifier: "M1", paymentLinkID: nil)).sequence == 4)
        #expect(throws: SnapshotError.self) { try snapshot.validate(capacity: 1) }
    }
}
