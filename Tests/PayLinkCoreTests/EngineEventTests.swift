import PayLinkCore
import Synchronization
import Testing

/// Every change of the engine goes out as one event, in order, after the lock is released.
struct EngineEventTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)

    /// Collects each event as a short name with the link or order it is about.
    final class Recorder: Sendable {
        let names = Mutex<[String]>([])
        var seen: [String] { names.withLock { $0 } }

        func record(_ event: EngineEvent) {
            let name: String
            switch event {
            case .linkCreated(let v): name = "created \(v.link.merchantReference)"
            case .linksCreated(let views): name = "created \(views.map(\.link.merchantReference).joined(separator: ","))"
            case .linkSeeded(let v): name = "seeded \(v.link.merchantReference) \(v.state.rawValue)"
            case .linkOpened(let v): name = "opened \(v.link.merchantReference)"
            case .linkAmended(let v): name = "amended \(v.link.merchantReference)"
            case .linkClosed(let v): name = "closed \(v.link.merchantReference)"
            case .linkReopened(let v): name = "reopened \(v.link.merchantReference)"
            case .linkRecipientsChanged(let v, let channels): name = "recipients \(v.link.merchantReference) \(channels.joined(separator: ","))"
            case .linkExpired(let v): name = "expired \(v.link.merchantReference)"
            case .linkPaid(let v, let o): name = "paid \(v.link.merchantReference) \(o.status == .approved)"
            case .paymentDeclined(let v, _): name = "declined \(v.link.merchantReference)"
            case .paymentUncertain(let v, _): name = "uncertain \(v.link.merchantReference)"
            case .paymentSettled(let v, _): name = "settled \(v?.link.merchantReference ?? "-") \(v?.state.rawValue ?? "-")"
            case .attemptRecorded(let v): name = "attempt \(v.link.merchantReference)"
            case .checkoutPayment(let o): name = "checkout \(o.merchantReference)"
            case .orderCaptured(_, let amount, let language): name = "captured \(amount) \(language)"
            case .orderRefunded(_, let amount, _): name = "refunded \(amount)"
            case .orderVoided: name = "voided"
            case .batchProgressed(let batch): name = "batch \(batch.status.rawValue)"
            case .requestStatusChanged(let change): name = "status \(change.status)"
            }
            names.withLock { $0.append(name) }
        }
    }

    func engine() -> (LinkEngine, Recorder) {
        let engine = LinkEngine(clock: SandboxClock(start: Self.start, mode: .frozen), seed: 3)
        let recorder = Recorder()
        engine.events.subscribe { recorder.record($0) }
        return (engine, recorder)
    }

    func terms(_ reference: String, expiresIn seconds: Int64 = 3_600, command: String = "PURCHASE") -> LinkTerms {
        LinkTerms(merchantIdentifier: "M1", merchantReference: reference, amount: 1_000, currency: "SAR", customerEmail: "c@example.com",
                  linkCommand: command, expiry: Self.start.adding(seconds: seconds))
    }

    @Test func eachTransition_publishesItsEvent_inOrder() throws {
        let (engine, recorder) = engine()
        let link = try engine.createLink(terms("a")).link.id
        _ = try engine.recordOpening(id: link)
        _ = try engine.update(id: link, .init(amount: 2_000))
        _ = try engine.update(id: link, .init(status: .closed))
        _ = try engine.update(id: link, .init(status: .open))
        _ = try engine.recordFailedAttempt(id: link, responseCode: "00072", maskedCardNumber: nil)
        _ = try engine.declinedPayment(id: link, details: PaymentDetails(), code: APSResponseCode(status: "13", message: "029"))
        let order = try engine.payment(id: link, details: PaymentDetails()).order
        _ = try engine.refund(fortID: order.fortID, amount: 500, currency: nil, maintenanceReference: nil, language: "ar")
        #expect(recorder.seen == ["created a", "opened a", "amended a", "closed a", "reopened a", "attempt a", "declined a", "paid a true",
                                  "refunded 500"])
    }

    /// A new notification type or recipient sends the link's message again: only the channels
    /// that changed, and only while the link stays Open.
    @Test func anUpdateOfRecipients_publishesTheChannelsToNotifyAgain_whileOpen() throws {
        let (engine, recorder) = engine()
        var draft = terms("r")
        draft.notificationType = "EMAIL"
        let link = try engine.createLink(draft).link.id
        _ = try engine.update(id: link, .init(customerName: "Sara"))
        _ = try engine.update(id: link, .init(customerEmail: "new@example.com"))
        _ = try engine.update(id: link, .init(customerPhone: "0501234567", notificationType: "EMAIL,SMS"))
        _ = try engine.update(id: link, .init(customerPhone: "0507654321"))
        _ = try engine.update(id: link, .init(notificationType: "NONE"))
        _ = try engine.update(id: link, .init(status: .closed, customerEmail: "closed@example.com", notificationType: "EMAIL"))
        #expect(recorder.seen == ["created r", "amended r", "amended r", "recipients r EMAIL", "amended r", "recipients r SMS",
                                  "amended r", "recipients r SMS", "amended r", "closed r"])
    }

    @Test func authorizations_publishCapturesAndVoids_withTheRequestsLanguage() throws {
        let (engine, recorder) = engine()
        let captured = try engine.payment(id: try engine.createLink(terms("auth-1", command: "AUTHORIZATION")).link.id, details: PaymentDetails()).order
        let voided = try engine.payment(id: try engine.createLink(terms("auth-2", command: "AUTHORIZATION")).link.id, details: PaymentDetails()).order
        _ = try engine.capture(fortID: captured.fortID, amount: 400, currency: "SAR", language: "ar")
        _ = try engine.voidAuthorization(fortID: voided.fortID, language: "en")
        #expect(recorder.seen.suffix(2) == ["captured 400 ar", "voided"])
    }

    @Test func anUncertainPayment_isPublishedWhenMade_andWhenSettled() throws {
        let (engine, recorder) = engine()
        let link = try engine.createLink(terms("u")).link.id
        _ = try engine.uncertainPayment(id: link, details: PaymentDetails(), resolvesAt: Self.start.adding(seconds: 60), approves: true)
        #expect(engine.resolveDueUncertainPayments().isEmpty)
        try engine.clock.advance(milliseconds: 60_000)
        _ = engine.resolveDueUncertainPayments()
        #expect(recorder.seen == ["created u", "uncertain u", "settled u Paid"])
    }

    @Test func theExpirySweep_publishesEachExpiryOnce_andNotForLinksThatMovedOn() throws {
        let (engine, recorder) = engine()
        _ = try engine.createLink(terms("lapses", expiresIn: 60))
        let paid = try engine.createLink(terms("paid", expiresIn: 60)).link.id
        let extended = try engine.createLink(terms("extended", expiresIn: 60)).link.id
        _ = try engine.createLink(terms("later", expiresIn: 600))
        _ = try engine.pay(id: paid)
        _ = try engine.update(id: extended, .init(expiry: Self.start.adding(seconds: 300)))
        #expect(engine.sweepExpiries() == 0)
        try engine.clock.advance(milliseconds: 120_000)
        #expect(engine.sweepExpiries() == 1)
        #expect(engine.sweepExpiries() == 0, "an expiry is published once")
        try engine.clock.advance(milliseconds: 600_000)
        #expect(engine.sweepExpiries() == 2)
        #expect(recorder.seen.filter { $0.hasPrefix("expired") } == ["expired lapses", "expired extended", "expired later"])
    }

    /// Expiry follows the clock: set back before an expiry the sweep published, the link is
    /// Open again (`linkReopened`), and it expires again when the clock passes it once more.
    @Test func theClockSetBack_reopensWhatTheSweepExpired_andItExpiresAgain() throws {
        let (engine, recorder) = engine()
        _ = try engine.createLink(terms("back", expiresIn: 60))
        try engine.clock.advance(milliseconds: 120_000)
        #expect(engine.sweepExpiries() == 1)
        _ = engine.clock.set(Self.start.adding(seconds: 30))
        #expect(engine.sweepExpiries() == 1)
        #expect(engine.sweepExpiries() == 0)
        try engine.clock.advance(milliseconds: 60_000)
        #expect(engine.sweepExpiries() == 1)
        #expect(recorder.seen == ["created back", "expired back", "reopened back", "expired back"])
    }

    @Test func aSeededLink_isPublishedOnce_asSeeded_evenWhenPaid() throws {
        let (engine, recorder) = engine()
        _ = try engine.seedLink(terms("s"), state: .paid)
        #expect(recorder.seen == ["seeded s Paid"])
    }

    /// A subscriber may call the engine again: no lock is held while it runs.
    @Test func aSubscriber_mayCallTheEngine_andSeesWhatItCausesNext() throws {
        let engine = LinkEngine(clock: SandboxClock(start: Self.start, mode: .frozen), seed: 3)
        let recorder = Recorder()
        engine.events.subscribe { event in
            recorder.record(event)
            if case .linkPaid(let view, _) = event, view.link.merchantReference == "first" {
                _ = try? engine.createLink(self.terms("follow-up"))
            }
        }
        _ = try engine.pay(id: try engine.createLink(terms("first")).link.id)
        #expect(recorder.seen == ["created first", "paid first true", "created follow-up"])
    }

    @Test func aRefusedChange_publishesNothing() throws {
        let (engine, recorder) = engine()
        let link = try engine.createLink(terms("r")).link.id
        _ = try engine.pay(id: link)
        #expect(throws: LinkError.alreadyPaid) { try engine.update(id: link, .init(status: .closed)) }
        #expect(throws: LinkError.alreadyPaid) { try engine.pay(id: link) }
        #expect(recorder.seen == ["created r", "paid r true"])
    }
}

