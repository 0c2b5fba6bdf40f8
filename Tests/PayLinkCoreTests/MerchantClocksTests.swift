import PayLinkCore
import PayLinkJSON
import Synchronization
import Testing

/// The arithmetic of one clock, with the real time given.
struct ClockAnchorTests {
    let real = SandboxInstant(secondsSince1970: 1_000)
    let shown = SandboxInstant(secondsSince1970: 1_767_225_600)

    func anchor(_ mode: SandboxClock.Mode) -> ClockAnchor {
        ClockAnchor(.restored(now: shown, mode: mode), real: real)
    }

    @Test func frozen_showsItsInstant_whateverTheRealTime() {
        #expect(anchor(.frozen).now(real: real.adding(seconds: 500)) == shown)
    }

    @Test func running_addsTheRealTimeGoneBy_andNeverRunsBackwards() {
        #expect(anchor(.running).now(real: real.adding(milliseconds: 1_500)) == shown.adding(milliseconds: 1_500))
        // The machine's clock stepped back: the sandbox time stays where it was.
        #expect(anchor(.running).now(real: real.adding(seconds: -60)) == shown)
    }

    @Test func advance_movesOnFromTheCurrentReading_andRefusesANegativeAmount() throws {
        let later = real.adding(seconds: 10)
        let moved = try anchor(.running).advanced(milliseconds: 5_000, real: later)
        #expect(moved.now(real: later) == shown.adding(seconds: 15))
        #expect(moved.mode == .running)
        #expect(throws: ClockError.negativeAdvance) { try anchor(.frozen).advanced(milliseconds: -1, real: later) }
    }

    @Test func set_goesEitherWay_andSwitchingModeKeepsTheInstant() {
        let back = shown.adding(seconds: -86_400)
        #expect(anchor(.frozen).set(back, real: real).now(real: real.adding(seconds: 9)) == back)
        let later = real.adding(seconds: 30)
        let frozen = anchor(.running).switched(to: .frozen, real: later)
        #expect(frozen.now(real: later.adding(seconds: 100)) == shown.adding(seconds: 30))
        #expect(frozen.reading(real: later).mode == .frozen)
    }
}

/// A recorder that keeps what it is told.
final class RecordedChanges: StateChangeRecorder {
    private let changes = Mutex<[StateChange]>([])
    func record(_ change: StateChange) { changes.withLock { $0.append(change) } }
    func record(_ changes: [StateChange]) { self.changes.withLock { $0 += changes } }
    var all: [StateChange] { changes.withLock { $0 } }
}

