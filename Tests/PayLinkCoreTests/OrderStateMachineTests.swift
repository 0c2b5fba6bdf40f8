import Dispatch
import PayLinkCore
import Synchronization
import Testing

struct OrderStateMachineTests {
    let t0 = SandboxInstant(secondsSince1970: 1_000_000)

    func order(_ command: TransactionCommand, amount: Int64 = 10_000) -> Order {
        Order(fortID: "169996200023293942", merchantIdentifier: "M", merchantReference: "R", paymentLinkID: nil,
              command: command, currency: "SAR", amount: amount, authorizationCode: "123456", payment: PaymentDetails(),
              createdAt: t0)
    }

    @Test func purchase_isCapturedAtOnce() {
        let o = order(.purchase)
        #expect(o.capturedAmount == 10_000 && o.refundableAmount == 10_000 && o.capturableAmount == 0)
    }

    @Test func partialCaptures_addUp_andMoreThanAuthorizedIs042() throws {
        var o = try OrderStateMachine.capture(order(.authorization), amount: 4_000, currency: "SAR", at: t0)
        o = try OrderStateMachine.capture(o, amount: 6_000, currency: nil, at: t0)
        #expect(o.capturedAmount == 10_000)
        #expect(throws: OrderError.exceedsAuthorizedAmount) { try OrderStateMachine.capture(o, amount: 1, currency: nil, at: t0) }
        #expect(OrderError.exceedsAuthorizedAmount.apsMessageCode == "042")
    }

    @Test func capture_ofAPurchase_isNotAllowed() {
        #expect(throws: OrderError.operationNotAllowed) { try OrderStateMachine.capture(order(.purchase), amount: 1, currency: nil, at: t0) }
    }

    @Test func capture_inAnotherCurrency_is013() {
        #expect(throws: OrderError.currencyMismatch) { try OrderStateMachine.capture(order(.authorization), amount: 1, currency: "USD", at: t0) }
    }

    @Test func void_takesTheWholeAuthorization_once() throws {
        let voided = try OrderStateMachine.voidAuthorization(order(.authorization), at: t0)
        #expect(voided.voided && voided.lastOperation.command == .voidAuthorization)
        #expect(throws: OrderError.alreadyVoided) { try OrderStateMachine.voidAuthorization(voided, at: t0) }
        #expect(throws: OrderError.alreadyVoided) { try OrderStateMachine.capture(voided, amount: 1, currency: nil, at: t0) }
    }

