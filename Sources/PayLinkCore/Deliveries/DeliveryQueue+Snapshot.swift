import PayLinkJSON

extension DeliveryQueue {
    /// The notification deliveries as plain values, for a state snapshot. Which deliveries are
    /// in flight is not part of it: a restored pending delivery is simply attempted when due.
    package struct Snapshot: Sendable, Equatable {
        /// Oldest first, as `deliveries()` returns them.
        package var deliveries: [Delivery]
        /// The id the next delivery gets.
        package var nextID: Int
        /// Pending deliveries a reorder fault holds back until the merchant's next one is
        /// attempted, by id in ascending order.
        package var heldForReorder: [Int]

        package init(deliveries: [Delivery], nextID: Int, heldForReorder: [Int] = []) {
            self.deliveries = deliveries
            self.nextID = nextID
            self.heldForReorder = heldForReorder
        }

        /// Checks what the queue relies on: ids increase and stay below `nextID`, a pending
        /// delivery has a next attempt and a finished one has none, only pending ones are held
        /// for reordering, and all fit `capacity`.
        package func validate(capacity: Int) throws(SnapshotError) {
            let base = "notifications.deliveries"
            guard deliveries.count <= capacity else {
                throw SnapshotError(path: base, message: "holds \(deliveries.count) deliveries, more than the queue's capacity of \(capacity)")
            }
            var previous = 0
            for (index, delivery) in deliveries.enumerated() {
                let path = "\(base)[\(index)]"
                guard delivery.id > previous else {
                    throw SnapshotError(path: path + ".id", message: "must be greater than the previous delivery's (\(previous))")
                }
                previous = delivery.id
                switch (delivery.state, delivery.nextAttemptAt) {
                case (.pending, nil):
                    throw SnapshotError(path: path + ".next_attempt_at", message: "is required while the delivery is pending")
                case (.delivered, _?), (.failed, _?):
                    throw SnapshotError(path: path + ".next_attempt_at", message: "must be null once the delivery is \(delivery.state.rawValue)")
                default:
                    break
                }
            }
            for held in heldForReorder where !deliveries.contains(where: { $0.id == held && $0.state == .pending }) {
                throw SnapshotError(path: base, message: "delivery \(held) is held for reordering but is not a pending delivery")
            }
            guard nextID > previous, nextID <= EngineSnapshot.counterLimit else {
                throw SnapshotError(path: "notifications.next_id", message: "must be greater than the last delivery's id (\(previous)) and at most \(EngineSnapshot.counterLimit)")
            }
        }
    }
}
