import Synchronization

/// The messages the sandbox "sent", newest last, bounded so a long-running server keeps
/// its memory: past `capacity`, the oldest are dropped (and counted).
package final class Outbox: Sendable {
    package struct Draft: Sendable {
        package var channel: OutboxMessage.Channel
        package var recipient: String
        package var subject: String?
        package var body: MessageText
        package var merchantIdentifier: String
        package var paymentLinkID: String?

        package var text: String {
            get { body.string }
            set { body = MessageText(newValue) }
        }

        package init(channel: OutboxMessage.Channel, recipient: String, subject: String? = nil, text: String,
                    merchantIdentifier: String, paymentLinkID: String?) {
            self.init(channel: channel, recipient: recipient, subject: subject, body: MessageText(text), merchantIdentifier: merchantIdentifier,
                      paymentLinkID: paymentLinkID)
        }

        /// A draft whose text is composed when the message is read (see `MessageText`).
        package init(channel: OutboxMessage.Channel, recipient: String, subject: String? = nil, body: MessageText,
                    merchantIdentifier: String, paymentLinkID: String?) {
            self.channel = channel
            self.recipient = recipient
            self.subject = subject
            self.body = body
            self.merchantIdentifier = merchantIdentifier
            self.paymentLinkID = paymentLinkID
        }
    }

    private struct State {
        /// Kept messages are `messages[head...]`; the dropped prefix is removed in one go once
        /// it reaches `capacity`, so sending stays O(1) when the outbox is full (a batch of
        /// 100,000 requests sends 100,000 SMS).
        var messages: [OutboxMessage] = []
        var head = 0
        var nextSequence = 1
        var dropped = 0
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

    /// Sends the drafts in order under one hold of the lock (a batch's messages). Nothing is
    /// handed back: returning each message, as `send(_:)` does, copied it (a retain of each of
    /// its strings) only for the copy to be destroyed.
    package func send(contentsOf drafts: [Draft]) {
        guard !drafts.isEmpty else { return }
        let times = clocks.times()
        state.withLock { state in
            for draft in drafts { keep(draft, at: times.now(for: draft.merchantIdentifier), into: &state) }
        }
    }

    private func send(_ draft: Draft, at now: SandboxInstant, into state: inout State) -> OutboxMessage {
        keep(draft, at: now, into: &state)
        return state.messages[state.messages.count - 1]
    }

    /// Makes `draft` the newest message, sent at `now`, dropping the oldest past `capacity`.
    private func keep(_ draft: Draft, at now: SandboxInstant, into state: inout State) {
        state.messages.append(OutboxMessage(sequence: state.nextSequence, channel: draft.channel, recipient: draft.recipient,
                                            subject: draft.subject, text: draft.body, merchantIdentifier: draft.merchantIdentifier,
                                            paymentLinkID: draft.paymentLinkID, sentAt: now))
        state.nextSequence += 1
        let kept = state.messages.count - state.head
        let oldHead = state.head
        if kept > capacity {
            state.head += kept - capacity
            state.dropped += kept - capacity
        }
        if let recorder {
            let evicted = state.messages[oldHead..<state.head].map(\.sequence)
            recorder.record(.outboxMessage(state.messages[state.messages.count - 1], evicted: evicted,
                                           nextSequence: state.nextSequence, dropped: state.dropped))
        }
        if state.head >= capacity {
            state.messages.removeFirst(state.head)
            state.head = 0
        }
    }

    /// Messages in the order sent, optionally filtered.
    package func messages(channel: OutboxMessage.Channel? = nil, paymentLinkID: String? = nil,
                         recipient: String? = nil, merchant: String? = nil) -> [OutboxMessage] {
        state.withLock { state in
            state.messages[state.head...].filter { message in
                (channel == nil || message.channel == channel)
                    && (paymentLinkID == nil || message.paymentLinkID == paymentLinkID)
                    && (recipient == nil || message.recipient == recipient)
                    && (merchant == nil || message.merchantIdentifier == merchant)
            }
        }
    }

    /// How many messages were dropped to stay within `capacity`.
    package var droppedCount: Int { state.withLock { $0.dropped } }

    /// Forgets one merchant's messages.
    package func reset(merchantIdentifier: String) {
        state.withLock { state in
            state.messages.removeFirst(state.head)
            state.head = 0
            state.messages.removeAll { $0.merchantIdentifier == merchantIdentifier }
        }
    }

    /// The messages and counters, read in one step (see `Outbox.Snapshot`).
    package func snapshot() -> Snapshot {
        state.withLock { Snapshot(messages: Array($0.messages[$0.head...]), nextSequence: $0.nextSequence, droppedCount: $0.dropped) }
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
