/// A batch file and what became of it.
public struct Batch: Sendable, Equatable {
    /// Chosen by the dialect (a GUID for PayByLink, 18 digits for APS).
    public let id: String
    /// Who may see it: a PayByLink subscription, an APS merchant.
    public let owner: Owner
    public let fileName: String
    /// The client's own name for the batch (APS `batch_reference`).
    public let reference: String?
    public let createdAt: SandboxInstant
    public internal(set) var lifecycle = BatchLifecycle()
    public internal(set) var uploadedAt: SandboxInstant?
    public internal(set) var confirmedAt: SandboxInstant?
    public internal(set) var finishedAt: SandboxInstant?
    /// The dialect's code for why the file was refused as a whole (see `BatchFileRejection`).
    public internal(set) var failureCode: String?
    /// Size of the uploaded file.
    public internal(set) var fileByteCount = 0
    /// Failed records in file order.
    public internal(set) var failures: [BatchRecordFailure] = []
    /// Result lines of the records whose processor reports them, in file order.
    public internal(set) var results: [BatchRecordResult] = []
    /// What the fields of `results` are, as the processor named them once the header was read
    /// (empty before, or when the dialect reports no result lines).
    public internal(set) var resultColumns: [String] = []

    public var status: BatchStatus { lifecycle.status }
}

/// The result a dialect reported for one record (APS: response code, message, link id, …).
public struct BatchRecordResult: Sendable, Equatable {
    public var line: Int
    public var fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}
