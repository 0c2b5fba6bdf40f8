/// A value in a JSON document that cannot be used, named by its path, and why:
/// `links[3].amount: expected an integer`, `merchants[0].sha_type: expected SHA-256, …`.
/// The one error every reader of a document throws (configuration, scenarios, state
/// snapshots, faults, control-API bodies), so each surface turns it into its own answer.
public struct FieldProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where: `merchants[1].currencies[0]`; empty for the document as a whole.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// The configuration's spelling: `FieldProblem(key: "merchants[0].sha_type", "…")`.
    public init(key: String, _ message: String) { self.init(path: key, message: message) }

    /// The same as `path`, as configuration errors name it.
    public var key: String { path }

    public var description: String { path.isEmpty ? message : path + ": " + message }
}
