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

/// Turns one record into a request or link; returns the reasons it failed, empty on success.
public struct BatchRecordProcessor: Sendable {
    public var process: @Sendable (CSVRecord) -> [BatchFieldError]

    public init(process: @escaping @Sendable (CSVRecord) -> [BatchFieldError]) { self.process = process }
}

/// Why a whole file was refused.
public struct BatchFileRejection: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
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
