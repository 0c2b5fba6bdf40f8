import PayLinkCore
import Synchronization
import Testing

/// The outbox keeps the newest `capacity` messages however many are sent.
struct OutboxCapacityTests {
    @Test func manyTimesCapacity_keepsTheNewest_inOrder() {
        let box = Outbox(clock: SandboxClock(start: SandboxInstant(secondsSince1970: 0), mode: .frozen), capacity: 4)
        for i in 1...23 {
            box.send(.init(channel: .sms, recipient: "0\(i)", text: "t", merchantIdentifier: "M", paymentLinkID: nil))
            #expect(box.messages().map(\.sequence) == Array(max(1, i - 3)...i))
        }
        #expect(box.droppedCount == 19)
        #expect(box.messages(recipient: "023").count == 1)
        #expect(box.messages(recipient: "019").isEmpty)
    }
}

extension OutboxCapacityTests {
    @Test func snapshotAndMerchantReset_seeOnlyTheKeptMessages() {
        let box = Outbox(clock: SandboxClock(start: SandboxInstant(secondsSince1970: 0), mode: .frozen), capacity: 4)
        for i in 1...7 {
            box.send(.init(channel: .sms, recipient: "0\(i)", text: "t", merchantIdentifier: i % 2 == 0 ? "A" : "B", paymentLinkID: nil))
        }
        #expect(box.snapshot().messages.map(\.sequence) == [4, 5, 6, 7])
        box.reset(merchantIdentifier: "A")
        #expect(box.messages().map(\.sequence) == [5, 7])
    }
}

extension OutboxCapacityTests {
    /// Sending many at once (a batch's messages) is sending them one after the other: the same
    /// sequence numbers, the newest `capacity` kept, the rest counted as dropped.
    @Test func sendingManyAtOnce_isSendingThemInTurn() {
        let clock = SandboxClock(start: SandboxInstant(secondsSince1970: 0), mode: .frozen)
        let one = Outbox(clock: clock, capacity: 4), many = Outbox(clock: clock, capacity: 4)
        let drafts = (1...11).map { Outbox.Draft(channel: .sms, recipient: "0\($0)", text: "t\($0)", merchantIdentifier: "M", paymentLinkID: nil) }
        for draft in drafts.prefix(2) { one.send(draft) }
        many.send(contentsOf: Array(drafts.prefix(2)))
        for draft in drafts.dropFirst(2) { one.send(draft) }
        many.send(contentsOf: Array(drafts.dropFirst(2)))
        many.send(contentsOf: [])
        #expect(many.messages() == one.messages())
        #expect(many.messages().map(\.sequence) == [8, 9, 10, 11])
        #expect(many.droppedCount == 7)
    }
}

extension OutboxCapacityTests {
    /// A message whose text is composed when read (a batch's SMS) is made only for the messages
    /// read, reads as the written text, and equals a message with that text written.
    @Test func composedText_isMadeWhenRead_andEqualsTheWrittenText() {
        let clock = SandboxClock(start: SandboxInstant(secondsSince1970: 0), mode: .frozen)
        let composed = Outbox(clock: clock, capacity: 2), written = Outbox(clock: clock, capacity: 2)
        let made = Atomic<Int>(0)
        for i in 1...5 {
            composed.send(Outbox.Draft(channel: .sms, recipient: "0\(i)", body: MessageText(composing: {
                made.add(1, ordering: .relaxed)
                return "text \(i)"
            }), merchantIdentifier: "M", paymentLinkID: nil))
            written.send(Outbox.Draft(channel: .sms, recipient: "0\(i)", text: "text \(i)", merchantIdentifier: "M", paymentLinkID: nil))
        }
        #expect(made.load(ordering: .relaxed) == 0)
        #expect(composed.messages().map(\.text) == ["text 4", "text 5"])
        #expect(made.load(ordering: .relaxed) == 2)
        #expect(composed.messages() == written.messages())
        #expect(composed.snapshot() == written.snapshot())
    }
}

extension OutboxCapacityTests {
    /// The message `send` hands back is the one it kept as the newest, also when sending it
    /// drops the oldest (and, at a capacity of one, every other).
    @Test(arguments: [1, 3])
    func sendAnswersTheMessageItKept_pastCapacity(_ capacity: Int) {
        let box = Outbox(clock: SandboxClock(start: SandboxInstant(secondsSince1970: 0), mode: .frozen), capacity: capacity)
        for i in 1...(2 * capacity + 2) {
            let sent = box.send(.init(channel: .email, recipient: "r\(i)", subject: "s\(i)", text: "t\(i)", merchantIdentifier: "M", paymentLinkID: "L\(i)"))
            #expect(sent.sequence == i)
            #expect(sent.recipient == "r\(i)" && sent.subject == "s\(i)" && sent.paymentLinkID == "L\(i)")
            #expect(box.messages().last == sent)
        }
    }
}

extension OutboxCapacityTests {
    /// Past capacity each message takes the oldest's place: the log is told each message with
    /// the one it evicted, and a merchant's reset in the middle of the ring leaves the rest in
    /// the order sent, with sending going on after them.
    @Test func pastCapacity_eachSendEvictsTheOldest_andAResetMidRingKeepsTheOrder() {
        let recorded = RecordedChanges()
        let box = Outbox(clock: SandboxClock(start: SandboxInstant(secondsSince1970: 0), mode: .frozen), capacity: 3, recorder: recorded)
        func send(_ i: Int) {
            box.send(.init(channel: .sms, recipient: "0\(i)", text: "t", merchantIdentifier: i % 2 == 0 ? "A" : "B", paymentLinkID: nil))
        }
        for i in 1...5 { send(i) }
        let told = recorded.all.compactMap { change -> (Int, [Int], Int)? in
            guard case .outboxMessage(let message, let evicted, _, let dropped) = change else { return nil }
            return (message.sequence, evicted, dropped)
        }
        #expect(told.map(\.0) == [1, 2, 3, 4, 5])
        #expect(told.map(\.1) == [[], [], [], [1], [2]])
        #expect(told.map(\.2) == [0, 0, 0, 1, 2])
        #expect(box.messages().map(\.sequence) == [3, 4, 5])
        box.reset(merchantIdentifier: "A")
        #expect(box.messages().map(\.sequence) == [3, 5])
        for i in 6...8 { send(i) }
        #expect(box.messages().map(\.sequence) == [6, 7, 8])
        #expect(box.snapshot().messages.map(\.sequence) == [6, 7, 8])
        #expect(box.messages(merchant: "B").map(\.sequence) == [7])
        #expect(box.droppedCount == 4)
    }
}