/// The sandbox clock and the merchants' own clocks.
struct MerchantClocksTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)

    func clocks(mode: SandboxClock.Mode = .frozen, recorder: RecordedChanges? = nil) -> (MerchantClocks, ManualTimeSource) {
        let source = ManualTimeSource(5_000)
        let global = SandboxClock(start: Self.start, mode: mode, source: source)
        return (MerchantClocks(global: global, recorder: recorder), source)
    }

    @Test func aMerchantWithoutAClock_followsTheSandboxClock() throws {
        let (clocks, _) = clocks()
        try clocks.global.advance(milliseconds: 60_000)
        #expect(clocks.now(for: "M1") == Self.start.adding(seconds: 60))
        #expect(clocks.reading(for: "M1").own == false)
        #expect(clocks.times().isUniform)
    }

    @Test func theFirstChange_startsFromTheSandboxClock_thenTheClocksMoveApart() throws {
        let (clocks, _) = clocks()
        try clocks.global.advance(milliseconds: 10_000)
        let reading = try clocks.change("M1", .advance(milliseconds: 3_600_000))
        #expect(reading.now == Self.start.adding(seconds: 10 + 3_600))
        #expect(reading.mode == .frozen)
        // The sandbox clock moves on; M1 does not, and M2 follows the sandbox clock.
        try clocks.global.advance(milliseconds: 1_000)
        #expect(clocks.now(for: "M1") == Self.start.adding(seconds: 3_610))
        #expect(clocks.now(for: "M2") == Self.start.adding(seconds: 11))
        let times = clocks.times()
        #expect(times.now(for: "M1") == Self.start.adding(seconds: 3_610))
        #expect(times.now(for: "M2") == Self.start.adding(seconds: 11))
        #expect(times.now(for: Owner.apsMerchant("M1")) == Self.start.adding(seconds: 3_610))
        #expect(times.now(for: Owner.payByLink(subscription: "k")) == Self.start.adding(seconds: 11))
    }

    @Test func set_andMode_applyToTheMerchantOnly_andARunningClockFollowsRealTime() throws {
        let (clocks, source) = clocks()
        let noon = Self.start.adding(seconds: 43_200)
        try clocks.change("M1", .set(noon))
        try clocks.change("M1", .mode(.running))
        source.move(2_500)
        #expect(clocks.now(for: "M1") == noon.adding(milliseconds: 2_500))
        #expect(clocks.reading(for: "M1") == (SandboxClock.Reading.restored(now: noon.adding(milliseconds: 2_500), mode: .running), true))
        #expect(clocks.global.reading().mode == .frozen)
        #expect(clocks.now(for: "M2") == Self.start)
    }

    @Test func aNegativeAdvance_isRefused_andGivesTheMerchantNoClock() {
        let (clocks, _) = clocks()
        #expect(throws: ClockError.negativeAdvance) { try clocks.change("M1", .advance(milliseconds: -1)) }
        #expect(clocks.reading(for: "M1").own == false)
        #expect(clocks.snapshot().isEmpty)
    }

    @Test func remove_putsTheMerchantBackOnTheSandboxClock() throws {
        let (clocks, _) = clocks()
        try clocks.change("M1", .advance(milliseconds: 90_000))
        #expect(clocks.remove("M1"))
        #expect(!clocks.remove("M1"))
        #expect(clocks.now(for: "M1") == Self.start)
        try clocks.change("M1", .advance(milliseconds: 1_000))
        try clocks.change("M2", .advance(milliseconds: 2_000))
        clocks.removeAll()
        #expect(clocks.times().isUniform)
    }

    @Test func snapshotAndRestore_keepEachReading() throws {
        let (clocks, _) = clocks()
        try clocks.change("M2", .advance(milliseconds: 2_000))
        try clocks.change("M1", .set(Self.start.adding(seconds: -5)))
        let snapshot = clocks.snapshot()
        #expect(snapshot.map(\.merchantIdentifier) == ["M1", "M2"])
        let (other, _) = self.clocks()
        other.restore(snapshot)
        #expect(other.now(for: "M1") == Self.start.adding(seconds: -5))
        #expect(other.now(for: "M2") == Self.start.adding(seconds: 2))
    }

    @Test func everyChange_isToldToTheRecorder_withEveryMerchantsClock() throws {
        let recorder = RecordedChanges()
        let (clocks, _) = clocks(recorder: recorder)
        try clocks.change("M1", .advance(milliseconds: 1_000))
        try clocks.change("M2", .advance(milliseconds: 2_000))
        clocks.remove("M1")
        let told = recorder.all.compactMap { change -> [String]? in
            guard case .merchantClocks(let entries, _) = change else { return nil }
            return entries.map(\.merchantIdentifier)
        }
        #expect(told == [["M1"], ["M1", "M2"], ["M2"]])
    }
}

/// The engine and the queues follow each merchant's clock: one merchant's time travel never
/// expires, settles or retries another merchant's.
struct MerchantClockEngineTests {
    static let start = MerchantClocksTests.start

    func engine() -> LinkEngine { LinkEngine(clock: SandboxClock(start: Self.start, mode: .frozen), seed: 3) }

    func draft(_ reference: String, merchant: String, expiresIn seconds: Int64 = 3_600, command: String = "PURCHASE") -> LinkTerms {
        LinkTerms(merchantIdentifier: merchant, merchantReference: reference, amount: 1_000, currency: "SAR",
                  customerEmail: "c@example.com", linkCommand: command, expiry: Self.start.adding(seconds: seconds))
    }

    /// The events the engine publishes, kept.
    final class Events: Sendable {
        private let list = Mutex<[EngineEvent]>([])
        init(_ engine: LinkEngine) { engine.events.subscribe { [self] event in list.withLock { $0.append(event) } } }
        var expired: [String] { list.withLock { $0 }.compactMap { if case .linkExpired(let v) = $0 { v.link.merchantReference } else { nil } } }
        var reopened: [String] { list.withLock { $0 }.compactMap { if case .linkReopened(let v) = $0 { v.link.merchantReference } else { nil } } }
    }