/// Publishing a run of events at once (a batch's status changes).
struct EventStreamRunTests {
    @Test func eachItemBecomesAnEvent_inOrder_forEverySubscriber() {
        let stream = EventStream()
        let seen = Mutex<[String]>([])
        for name in ["first", "second"] {
            stream.subscribe { event in
                if case .requestStatusChanged(let change) = event { seen.withLock { $0.append("\(name) \(change.status)") } }
            }
        }
        let at = SandboxInstant(secondsSince1970: 0)
        stream.publish(each: ["Pending", "Sent"]) { .requestStatusChanged(RequestStatusChange(owner: .payByLink(subscription: "k"), requestID: "r", previous: nil, status: $0, at: at)) }
        #expect(seen.withLock { $0 } == ["first Pending", "second Pending", "first Sent", "second Sent"])
    }

    /// Without subscribers no event is even made.
    @Test func withoutSubscribers_makesNoEvent() {
        let made = Mutex(0)
        EventStream().publish(each: [1, 2, 3]) { _ in
            made.withLock { $0 += 1 }
            return .requestStatusChanged(RequestStatusChange(owner: .apsMerchant("M"), requestID: "r", previous: nil, status: "Sent",
                                                             at: SandboxInstant(secondsSince1970: 0)))
        }
        #expect(made.withLock { $0 } == 0)
    }
}
