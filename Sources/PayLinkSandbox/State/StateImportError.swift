import PayLinkCore

/// Why `PUT /__sandbox/state` refused a snapshot: the JSON path of the bad field and what is
/// wrong with it (`links[3].amount: must be an integer`). Nothing was changed.
public struct StateImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the problem is, e.g. `orders[0].status.outcome`; empty for the document itself.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    package init(_ error: SnapshotError) { self.init(path: error.path, message: error.message) }

    /// `path: message`, ready for an HTTP 400 body.
    public var description: String { path.isEmpty ? message : path + ": " + message }
}
