/// What a dialect does with a batch file: read the header, then each record. The engine does
/// the rest (lifecycle, counts, failures, running off the request path).
public struct BatchFileHandler: Sendable {
    /// Checks the header record; returns the processor for the records below it, or why the
    /// whole file is refused.
    public var header: @Sendable (CSVRecord) -> Result<BatchRecordProcessor, BatchFileRejection>

    public init(header: @escaping @Sendable (CSVRecord) -> Result<BatchRecordProcessor, BatchFileRejection>) {
        self.header = header
    }
}

/// Turns one record into a request or link.
public struct BatchRecordProcessor: Sendable {
    public var process: @Sendable (CSVRecord) -> BatchRecordOutcome

    /// A processor that reports only failures: the reasons a record failed, empty on success.
    public init(process: @escaping @Sendable (CSVRecord) -> [BatchFieldError]) {
        self.process = { record in BatchRecordOutcome(errors: process(record)) }
    }

    /// A processor that also reports a result line for records (APS lists every line's outcome).
    public init(reporting: @escaping @Sendable (CSVRecord) -> BatchRecordOutcome) { self.process = reporting }
}

/// What became of one record: the reasons it failed (none on success) and, for dialects that
/// report every line, its result fields.
public struct BatchRecordOutcome: Sendable, Equatable {
    public var errors: [BatchFieldError]
    public var result: [String]?

    public init(errors: [BatchFieldError] = [], result: [String]? = nil) {
        self.errors = errors
        self.result = result
    }
}

/// Why a whole file was refused.
public struct BatchFileRejection: Error, Sendable, Equatable {
    public var reason: String
    /// The dialect's own code for the refusal, if it has one (APS: `142` header invalid).
    public var code: String?

    public init(_ reason: String, code: String? = nil) {
        self.reason = reason
        self.code = code
    }
}

/// Where the engine runs validation and processing. `Sandbox` uses a background dispatch
/// queue so a request never waits for a batch; tests of the core run work inline.
public protocol BatchScheduler: Sendable {
    func schedule(_ work: @escaping @Sendable () -> Void)
}

/// Runs work at once on the caller's thread: deterministic, for tests.
public struct InlineBatchScheduler: BatchScheduler {
    public init() {}
    public func schedule(_ work: @escaping @Sendable () -> Void) { work() }
}
