import PayLinkCore

/// How a read record crosses the batch engine from the reading thread to the creating one, as
/// one object: the `PreparedDraft` itself when the record reads well (a class already, so not
/// boxed again: one object a record fewer to make and free), else its errors in a
/// `ReadFailure`. The creating thread tells them apart with a class cast.
extension PayByLinkBatchFile {
    /// A record that did not read, as it crosses.
    final class ReadFailure: Sendable {
        let errors: RecordErrors
        init(_ errors: RecordErrors) { self.errors = errors }
    }

    /// `read` as the object that crosses the engine.
    static func crossing(_ read: consuming ReadRecord) -> PreparedValue {
        switch consume read {
        case .success(let draft): draft
        case .failure(let errors): ReadFailure(errors)
        }
    }

    /// What `crossing(_:)` made of a record, back as it was read.
    static func arrived(_ prepared: PreparedValue) -> ReadRecord {
        if let draft = prepared as? PreparedDraft { return .success(draft) }
        // This handler's `prepare` makes nothing else.
        return .failure((prepared as! ReadFailure).errors)
    }
}
