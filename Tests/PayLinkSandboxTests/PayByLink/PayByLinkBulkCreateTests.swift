import PayLinkCore
import Synchronization
import Testing
@testable import PayLinkPayByLink

/// `PayByLinkStore.create(all:)`, the batch file's way in: a run of drafts comes out as
/// creating them one after the other would, down to identifiers, links and messages.
struct PayByLinkBulkCreateTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)

    struct World {
        let clock = SandboxClock(start: PayByLinkBulkCreateTests.start, mode: .frozen)
        let engine: LinkEngine
        let outbox: Outbox
        let store: PayByLinkStore

        init() {
            engine = LinkEngine(clock: clock, seed: 42)
            outbox = Outbox(clock: clock)
            store = PayByLinkStore(engine: engine, outbox: outbox, callbacks: PayByLinkCallbacks(queue: DeliveryQueue(clock: clock), wake: {}),
                                   urls: LinkURLs(base: "http://sandbox.test"), seed: 42)
        }

        /// What a test compares: each request with its link, and the messages.
        func state(_ references: [String]) -> [String] {
            references.compactMap { reference -> String? in
                let (items, _) = store.list(RequestListQuery(clientTransactionRef: reference), subscription: "k")
                guard let view = items.first else { return nil }
                let request = view.request
                return [request.id, request.shortCode, request.linkIDs.joined(separator: "+"), request.status.rawValue,
                        String(view.link.link.amount), view.link.state.rawValue, request.deliveryNote ?? "-"].joined(separator: " ")
            } + outbox.messages().map { "\($0.sequence) \($0.recipient) \($0.paymentLinkID ?? "-") \($0.text)" }
        }
    }

    static func draft(_ reference: String, mobile: String = "07700900123", expiry: SandboxInstant? = nil) -> RequestDraft {
        RequestDraft(clientTransactionRef: reference, accountReference: "ACC-" + reference, amount: 1_250, reason: "Rent", passphrase: nil,
                     customer: .init(firstName: "Ann", lastName: "Lee", mobileNumber: mobile, email: nil), channel: .sms, expiry: expiry,
                     callbackURL: nil, plan: nil)
    }

    /// Duplicates of earlier requests and of earlier records of the same run, an undeliverable
    /// number, an expiry already past, and a record repeating that one's reference (created,
    /// as the first was not).
    @Test func aRun_isCreatingEachInTurn() throws {
        let past = Self.start.adding(seconds: -60)
        let drafts = [Self.draft("a"), Self.draft("b"), Self.draft("a"), Self.draft("old"), Self.draft("u", mobile: UKMobileNumber.undeliverable),
                      Self.draft("x", expiry: past), Self.draft("x"), Self.draft("c")]
        let one = World(), many = World()
        for world in [one, many] { _ = try world.store.create(Self.draft("old"), subscription: "k") }

        let oneByOne = Self.outcomesCreatingOneByOne(drafts, in: one)
        let together = Self.outcomesCreatingTogether(drafts, in: many)

        #expect(together == oneByOne)
        let first = try #require(many.store.list(RequestListQuery(clientTransactionRef: "a"), subscription: "k").items.first).request.id
        #expect(together[2] == "duplicate \(first)")
        #expect(together[5].hasPrefix("invalid ExpiryDate"))
        #expect(together[6] == "created")
        let references = ["old", "a", "b", "u", "x", "c"]
        #expect(many.state(references) == one.state(references))
        // Six requests, and a message for each but the undeliverable one.
        #expect(many.state(references).count == 6 + 5)
        #expect(many.store.create(all: [], subscription: "k").isEmpty)
    }

    /// Requests sending both an SMS and an e-mail, each, either or neither deliverable: their
    /// messages are added to the run's in turn (the SMS before the e-mail), and a request none
    /// of whose messages went out fails with both reasons, as one at a time.
    @Test func aRunSendingBothChannels_isCreatingEachInTurn() throws {
        let undeliverable = UKMobileNumber.undeliverable, bounced = PayByLinkMessages.undeliverableEmail
        let drafts = [Self.bothChannels("both"), Self.bothChannels("email", mobile: undeliverable), Self.bothChannels("sms", email: bounced),
                      Self.bothChannels("none", mobile: undeliverable, email: bounced), Self.bothChannels("last")]
        let one = World(), many = World()

        let oneByOne = Self.outcomesCreatingOneByOne(drafts, in: one)
        let together = Self.outcomesCreatingTogether(drafts, in: many)

        #expect(together == oneByOne)
        let references = drafts.map(\.clientTransactionRef)
        #expect(many.state(references) == one.state(references))
        let messages = many.outbox.messages()
        #expect(messages.map(\.recipient) == ["07700900123", "ann@example.com", "ann@example.com", "07700900123",
                                               "07700900123", "ann@example.com"])
        #expect(messages.map(\.sequence) == Array(messages.map(\.sequence).sorted()))
        let failed = try #require(many.store.list(RequestListQuery(clientTransactionRef: "none"), subscription: "k").items.first).request
        #expect(failed.status == .failed)
        #expect(failed.deliveryNote == "SMS to \(undeliverable) could not be delivered; e-mail to \(bounced) could not be delivered")
    }

    /// A draft sending an SMS and an e-mail.
    static func bothChannels(_ reference: String, mobile: String = "07700900123", email: String = "ann@example.com") -> RequestDraft {
        var draft = draft(reference, mobile: mobile)
        draft.customer.email = email
        draft.channel = .both
        return draft
    }

    /// Each draft's outcome ("created" or its failure) when created one request at a time.
    static func outcomesCreatingOneByOne(_ drafts: [RequestDraft], in world: World) -> [String] {
        drafts.map { draft in
            do throws(PayByLinkStore.Failure) {
                _ = try world.store.create(draft, subscription: "k")
                return "created"
            } catch { return describe(error) }
        }
    }

    /// Each draft's outcome when the drafts are created as one run.
    static func outcomesCreatingTogether(_ drafts: [RequestDraft], in world: World) -> [String] {
        world.store.create(all: drafts, subscription: "k").map { $0.map(describe) ?? "created" }
    }

    /// A run whose drawn identifiers are already taken (the generator rewound after two
    /// requests, so it draws their GUIDs and short codes again): planned again looking each
    /// identifier up as it is drawn, it comes out as creating one after the other does.
    @Test func aRunDrawingTakenIdentifiers_isCreatingEachInTurn() throws {
        let one = World(), many = World()
        for world in [one, many] {
            let fresh = world.store.snapshot()
            for reference in ["old", "older"] { _ = try world.store.create(Self.draft(reference), subscription: "k") }
            var rewound = world.store.snapshot()
            rewound.ids = fresh.ids
            world.store.restore(rewound)
        }
        let drafts = [Self.draft("a"), Self.draft("b"), Self.draft("c"), Self.draft("d")]
        let oneByOne = Self.outcomesCreatingOneByOne(drafts, in: one)
        let together = Self.outcomesCreatingTogether(drafts, in: many)

        #expect(together == oneByOne)
        #expect(together.allSatisfy { $0 == "created" })
        let references = ["old", "older", "a", "b", "c", "d"]
        #expect(many.state(references) == one.state(references))
        let requests = many.store.snapshot().requests
        #expect(Set(requests.map(\.id)).count == 6 && Set(requests.map(\.shortCode)).count == 6)
    }

    /// A batch's run leaves its events to be published later (on the batch's other thread):
    /// nothing goes out until then, and then the run's links in one `linksCreated` event and
    /// every status change, in order, as `create(all:)` publishes them.
    @Test func aDeferredRun_publishesNothingUntilAsked_thenWhatCreateAllPublishes() throws {
        let drafts = [Self.draft("a"), Self.draft("u", mobile: UKMobileNumber.undeliverable), Self.draft("b")]
        let deferred = World(), direct = World()
        let deferredEvents = EventLog(deferred.engine), directEvents = EventLog(direct.engine)
        let (failures, events) = deferred.store.createDeferring(all: drafts.map { deferred.store.prepare($0, subscription: "k") }, subscription: "k")
        #expect(failures.allSatisfy { $0 == nil })
        #expect(deferredEvents.seen.isEmpty)
        deferred.store.publish(events)
        _ = direct.store.create(all: drafts, subscription: "k")
        let published = deferredEvents.seen
        #expect(published == directEvents.seen)
        let references = deferred.store.snapshot().requests.map { $0.id + "/1" }
        #expect(published.first == "created " + references.joined(separator: ","))
        #expect(published.dropFirst().allSatisfy { !$0.hasPrefix("created ") })
        #expect(published.count == 1 + 6)
    }

    /// When no subscriber follows request status changes (none of the running sandbox's does),
    /// a run keeps none to publish: its links' event still goes out, and the requests, links and
    /// messages are what they are with a follower. A follower subscribed afterwards sees only
    /// the changes made from then on, as it would have.
    @Test func statusChangesNoOneFollows_areNotKept_andChangeNothingElse() throws {
        let drafts = [Self.draft("a"), Self.draft("u", mobile: UKMobileNumber.undeliverable), Self.draft("b")]
        let unfollowed = World(), followed = World()
        let linksOnly = EventLog(unfollowed.engine, kinds: EngineEvent.Kinds(.linkCreated, .linksCreated))
        let everything = EventLog(followed.engine)
        let (failures, events) = unfollowed.store.createDeferring(all: drafts.map { unfollowed.store.prepare($0, subscription: "k") },
                                                                  subscription: "k")
        #expect(failures.allSatisfy { $0 == nil })
        #expect(events.changes.isEmpty)
        unfollowed.store.publish(events)
        _ = followed.store.create(all: drafts, subscription: "k")
        #expect(linksOnly.seen == everything.seen.filter { $0.hasPrefix("created ") })
        #expect(everything.seen.count == 1 + 6)
        let references = ["a", "u", "b"]
        #expect(unfollowed.state(references) == followed.state(references))

        let late = EventLog(unfollowed.engine)
        _ = unfollowed.store.create(all: [Self.draft("c")], subscription: "k")
        _ = followed.store.create(all: [Self.draft("c")], subscription: "k")
        #expect(late.seen == Array(everything.seen.suffix(3)))
        #expect(late.seen.count == 3 && late.seen.first?.hasPrefix("created ") == true)
    }

    /// The link creations and status changes an engine publishes, in order.
    final class EventLog: Sendable {
        private let events = Mutex<[String]>([])
        var seen: [String] { events.withLock { $0 } }

        init(_ engine: LinkEngine, kinds: EngineEvent.Kinds = .all) {
            engine.events.subscribe(to: kinds) { event in
                switch event {
                case .linkCreated(let view): self.append("created \(view.link.merchantReference)")
                case .linksCreated(let views): self.append("created \(views.map(\.link.merchantReference).joined(separator: ","))")
                case .requestStatusChanged(let change): self.append("\(change.requestID) \(change.previous ?? "-") \(change.status)")
                default: break
                }
            }
        }

        private func append(_ line: String) { events.withLock { $0.append(line) } }
    }

    static func describe(_ failure: PayByLinkStore.Failure) -> String {
        switch failure {
        case .duplicate(let id): return "duplicate \(id)"
        case .invalid(let errors): return "invalid " + errors.entries.map(\.field).joined(separator: ",")
        case .notFound: return "not found"
        case .finished(let status): return "finished \(status.rawValue)"
        }
    }
}
