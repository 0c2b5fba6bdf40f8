/// A configuration the sandbox refuses to start with, naming the key at fault
/// (`merchants[0].sha_type: …`).
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where in the file: `merchants[1].currencies[0]`; empty for the file as a whole.
    public let key: String
    public let message: String

    public init(key: String, _ message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { key.isEmpty ? "config: \(message)" : "config: \(key): \(message)" }
}
