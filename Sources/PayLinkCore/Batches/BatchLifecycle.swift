/// The batch state machine as a value: each method checks that the step is allowed from the
/// current status, moves on, and keeps the record counts. No clock, no storage, no threads, so
/// every transition is tested directly; `BatchEngine` only adds atomicity and the background
/// work.
///
/// ```
/// AwaitingUpload --upload--> Uploaded --upload (replace)--> Uploaded
/// Uploaded --confirm--> Validating --header and framing good--> Validated --process--> Processing
/// Validating --file refused--> Failed
/// Processing --last record--> Completed | CompletedWithErrors
/// ```
public struct BatchLifecycle: Sendable, Equatable {
    public private(set) var status: BatchStatus = .awaitingUpload
    /// Records in the file (the header excluded), known once validation succeeds.
    public private(set) var totalRecords = 0
    public private(set) var succeededRecords = 0
    public private(set) var failedRecords = 0
    /// Why the file was refused as a whole (status Failed).
    public private(set) var failureReason: String?

    public init() {}

    public var processedRecords: Int { succeededRecords + failedRecords }

    /// A file arrives; before confirmation it replaces any earlier one.
    public mutating func upload() throws(BatchError) {
        switch status {
        case .awaitingUpload, .uploaded: status = .uploaded
        default: throw .alreadyConfirmed
        }
    }

    /// Starts validation. Returns false, changing nothing, when the batch was already
    /// confirmed (confirming twice is harmless, so a client may retry a lost answer).
    @discardableResult
    public mutating func confirm() throws(BatchError) -> Bool {
        switch status {
        case .awaitingUpload: throw .notUploaded
        case .uploaded:
            status = .validating
            return true
        default: return false
        }
    }

    /// The header and the framing are sound; `records` data records follow the header.
    public mutating func validationSucceeded(records: Int) throws(BatchError) {
        guard status == .validating else { throw status == .uploaded || status == .awaitingUpload ? .notConfirmed : .alreadyProcessing }
        totalRecords = records
        status = .validated
    }

    /// The file is refused as a whole.
    public mutating func validationFailed(reason: String) throws(BatchError) {
        guard status == .validating else { throw status == .uploaded || status == .awaitingUpload ? .notConfirmed : .alreadyProcessing }
        failureReason = reason
        status = .failed
    }

    /// Starts processing a validated file; a file without records completes at once.
    public mutating func startProcessing() throws(BatchError) {
        switch status {
        case .validated:
            status = totalRecords == 0 ? .completed : .processing
        case .awaitingUpload, .uploaded: throw .notConfirmed
        case .validating: throw .stillValidating
        case .failed: throw .validationFailed
        case .processing, .completed, .completedWithErrors: throw .alreadyProcessing
        }
    }

    /// Counts processed records; after the last one the batch finishes.
    public mutating func recordsProcessed(succeeded: Int, failed: Int) throws(BatchError) {
        guard status == .processing else { throw status == .validating ? .stillValidating : .notConfirmed }
        precondition(succeeded >= 0 && failed >= 0 && processedRecords + succeeded + failed <= totalRecords,
                     "more records processed than the file holds")
        succeededRecords += succeeded
        failedRecords += failed
        if processedRecords == totalRecords { status = failedRecords == 0 ? .completed : .completedWithErrors }
    }
}
