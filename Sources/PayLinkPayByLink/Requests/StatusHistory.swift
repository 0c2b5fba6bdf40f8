import PayLinkCore

/// A request's status changes as it keeps them. Nearly every request has had one or two, both
/// at its creation and neither with a note (Pending, then Sent or Failed as its message goes
/// out): those are kept as the second status alone, with no array, which saves an allocation
/// and about 100 bytes a request (a 100,000-line batch makes 100,000 of them). Any other
/// history is kept whole. The form depends only on the changes (`init` picks it), so two
/// histories are equal exactly when their changes are.
package enum StatusHistory: Sendable, Equatable {
    /// Pending at creation, then `second` (if any) at creation too; no notes.
    case fromCreation(second: PayByLinkStatus?)
    /// Any other history, in order.
    case list([RequestForPayment.StatusChange])

    package init(_ changes: [RequestForPayment.StatusChange], createdAt: SandboxInstant) {
        let created = RequestForPayment.StatusChange(status: .pending, at: createdAt)
        switch changes.count {
        case 1 where changes[0] == created:
            self = .fromCreation(second: nil)
        case 2 where changes[0] == created && changes[1].at == createdAt && changes[1].note == nil:
            self = .fromCreation(second: changes[1].status)
        default:
            self = .list(changes)
        }
    }

    package func changes(createdAt: SandboxInstant) -> [RequestForPayment.StatusChange] {
        switch self {
        case .fromCreation(let second):
            let created = RequestForPayment.StatusChange(status: .pending, at: createdAt)
            guard let second else { return [created] }
            return [created, .init(status: second, at: createdAt)]
        case .list(let changes):
            return changes
        }
    }

    /// The latest change, without making the array.
    package func last(createdAt: SandboxInstant) -> RequestForPayment.StatusChange? {
        switch self {
        case .fromCreation(let second): .init(status: second ?? .pending, at: createdAt)
        case .list(let changes): changes.last
        }
    }

    package mutating func append(_ change: RequestForPayment.StatusChange, createdAt: SandboxInstant) {
        if case .fromCreation(nil) = self, change.at == createdAt, change.note == nil {
            self = .fromCreation(second: change.status)
        } else {
            var all = changes(createdAt: createdAt)
            self = .list([])  // the array is uniquely referenced while it grows
            all.append(change)
            self = .list(all)
        }
    }
}