    @Test func void_ofAnAmountOtherThanTheAuthorized_isRefusedWith005_partialVoidsDoNotExist() throws {
        for amount: Int64 in [9_999, 10_001, 1] {
            #expect(throws: OrderError.partialVoid) { try OrderStateMachine.voidAuthorization(order(.authorization), amount: amount, at: t0) }
        }
        #expect(OrderError.partialVoid.apsMessageCode == "005")
        #expect(throws: OrderError.currencyMismatch) {
            try OrderStateMachine.voidAuthorization(order(.authorization), amount: 10_000, currency: "USD", at: t0)
        }
        let voided = try OrderStateMachine.voidAuthorization(order(.authorization), amount: 10_000, currency: "SAR", at: t0)
        #expect(voided.voided)
    }

    @Test func void_afterACapture_isNotAllowed() throws {
        let captured = try OrderStateMachine.capture(order(.authorization), amount: 1, currency: nil, at: t0)
        #expect(throws: OrderError.operationNotAllowed) { try OrderStateMachine.voidAuthorization(captured, at: t0) }
    }

    @Test func void_isAllowedForSevenDaysOnly() throws {
        let sevenDays = t0.adding(milliseconds: OrderStateMachine.voidWindowMilliseconds)
        _ = try OrderStateMachine.voidAuthorization(order(.authorization), at: sevenDays)
        #expect(throws: OrderError.authorizationExpired) {
            try OrderStateMachine.voidAuthorization(order(.authorization), at: sevenDays.adding(milliseconds: 1))
        }
    }

    @Test func refunds_arePartial_boundedByTheCapturedAmount_with048() throws {
        var o = try OrderStateMachine.refund(order(.purchase), amount: 3_000, currency: "SAR", maintenanceReference: nil, at: t0)
        o = try OrderStateMachine.refund(o, amount: 7_000, currency: nil, maintenanceReference: nil, at: t0)
        #expect(o.refundedAmount == 10_000 && o.refundableAmount == 0)
        #expect(throws: OrderError.exceedsCapturedAmount) { try OrderStateMachine.refund(o, amount: 1, currency: nil, maintenanceReference: nil, at: t0) }
        #expect(OrderError.exceedsCapturedAmount.apsMessageCode == "048")
    }

    @Test func refund_ofAnUncapturedAuthorization_isNotAllowed_andAfterCaptureIsBoundedByIt() throws {
        #expect(throws: OrderError.operationNotAllowed) {
            try OrderStateMachine.refund(order(.authorization), amount: 1, currency: nil, maintenanceReference: nil, at: t0)
        }
        let captured = try OrderStateMachine.capture(order(.authorization), amount: 2_500, currency: nil, at: t0)
        #expect(throws: OrderError.exceedsCapturedAmount) {
            try OrderStateMachine.refund(captured, amount: 2_501, currency: nil, maintenanceReference: nil, at: t0)
        }
        #expect(try OrderStateMachine.refund(captured, amount: 2_500, currency: nil, maintenanceReference: nil, at: t0).refundedAmount == 2_500)
    }

    @Test func maintenanceReference_cannotRefundTwice_butADeclinedOneCanBeRetried() throws {
        // Declined (too much): nothing recorded, so the same reference may be used again.
        let o = order(.purchase)
        #expect(throws: OrderError.exceedsCapturedAmount) { try OrderStateMachine.refund(o, amount: 99_999, currency: nil, maintenanceReference: "m-1", at: t0) }
        let refunded = try OrderStateMachine.refund(o, amount: 100, currency: nil, maintenanceReference: "m-1", at: t0)
        #expect(throws: OrderError.duplicateMaintenanceReference) {
            try OrderStateMachine.refund(refunded, amount: 100, currency: nil, maintenanceReference: "m-1", at: t0)
        }
    }

    @Test func nonPositiveAmounts_are005() {
        #expect(throws: OrderError.invalidAmount) { try OrderStateMachine.capture(order(.authorization), amount: 0, currency: nil, at: t0) }
        #expect(throws: OrderError.invalidAmount) { try OrderStateMachine.refund(order(.purchase), amount: -5, currency: nil, maintenanceReference: nil, at: t0) }
    }
}

struct OrderEngineTests {
    func paidOrder(_ linkCommand: String) throws -> (LinkEngine, Order) {
        let start = SandboxInstant(secondsSince1970: 1_767_225_600)
        let engine = LinkEngine(clock: SandboxClock(start: start, mode: .frozen), seed: 9)
        let link = try engine.createLink(LinkTerms(merchantIdentifier: "M", merchantReference: "ord-1", amount: 10_000, currency: "SAR",
                                                   customerEmail: "c@example.com", linkCommand: linkCommand, expiry: start.adding(seconds: 3_600)))
        let (_, order) = try engine.payment(id: link.link.id, details: PaymentDetails(maskedCardNumber: "400555******0001"))
        return (engine, order)
    }

    @Test func payingALink_createsItsOrder_findableByFortIDAndReference() throws {
        let (engine, order) = try paidOrder("AUTHORIZATION")
        #expect(order.command == .authorization && order.amount == 10_000 && order.fortID.count == 18)
        #expect(engine.order(fortID: order.fortID) == order)
        #expect(engine.order(merchant: "M", reference: "ord-1") == order)
        #expect(order.authorizationCode.count == 6)
    }

    @Test func concurrentCaptures_neverExceedTheAuthorization() throws {
        let (engine, order) = try paidOrder("AUTHORIZATION")
        let succeeded = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            if (try? engine.capture(fortID: order.fortID, amount: 300, currency: nil)) != nil { succeeded.add(1, ordering: .relaxed) }
        }
        #expect(succeeded.load(ordering: .relaxed) == 33)  // 33 × 300 = 9,900 ≤ 10,000 < 34 × 300
        #expect(engine.order(fortID: order.fortID)?.capturedAmount == 9_900)
    }

    @Test func concurrentRefunds_neverExceedWhatWasCaptured() throws {
        let (engine, order) = try paidOrder("PURCHASE")
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            _ = try? engine.refund(fortID: order.fortID, amount: 700, currency: nil, maintenanceReference: nil)
        }
        let refunded = try #require(engine.order(fortID: order.fortID)?.refundedAmount)
        #expect(refunded == 9_800)  // 14 × 700
    }
}
