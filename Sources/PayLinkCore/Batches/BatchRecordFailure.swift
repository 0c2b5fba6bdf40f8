import PayLinkJSON

/// A record that did not become a request or link: where it is in the file, what it said and
/// every reason, so that only the failed lines can be fixed and sent again.
public struct BatchRecordFailure: Sendable, Equatable {
    /// The line the record starts on; the header is line 1.
    public var line: Int
    /// The record as written in the file.
    public var raw: String
    /// Every reason, each naming the column (or field) at fault.
    public var errors: [FieldProblem]

    public init(line: Int, raw: String, errors: [FieldProblem]) {
        self.line = line
        self.raw = raw
        self.errors = errors
    }
}
