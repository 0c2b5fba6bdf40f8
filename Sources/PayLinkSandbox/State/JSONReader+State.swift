import PayLinkCore
import PayLinkJSON

/// The reads only a state snapshot has: instants with milliseconds and masked card numbers.
extension JSONReader {
    func instant(_ key: String) throws(FieldProblem) -> SandboxInstant {
        try StateValues.instant(try value(key), path: path(key))
    }

    func optionalInstant(_ key: String) throws(FieldProblem) -> SandboxInstant? {
        guard let value = optionalValue(key) else { return nil }
        return try StateValues.instant(value, path: path(key))
    }

    /// A masked card number (`400555******0001`), or none. A snapshot never carries a full
    /// card number: the sandbox masks them everywhere, and an edited file must not sneak one in.
    func maskedCardNumber(_ key: String) throws(FieldProblem) -> String? {
        guard let text = try optionalString(key) else { return nil }
        guard StateValues.isMasked(text) else { throw failure(key, "must be masked (first six and last four digits only)") }
        return text
    }
}
