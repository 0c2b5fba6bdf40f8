/// Where a batch file stands. The names are PayByLink's; APS reports the same stages with its
/// own codes (validation 76/77, processing 72).
public enum BatchStatus: String, Sendable, CaseIterable {
    /// Created; the file has not arrived.
    case awaitingUpload = "AwaitingUpload"
    /// The file arrived; it may still be replaced until the batch is confirmed.
    case uploaded = "Uploaded"
    /// Confirmed; the header and the CSV framing are being checked.
    case validating = "Validating"
    /// The file is sound and waits for a request to process it (APS `PROCESS_BATCH`);
    /// PayByLink goes straight on to processing.
    case validated = "Validated"
    /// Each record is being turned into a request or link.
    case processing = "Processing"
    /// Every record succeeded.
    case completed = "Completed"
    /// Processing finished and some records failed (see the batch's failures).
    case completedWithErrors = "CompletedWithErrors"
    /// The file as a whole was refused (no valid header, not UTF-8, no records).
    case failed = "Failed"

    /// Nothing more will happen to the batch.
    public var isFinished: Bool { self == .completed || self == .completedWithErrors || self == .failed }
}