    @Test func oneMerchantsClock_expiresItsLinks_andNoOtherMerchants() throws {
        let engine = engine()
        let events = Events(engine)
        let a = try engine.createLink(draft("a", merchant: "MA"))
        let b = try engine.createLink(draft("b", merchant: "MB"))
        try engine.clocks.change("MA", .advance(milliseconds: 7_200_000))
        #expect(engine.link(id: a.link.id)?.state == .expired)
        #expect(engine.link(id: b.link.id)?.state == .open)
        #expect(engine.link(id: a.link.id)?.now == Self.start.adding(seconds: 7_200))
        #expect(engine.sweepExpiries() == 1)
        #expect(events.expired == ["a"])
        // Searches read each link's state at its merchant's time.
        #expect(engine.links(matching: LinkQuery(state: .expired), after: nil, limit: 10)?.links.map(\.link.id) == [a.link.id])
        #expect(engine.countLinks(matching: LinkQuery(state: .open)) == 1)
        // A payment of B's link still goes through; A's is refused as expired.
        #expect(throws: LinkError.expired) { try engine.pay(id: a.link.id) }
        #expect(try engine.pay(id: b.link.id).state == .paid)
    }

    @Test func settingAMerchantsClockBack_reopensItsLinks_afterAnotherMerchantsReset() throws {
        let engine = engine()
        let events = Events(engine)
        _ = try engine.createLink(draft("b", merchant: "MB", expiresIn: 60))
        let a = try engine.createLink(draft("a", merchant: "MA"))
        try engine.clocks.change("MA", .advance(milliseconds: 7_200_000))
        engine.sweepExpiries()
        // MB's links go (ordinals shift); MA's sweep record carries over.
        #expect(engine.reset(merchantIdentifier: "MB") == 1)
        try engine.clocks.change("MA", .set(Self.start))
        engine.sweepExpiries()
        #expect(events.expired == ["a"])
        #expect(events.reopened == ["a"])
        #expect(engine.link(id: a.link.id)?.state == .open)
    }

    @Test func uncertainPayments_settleOnTheirMerchantsClock() throws {
        let engine = engine()
        let a = try engine.createLink(draft("a", merchant: "MA"))
        let b = try engine.createLink(draft("b", merchant: "MB"))
        let due = Self.start.adding(seconds: 60)
        _ = try engine.uncertainPayment(id: a.link.id, details: PaymentDetails(), resolvesAt: due, approves: true)
        _ = try engine.uncertainPayment(id: b.link.id, details: PaymentDetails(), resolvesAt: due, approves: true)
        try engine.clocks.change("MB", .advance(milliseconds: 61_000))
        let settled = engine.resolveDueUncertainPayments()
        #expect(settled.map(\.order.merchantIdentifier) == ["MB"])
        #expect(engine.link(id: b.link.id)?.state == .paid)
        #expect(engine.link(id: a.link.id)?.state == .open)
    }

    @Test func theVoidWindow_isCountedOnTheOrdersMerchantClock() throws {
        let engine = engine()
        let a = try engine.payment(id: try engine.createLink(draft("a", merchant: "MA", command: "AUTHORIZATION")).link.id, details: PaymentDetails())
        let b = try engine.payment(id: try engine.createLink(draft("b", merchant: "MB", command: "AUTHORIZATION")).link.id, details: PaymentDetails())
        try engine.clocks.change("MA", .advance(milliseconds: 8 * 86_400_000))
        #expect(throws: OrderError.authorizationExpired) { try engine.voidAuthorization(fortID: a.order.fortID) }
        #expect(try engine.voidAuthorization(fortID: b.order.fortID).voided)
    }

    @Test func deliveriesAndMessages_areTimedOnTheirMerchantsClock() throws {
        let engine = engine()
        let queue = DeliveryQueue(clocks: engine.clocks, retries: 3, retryIntervalSeconds: 10)
        for merchant in ["MA", "MB"] {
            queue.enqueue(url: "http://127.0.0.1:9/", format: .json, event: "PURCHASE", payload: [:], merchantIdentifier: merchant, fortID: nil, paymentLinkID: nil)
        }
        for delivery in queue.takeDue() { queue.record(id: delivery.id, status: 500, error: nil) }
        try engine.clocks.change("MA", .advance(milliseconds: 10_000))
        let due = queue.takeDue()
        #expect(due.map(\.merchantIdentifier) == ["MA"])
        // A resend is a new delivery stamped with its merchant's time.
        #expect(queue.resend(id: due[0].id)?.createdAt == Self.start.adding(seconds: 10))
        let outbox = Outbox(clocks: engine.clocks)
        let sent = outbox.send(.init(channel: .email, recipient: "c@example.com", subject: "s", text: "t", merchantIdentifier: "MA", paymentLinkID: nil))
        #expect(sent.sentAt == Self.start.adding(seconds: 10))
    }
}
