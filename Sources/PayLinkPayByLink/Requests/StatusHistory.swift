import PayLinkCore

/// A request's status changes as it keeps them. Nearly every request has had one or two, both
/// with no note: Pending at its creation, then Sent or Failed as its message goes out (at its
/// creation for a single request; a batch's, a few milliseconds later, when its run's links
/// are made): those are kept as the second status and its time alone, with no array, which
/// saves an allocation and about 100 bytes a request (a 100,000-line batch makes 100,000 of
/// them). Any other history is kept whole. The form depends only on the changes (only `init`
/// and `append` pick it), so two histories are equal exactly when their changes are.
package struct StatusHistory: Sendable, Equatable {
    /// A change with no note.
    private struct Unnoted: Sendable, Equatable {
        var status: PayByLinkStatus
        var at: SandboxInstant
    }

    private enum Form: Sendable, Equatable {
        /// Pending at creation, then `second` (if any); no notes.
        case fromCreation(second: Unnoted?)
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
        case 2 where changes[0] == created && changes[1].note == nil:
            form = .fromCreation(second: Unnoted(status: changes[1].status, at: changes[1].at))
        default:
            form = .list(changes)
        }
    }

    package func changes(createdAt: SandboxInstant) -> [RequestForPayment.StatusChange] {
        switch form {
        case .fromCreation(let second):
            let created = RequestForPayment.StatusChange(status: .pending, at: createdAt)
            guard let second else { return [created] }
            return [created, .init(status: second.status, at: second.at)]
        case .list(let changes):
            return changes
        }
    }

    /// The latest change, without making the array.
    package func last(createdAt: SandboxInstant) -> RequestForPayment.StatusChange? {
        switch form {
        case .fromCreation(let second): second.map { .init(status: $0.status, at: $0.at) } ?? .init(status: .pending, at: createdAt)
        case .list(let changes): changes.last
        }
    }

    package mutating func append(_ change: RequestForPayment.StatusChange, createdAt: SandboxInstant) {
        if case .fromCreation(nil) = form, change.note == nil {
            form = .fromCreation(second: Unnoted(status: change.status, at: change.at))
        } else {
            var all = changes(createdAt: createdAt)
            form = .list([])  // the array is uniquely referenced while it grows
            all.append(change)
            form = .list(all)
        }
    }
}
