import PayLinkCore
import Synchronization
import Testing

/// A subscriber names the kinds of event it acts on, and is called with those only; a
/// publisher can ask whether anyone follows a kind before making its events.
struct EventStreamKindTests {
    static let at = SandboxInstant(secondsSince1970: 0)

    static func statusChange(_ status: String) -> EngineEvent {
        .requestStatusChanged(RequestStatusChange(owner: .payByLink(subscription: "k"), requestID: "r", previous: nil, status: status, at: at))
    }

    @Test func aSubscriber_isCalledOnlyWithTheKindsItSubscribedTo() throws {
        let engine = LinkEngine(clock: SandboxClock(start: SandboxInstant(secondsSince1970: 1_767_225_600), mode: .frozen), seed: 3)
        let seen = Mutex<[String]>([])
        engine.events.subscribe(to: EngineEvent.Kinds(.linkCreated, .linkClosed)) { event in seen.withLock { $0.append("links \(event.kind)") } }
        engine.events.subscribe { event in seen.withLock { $0.append("all \(event.kind)") } }
        let link = try engine.createLink(LinkTerms(merchantIdentifier: "M1", merchantReference: "a", amount: 1_000, currency: "SAR",
                                                   customerEmail: "c@example.com", expiry: SandboxInstant(secondsSince1970: 1_767_229_200))).link.id
        _ = try engine.recordOpening(id: link)
        engine.events.publish(Self.statusChange("Sent"))
        engine.events.publish(each: ["Pending"]) { Self.statusChange($0) }
        _ = try engine.update(id: link, .init(status: .closed))
        #expect(seen.withLock { $0 } == ["links linkCreated", "all linkCreated", "all linkOpened", "all requestStatusChanged",
                                         "all requestStatusChanged", "links linkClosed", "all linkClosed"])
    }

    @Test func follows_isWhatSomeSubscriberFollows() {
        let stream = EventStream()
        #expect(EngineEvent.Kind.allCases.allSatisfy { !stream.follows($0) })
        stream.subscribe(to: EngineEvent.Kinds(.linkPaid, .linkOpened)) { _ in }
        #expect(stream.follows(.linkPaid) && stream.follows(.linkOpened))
        #expect(!stream.follows(.requestStatusChanged) && !stream.follows(.linksCreated))
        stream.subscribe { _ in }
        #expect(EngineEvent.Kind.allCases.allSatisfy { stream.follows($0) })
    }

    @Test func eachKind_isItsOwnBit_andAllHoldsEveryKind() {
        let kinds = EngineEvent.Kind.allCases
        #expect(Set(kinds.map { EngineEvent.Kinds($0).rawValue }).count == kinds.count)
        #expect(kinds.allSatisfy { EngineEvent.Kinds.all.contains($0) })
        #expect(kinds.allSatisfy { kind in EngineEvent.Kinds(kind).contains(kind) && kinds.filter { EngineEvent.Kinds(kind).contains($0) }.count == 1 })
    }
}
