/// Why a state snapshot cannot be restored, naming the field by its path in the state JSON
/// (`links[3].payment_link_id`), so the same message serves the core and the control API.
public struct SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the problem is, e.g. `orders[0].refunded_amount`; empty for the whole snapshot.
    public var path: String
    /// What is wrong, e.g. `must not exceed captured_amount (5000)`.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : path + ": " + message }
}
