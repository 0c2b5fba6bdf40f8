/// One change of the state a snapshot holds, as its owner tells it: the whole entity as it now
/// stands (an upsert), an entity gone, or a counter's new value. Owners tell each change to
/// their `StateChangeRecorder` while still holding their own lock, so a recorder sees one
/// entity's changes in the order they happened; `--state-dir` appends them to its log.
///
/// Values are copies (structs, copied on write), so telling costs an append, not an encoding:
/// the log writer encodes them later, on its own thread.
package enum StateChange: Sendable {
    case link(PaymentLink)
    case order(Order)
    /// A saved card made or changed (`TokenVault`).
    case token(CardToken)
    /// A saved card renamed (UPDATE_TOKEN's `new_token_name`) or forgotten: its old name goes.
    case tokenRemoved(name: String)
    /// The link engine's identifier generator after drawing ids.
    case ids(IDGenerator.Snapshot)
    /// A message sent; `evicted` are the sequences of the oldest ones it pushed out of a full outbox.
    case outboxMessage(OutboxMessage, evicted: [Int], nextSequence: Int, dropped: Int)
    /// A new or changed delivery; whether a reorder fault holds it back is part of it.
    case delivery(Delivery, heldForReorder: Bool, nextID: Int)
    /// A finished delivery pushed out of a full queue.
    case deliveryRemoved(id: Int)
    /// A batch file's record; `file` says what happened to its kept bytes.
    case batch(Batch, file: BatchFileChange)
    /// The clock set, moved or switched; `realTime` is the wall clock then, so a running clock
    /// keeps its distance from it across a restart.
    case clock(SandboxClock.Reading, realTime: SandboxInstant)
    /// The merchants' own clocks after one was given, moved or taken away: every one's reading
    /// at `realTime` (the wall clock then, as for `clock`).
    case merchantClocks([MerchantClocks.Entry], realTime: SandboxInstant)
    /// The merchants made or replaced at run time, all of them, after a change.
    case merchants([Merchant])
    /// The PayByLink subscription keys added at run time, all of them, after a change.
    case subscriptionKeys([String])
    /// A dialect's own state (a PayByLink request, a generator): the runtime knows its encoding.
    case dialect(DialectChange)
    /// Too much changed to tell piece by piece (a reset, a state import): the recorder takes
    /// the whole state again.
    case everything
}

package enum BatchFileChange: Sendable {
    case unchanged
    case kept([UInt8])
    case dropped
}

/// A change of state the core does not model; `kind` tells the runtime how to encode `value`.
package struct DialectChange: Sendable {
    package enum Kind: Sendable {
        /// `value` is a PayByLink `RequestForPayment`.
        case payByLinkRequest
        /// `value` is the PayByLink store's `IDGenerator.Snapshot`.
        case payByLinkIDs
        /// `value` is the APS batch-id generator's `IDGenerator.Snapshot`.
        case apsBatchIDs
    }

    package var kind: Kind
    package var value: any Sendable

    package init(_ kind: Kind, _ value: any Sendable) {
        self.kind = kind
        self.value = value
    }
}

/// Hears every change of the state, from its owners, under their locks: it must only take
/// note (append to a buffer), never block or call back into an owner.
package protocol StateChangeRecorder: AnyObject, Sendable {
    func record(_ change: StateChange)
    func record(_ changes: [StateChange])
    /// A link just made and the ID generator after drawing its identifiers: the same as
    /// `record([.link(link), .ids(ids)])`, which is what it does unless a recorder does better.
    /// Why apart: it is the most frequent change, and the link is read where it stands (a
    /// `StateChange` made of it copied the link, retaining each of its strings, inside an
    /// array allocated for the two, all released after).
    func recordNewLink(_ link: borrowing PaymentLink, ids: IDGenerator.Snapshot)
}

extension StateChangeRecorder {
    package func recordNewLink(_ link: borrowing PaymentLink, ids: IDGenerator.Snapshot) {
        record([.link(copy link), .ids(ids)])
    }
}
