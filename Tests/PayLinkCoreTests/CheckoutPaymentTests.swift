import PayLinkCore
import Synchronization
import Testing

/// Payments made without a link (`LinkEngine.checkoutPayment`): one order each, under the
/// same rules as a link's order.
struct CheckoutPaymentTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)

    func engine() -> LinkEngine { LinkEngine(clock: SandboxClock(start: Self.start, mode: .frozen), seed: 7) }

    func terms(_ reference: String = "co-1", command: TransactionCommand = .purchase) -> CheckoutTerms {
        CheckoutTerms(merchantIdentifier: "M1", merchantReference: reference, command: command, currency: "SAR", amount: 10_000,
                      requestFields: ["customer_email": "c@example.com", "eci": "RECURRING"])
    }

    @Test func anApprovedPayment_makesAnOrderWithoutALink_thatKeepsTheRequestFields() throws {
        let engine = engine()
        let order = try engine.checkoutPayment(terms(), details: PaymentDetails(maskedCardNumber: "400555******0001"), status: .approved)
        #expect(order.paymentLinkID == nil)
        #expect(order.capturedAmount == 10_000)
        #expect(order.authorizationCode.count == 6)
        #expect(order.requestFields["eci"] == "RECURRING")
        #expect(engine.order(fortID: order.fortID) == order)
        #expect(engine.order(merchant: "M1", reference: "co-1") == order)
        #expect(engine.hasReference(merchant: "M1", reference: "co-1"))
    }

    @Test func aReferenceInUse_byAnOrderOrALink_isRefused() throws {
        let engine = engine()
        _ = try engine.checkoutPayment(terms(), details: PaymentDetails(), status: .declined(APSResponseCode(status: "13", message: "029")))
        #expect(throws: CheckoutError.duplicateReference) {
            try engine.checkoutPayment(terms(), details: PaymentDetails(), status: .approved)
        }
        _ = try engine.createLink(LinkTerms(merchantIdentifier: "M1", merchantReference: "link-ref", amount: 1, currency: "SAR",
                                            customerEmail: "c@example.com", expiry: Self.start.adding(seconds: 60)))
        #expect(throws: CheckoutError.duplicateReference) {
            try engine.checkoutPayment(terms("link-ref"), details: PaymentDetails(), status: .approved)
        }
        // Another merchant's reference space is its own.
        var other = terms()
        other.merchantIdentifier = "M2"
        _ = try engine.checkoutPayment(other, details: PaymentDetails(), status: .approved)
    }

    @Test func aReservedFortID_namesTheOrder_andATakenOneIsRefused() throws {
        let engine = engine()
        let reserved = engine.reserveFortID()
        let order = try engine.checkoutPayment(terms(), details: PaymentDetails(), status: .approved, fortID: reserved)
        #expect(order.fortID == reserved)
        #expect(throws: CheckoutError.fortIDTaken) {
            try engine.checkoutPayment(terms("co-2"), details: PaymentDetails(), status: .approved, fortID: reserved)
        }
    }

    /// With no link to pay, an uncertain payment that approves is simply approved when due.
    @Test(arguments: [true, false])
    func anUncertainPayment_settlesByItself(approves: Bool) throws {
        let clock = SandboxClock(start: Self.start, mode: .frozen)
        let engine = LinkEngine(clock: clock, seed: 7)
        let events = Mutex<[String]>([])
        engine.events.subscribe { event in
            if case .checkoutPayment(let order) = event { events.withLock { $0.append("checkout \(order.status.code(for: .purchase).code)") } }
            if case .paymentSettled(nil, let order) = event { events.withLock { $0.append("settled \(order.status.code(for: .purchase).code)") } }
        }
        let order = try engine.checkoutPayment(terms(), details: PaymentDetails(),
                                               status: .uncertain(resolvesAt: Self.start.adding(seconds: 60), approves: approves))
        #expect(engine.resolveDueUncertainPayments().isEmpty)
        _ = try clock.advance(milliseconds: 60_000)
        let settled = engine.resolveDueUncertainPayments()
        #expect(settled.count == 1 && settled[0].link == nil)
        let now = try #require(engine.order(fortID: order.fortID))
        #expect(now.status == (approves ? .approved : .declined(APSResponseCode(status: "13", message: "666"))))
        #expect(now.capturedAmount == (approves ? 10_000 : 0))
        #expect(events.withLock { $0 } == ["checkout 15777", "settled \(approves ? "14000" : "13666")"])
    }
}
