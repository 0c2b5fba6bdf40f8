import Synchronization

/// The messages the sandbox "sent", newest last, bounded so a long-running server keeps
/// its memory: past `capacity`, the oldest are dropped (and counted).
package final class Outbox: Sendable {
    /// `body` is declared before `subject`, out of the initializers' order, so that the
    /// synthesized memberwise initializer differs from the package one, which delegates to it
    /// from an extension: Swift 6.3.1 builds a struct in an explicit initializer's body in a
    /// stack slot and copies it out, retaining and releasing each string (0.3 k of the 0.37 k
    /// instructions a draft took, one a request of a batch, under the store's lock).
    package struct Draft: Sendable {
        package var channel: OutboxMessage.Channel
        package var recipient: String
        package var body: MessageText
        package var subject: String?
        package var merchantIdentifier: String
        package var paymentLinkID: String?

        package var text: String {
            get { body.string }
            set { body = MessageText(newValue) }
        }
    }

    private struct State {
        /// A ring of at most `capacity` messages: until it is full they are in the order sent;
        /// once full, the oldest is `messages[oldest]` and each new message takes its place.
        /// Why a ring: with the dropped ones removed in one go (`removeFirst`), the send that
        /// reached the limit freed `capacity` messages at once, 3 to 4 ms for 10,000 on the
        /// critical path of a batch's last run; here each send past the limit frees one.
        var messages: [OutboxMessage] = []
        var oldest = 0
        var nextSequence = 1
        var dropped = 0

        /// The kept messages, oldest first.
        var inOrder: [OutboxMessage] { oldest == 0 ? messages : Array(messages[oldest...]) + messages[..<oldest] }

        /// Makes the ring's order the array's (`oldest` 0), before the array is changed whole.
        mutating func straighten() {
            guard oldest != 0 else { return }
            messages = inOrder
            oldest = 0
        }
    }

    package let capacity: Int
    private let clocks: MerchantClocks
    private let state = Mutex(State())

    /// Told every message sent, under the lock (`--state-dir`'s log).
    private let recorder: (any StateChangeRecorder)?

    package convenience init(clock: SandboxClock, capacity: Int = 10_000, recorder: (any StateChangeRecorder)? = nil) {
        self.init(clocks: MerchantClocks(global: clock), capacity: capacity, recorder: recorder)
    }

    /// Each message is stamped with its merchant's time (`MerchantClocks`).
    package init(clocks: MerchantClocks, capacity: Int = 10_000, recorder: (any StateChangeRecorder)? = nil) {
        self.clocks = clocks
        self.recorder = recorder
        self.capacity = max(1, capacity)
    }

    @discardableResult
    package func send(_ draft: Draft) -> OutboxMessage {
        let now = clocks.now(for: draft.merchantIdentifier)
        return state.withLock { state in send(draft, at: now, into: &state) }
    }

    /// Sends the drafts in order under one hold of the lock (a batch's messages). The messages
    /// sent are not handed back: returning each message, as `send(_:)` does, copied it (a
    /// retain of each of its strings) only for the copy to be destroyed. What is handed back is
    /// the messages the full ring dropped to make room, for the caller to free where it likes:
    /// freeing one took 0.73 k instructions, and a batch's committing thread, past the ring's
    /// first 10,000 messages, dropped one a record; it hands them to its other thread.
    @discardableResult
    package func send(contentsOf drafts: [Draft]) -> [OutboxMessage] {
        guard !drafts.isEmpty else { return [] }
        let times = clocks.times()
        return state.withLock { state in
            var dropped: [OutboxMessage] = []
            // By index, each message made from its draft's fields read in place: `for draft in
            // drafts` copied each draft out (a retain and a release of each of its strings).
            for index in drafts.indices {
                keep(OutboxMessage(sequence: state.nextSequence, channel: drafts[index].channel, recipient: drafts[index].recipient,
                                   subject: drafts[index].subject, text: drafts[index].body,
                                   merchantIdentifier: drafts[index].merchantIdentifier, paymentLinkID: drafts[index].paymentLinkID,
                                   sentAt: times.now(for: drafts[index].merchantIdentifier)),
                     into: &state, dropping: &dropped)
            }
            return dropped
        }
    }

    private func send(_ draft: Draft, at now: SandboxInstant, into state: inout State) -> OutboxMessage {
        let message = OutboxMessage(sequence: state.nextSequence, channel: draft.channel, recipient: draft.recipient,
                                    subject: draft.subject, text: draft.body, merchantIdentifier: draft.merchantIdentifier,
                                    paymentLinkID: draft.paymentLinkID, sentAt: now)
        var dropped: [OutboxMessage] = []
        return state.messages[keep(message, into: &state, dropping: &dropped)]
    }

    /// Makes `message`, numbered `state.nextSequence`, the newest message, in place of the
    /// oldest once `capacity` are kept (moved into `dropped`, not freed here); answers where
    /// it was put.
    @discardableResult
    private func keep(_ message: consuming OutboxMessage, into state: inout State, dropping dropped: inout [OutboxMessage]) -> Int {
        state.nextSequence += 1
        let place: Int
        var evicted: [Int] = []
        if state.messages.count < capacity {
            place = state.messages.count
            state.messages.append(message)
        } else {
            place = state.oldest
            if recorder != nil { evicted = [state.messages[place].sequence] }
            var newest = message
            swap(&state.messages[place], &newest)
            dropped.append(newest)
            state.oldest = place + 1 == capacity ? 0 : place + 1
            state.dropped += 1
        }
        recorder?.record(.outboxMessage(state.messages[place], evicted: evicted, nextSequence: state.nextSequence, dropped: state.dropped))
        return place
    }

    /// Messages in the order sent, optionally filtered.
    package func messages(channel: OutboxMessage.Channel? = nil, paymentLinkID: String? = nil,
                         recipient: String? = nil, merchant: String? = nil) -> [OutboxMessage] {
        state.withLock { state in
            let wanted = { (message: OutboxMessage) in
                (channel == nil || message.channel == channel)
                    && (paymentLinkID == nil || message.paymentLinkID == paymentLinkID)
                    && (recipient == nil || message.recipient == recipient)
                    && (merchant == nil || message.merchantIdentifier == merchant)
            }
            return state.messages[state.oldest...].filter(wanted) + state.messages[..<state.oldest].filter(wanted)
        }
    }

    /// How many messages were dropped to stay within `capacity`.
    package var droppedCount: Int { state.withLock { $0.dropped } }

    /// Forgets one merchant's messages.
    package func reset(merchantIdentifier: String) {
        state.withLock { state in
            state.straighten()
            state.messages.removeAll { $0.merchantIdentifier == merchantIdentifier }
        }
    }

    /// The messages and counters, read in one step (see `Outbox.Snapshot`).
    package func snapshot() -> Snapshot {
        state.withLock { Snapshot(messages: $0.inOrder, nextSequence: $0.nextSequence, droppedCount: $0.dropped) }
    }

    /// Replaces the messages and counters in one step. The caller checks the snapshot first
    /// (`Snapshot.validate(capacity:)`), so a bad one never gets here.
    package func restore(_ snapshot: Snapshot) {
        state.withLock { $0 = State(messages: snapshot.messages, nextSequence: snapshot.nextSequence, dropped: snapshot.droppedCount) }
    }

    package func reset() {
        state.withLock { $0 = State() }
    }
}

extension Outbox.Draft {
    package init(channel: OutboxMessage.Channel, recipient: String, subject: String? = nil, text: String,
                 merchantIdentifier: String, paymentLinkID: String?) {
        self.init(channel: channel, recipient: recipient, subject: subject, body: MessageText(text), merchantIdentifier: merchantIdentifier,
                  paymentLinkID: paymentLinkID)
    }

    /// A draft whose text is composed when the message is read (see `MessageText`).
    package init(channel: OutboxMessage.Channel, recipient: String, subject: String? = nil, body: MessageText,
                 merchantIdentifier: String, paymentLinkID: String?) {
        self.init(channel: channel, recipient: recipient, body: body, subject: subject, merchantIdentifier: merchantIdentifier,
                  paymentLinkID: paymentLinkID)
    }
}
