import PayLinkJSON
/// Everything a `LinkEngine` holds, as plain values: taken by `LinkEngine.snapshot()` and put
/// back by `LinkEngine.restore(_:)`, so a sandbox's state can be saved and loaded elsewhere.
///
/// The engine's indexes (by token, by merchant reference, uncertain payments awaiting
/// resolution) are not stored: they follow from the links and orders in creation order.
package struct EngineSnapshot: Sendable, Equatable {
    /// The identifier generator, so the next link and `fort_id` are the ones the saved
    /// sandbox would have made.
    package var ids: IDGenerator.Snapshot
    /// Every link, in creation order.
    package var links: [PaymentLink]
    /// Every order (transaction), in creation order: a merchant reference with several orders
    /// (a decline, then an approval) finds the newest.
    package var orders: [Order]

    package init(ids: IDGenerator.Snapshot, links: [PaymentLink], orders: [Order]) {
        self.ids = ids
        self.links = links
        self.orders = orders
    }

    /// The largest counter a snapshot may carry, so one more never overflows (2^53, which a
    /// JavaScript client also reads exactly).
    package static let counterLimit = 9_007_199_254_740_992
    /// `PaymentLink` keeps the newest 100 failed attempts.
    package static let failedAttemptLimit = 100

    /// Checks what the engine relies on, so a restored engine never traps or contradicts
    /// itself: unique identifiers, amounts within their bounds, an operation on every order,
    /// and a link's pending `fort_id` naming an uncertain order of that link.
    package func validate() throws(SnapshotError) { _ = try prepared() }

    /// The engine's store built from this snapshot, checked as `validate` says while it is
    /// built (one pass; the store's own tables find the duplicates), ready for
    /// `LinkEngine.install(_:)`.
    package func prepared() throws(SnapshotError) -> PreparedEngineState {
        var builder = LinkStoreBuilder()
        builder.reserveCapacity(forMore: links.count)
        for link in links { builder.add(link) }
        return try builder.finish(ids: ids, orders: orders)
    }

    /// What a link must be, whatever else the snapshot holds.
    static func validate(_ link: PaymentLink, path: String) throws(SnapshotError) {
        guard link.amount >= 0 else { throw SnapshotError(path: path + ".amount", message: "must not be negative") }
        guard (0...Self.counterLimit).contains(link.userAttemptsCount) else {
            throw SnapshotError(path: path + ".user_attempts_count", message: "must be between 0 and \(Self.counterLimit)")
        }
        guard link.failedAttempts.count <= Self.failedAttemptLimit else {
            throw SnapshotError(path: path + ".failed_attempts", message: "holds more than the \(Self.failedAttemptLimit) attempts a link keeps")
        }
        if link.lifecycle == .paid && link.paidAt == nil {
            throw SnapshotError(path: path + ".paid_at", message: "is required when the link is paid")
        }
    }

    static func validate(_ order: Order, path: String) throws(SnapshotError) {
        guard order.command == .purchase || order.command == .authorization else {
            throw SnapshotError(path: path + ".command", message: "must be PURCHASE or AUTHORIZATION")
        }
        guard order.amount >= 0 else { throw SnapshotError(path: path + ".amount", message: "must not be negative") }
        guard (0...order.amount).contains(order.capturedAmount) else {
            throw SnapshotError(path: path + ".captured_amount", message: "must be between 0 and amount (\(order.amount))")
        }
        guard (0...order.capturedAmount).contains(order.refundedAmount) else {
            throw SnapshotError(path: path + ".refunded_amount", message: "must be between 0 and captured_amount (\(order.capturedAmount))")
        }
        guard !order.voided || order.command == .authorization else {
            throw SnapshotError(path: path + ".voided", message: "only an AUTHORIZATION can be voided")
        }
        // CHECK_STATUS reports the last operation, and the payment is always the first.
        guard let first = order.operations.first else {
            throw SnapshotError(path: path + ".operations", message: "must start with the payment (\(order.command.rawValue))")
        }
        guard first.command == order.command else {
            throw SnapshotError(path: path + ".operations[0].command", message: "must be the order's command (\(order.command.rawValue))")
        }
        for (k, operation) in order.operations.enumerated() where operation.amount < 0 {
            throw SnapshotError(path: path + ".operations[\(k)].amount", message: "must not be negative")
        }
    }
}

extension EngineSnapshot {
    /// Reads the store; called under the engine's lock.
    package init(store: LinkStore) {
        self.init(ids: store.ids.snapshot, links: Array(store.allLinks), orders: Array(store.orders.values))
    }
}

/// A snapshot turned into the engine's store and checked (`EngineSnapshot.prepared()`), not yet
/// installed: what an import builds before it changes anything, so a bad snapshot leaves the
/// sandbox as it was, and a good one is built once.
package struct PreparedEngineState: Sendable {
    let store: LinkStore

    /// A link of the snapshot, by ID (for the checks of what refers to links).
    package func link(id: String) -> PaymentLink? { store.link(id: id) }
}
