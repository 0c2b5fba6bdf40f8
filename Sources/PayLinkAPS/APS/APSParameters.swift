import PayLinkCore
import PayLinkJSON

/// A request's parameters: the JSON object as received (kept for the signature and the echo)
/// with typed accessors that treat `""` and `null` as absent.
package struct APSParameters: Sendable {
    package let object: JSONObject
    /// Whether any top-level value is an array or object. Usually none is, and then
    /// `requireScalar` has nothing to look up (it is called with a dozen names per request).
    private let hasNestedValues: Bool

    package init(object: JSONObject) {
        self.object = object
        hasNestedValues = object.members.contains { member in
            switch member.value {
            case .array, .object: true
            default: false
            }
        }
    }

    /// The value as text: strings as sent, numbers in plain digits (`1000`), booleans as
    /// `true`/`false`; nil when absent, empty or null. Nested values are not text: nil.
    package func text(_ name: String) -> String? {
        guard let value = object[name] else { return nil }
        switch value {
        case .string(let s): return s.isEmpty ? nil : s
        case .number(let literal): return CanonicalString.plainNumber(literal)
        case .bool(let b): return b ? "true" : "false"
        case .null, .array, .object: return nil
        }
    }

    package func isPresent(_ name: String) -> Bool { text(name) != nil }

    /// The value of a required field, or 001.
    package func required(_ name: String) throws(APSFailure) -> String {
        guard let value = text(name) else {
            if let v = object[name], case .array = v { throw .format(name, "must be a string") }
            if let v = object[name], case .object = v { throw .format(name, "must be a string") }
            throw .missing(name)
        }
        return value
    }

    /// Known fields must be scalars; a nested object or list in one is a format error.
    @inline(__always)
    package func requireScalar(_ names: @autoclosure () -> [String]) throws(APSFailure) {
        // The names are only built when something is nested, which is rare.
        guard hasNestedValues else { return }
        try requireScalarNames(names())
    }

    private func requireScalarNames(_ names: [String]) throws(APSFailure) {
        for name in names {
            switch object[name] {
            case .array?, .object?: throw .format(name, "must be a string, not a nested value")
            default: continue
            }
        }
    }
}
