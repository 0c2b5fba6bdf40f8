import PayLinkCore

/// A request's status changes as it keeps them. Nearly every request has had one or two, both
/// at its creation and neither with a note (Pending, then Sent or Failed as its message goes
/// out): those are kept as the second status alone, with no array, which saves an allocation
/// and about 100 bytes a request (a 100,000-line batch makes 100,000 of them). Any other
/// history is kept whole. The form depends only on the changes (only `init` and `append` pick
/// it), so two histories are equal exactly when their changes are.
package struct StatusHistory: Sendable, Equatable {
    private enum Form: Sendable, Equatable {
        /// Pending at creation, then `second` (if any) at creation too; no notes.
        case fromCreation(second: PayByLinkStatus?)
        /// Any other history, in order.
        case list([RequestForPayment.StatusChange])
    }

    private var form: Form

    /// Pending since the request's creation, and nothing since.
    package static let pendingSinceCreation = StatusHistory(form: .fromCreation(second: nil))

    private init(form: Form) { self.form = form }

    package init(_ changes: [RequestForPayment.StatusChange], createdAt: SandboxInstant) {
        let created = RequestForPayment.StatusChange(status: .pending, at: createdAt)
        switch changes.count {
        case 1 where changes[0] == created:
            form = .fromCreation(second: nil)
        case 2 where changes[0] == created && changes[1].at == createdAt && changes[1].note == nil:
            form = .fromCreation(second: changes[1].status)
        default:
            form = .list(changes)
        }
    }

    package func changes(createdAt: SandboxInstant) -> [RequestForPayment.StatusChange] {
        switch form {
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
        switch form {
        case .fromCreation(let second): .init(status: second ?? .pending, at: createdAt)
        case .list(let changes): changes.last
        }
    }

    package mutating func append(_ change: RequestForPayment.StatusChange, createdAt: SandboxInstant) {
        if case .fromCreation(nil) = form, change.at == createdAt, change.note == nil {
            form = .fromCreation(second: change.status)
        } else {
            var all = changes(createdAt: createdAt)
            form = .list([])  // the array is uniquely referenced while it grows
            all.append(change)
            form = .list(all)
        }
    }
}
