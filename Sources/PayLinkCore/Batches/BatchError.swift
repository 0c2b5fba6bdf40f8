/// Why the batch lifecycle refused a step.
public enum BatchError: Error, Sendable, Equatable {
    /// No batch with that id (for this owner).
    case notFound
    /// Confirmed before any file was uploaded.
    case notUploaded
    /// An upload after the batch was confirmed.
    case alreadyConfirmed
    /// Processing asked for while validation is still running.
    case stillValidating
    /// Processing asked for a batch whose file was refused.
    case validationFailed
    /// Processing asked for twice.
    case alreadyProcessing
    /// A step that needs a confirmed batch (processing) on one not yet confirmed.
    case notConfirmed
    /// A new batch with an id already taken.
    case duplicateID
    /// A new batch with a reference its owner already used (APS `batch_reference`).
    case duplicateReference

    public var explanation: String {
        switch self {
        case .notFound: "no batch with that id"
        case .notUploaded: "the file has not been uploaded yet"
        case .alreadyConfirmed: "the batch is already confirmed; its file can no longer change"
        case .stillValidating: "the batch file is still under validation"
        case .validationFailed: "the batch file failed validation"
        case .alreadyProcessing: "the batch is already processing or processed"
        case .notConfirmed: "the batch has not been confirmed"
        case .duplicateID: "a batch with that id already exists"
        case .duplicateReference: "a batch with that reference already exists"
        }
    }
}
