import PayLinkCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PayLinkJSON

/// A request's parameters: the JSON object as received (kept for the signature and the echo)
/// with typed accessors that treat `""` and `null` as absent.
///
/// Held either as the parsed `JSONObject` or, for the usual request (an object of plain
/// strings, see `FlatStringObject`), as byte ranges of the body: the accessors answer the same
/// for both, and `object` gives the same members either way.
package struct APSParameters: Sendable {
    private enum Storage: Sendable {
        case object(JSONObject)
        case flat(FlatStringObject)
    }

    private let storage: Storage
    /// Whether any top-level value is an array or object. Usually none is, and then
    /// `requireScalar` has nothing to look up (it is called with a dozen names per request).
    private let hasNestedValues: Bool

    package init(object: JSONObject) {
        storage = .object(object)
        hasNestedValues = object.members.contains { member in
            switch member.value {
            case .array, .object: true
            default: false
            }
        }
    }

    /// A request read as plain strings: nothing is nested.
    package init(flat: FlatStringObject) {
        storage = .flat(flat)
        hasNestedValues = false
    }

    /// The parameters as a `JSONObject` (built from the body's bytes when read flat).
    package var object: JSONObject {
        switch storage {
        case .object(let object): object
        case .flat(let flat): flat.object
        }
    }

    /// The value as text: strings as sent, numbers in plain digits (`1000`), booleans as
    /// `true`/`false`; nil when absent, empty or null. Nested values are not text: nil.
    package func text(_ name: String) -> String? {
        switch storage {
        case .flat(let flat):
            guard let index = flat.index(of: name) else { return nil }
            let member = flat.members[index]
            return member.valueCount == 0 ? nil : flat.value(member)
        case .object(let object):
            guard let value = object[name] else { return nil }
            switch value {
            case .string(let s): return s.isEmpty ? nil : s
            case .number(let literal): return CanonicalString.plainNumber(literal)
            case .bool(let b): return b ? "true" : "false"
            case .null, .array, .object: return nil
            }
        }
    }

    /// Whether `text(name)` is not nil (without making the text).
    package func isPresent(_ name: String) -> Bool {
        switch storage {
        case .flat(let flat): flat.index(of: name).map { flat.members[$0].valueCount > 0 } ?? false
        case .object: text(name) != nil
        }
    }

    /// `isPresent` for a literal name: on a flat request, looked up without making a `String`.
    /// (Named apart so that a literal argument does not pick the `String` overload.)
    func has(_ name: StaticString) -> Bool {
        switch storage {
        case .flat(let flat): (flat.withValue(ofKey: name) { !$0.isEmpty }) ?? false
        case .object: text(String(describing: name)) != nil
        }
    }

    /// Calls `body` with the bytes of `text(name)`; nil when that is nil. On a flat request,
    /// without making a `String` (most values are too long to be stored inline in one).
    func withText<R>(_ name: StaticString, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        switch storage {
        case .flat(let flat):
            switch flat.withValue(ofKey: name, { $0.isEmpty ? nil : body($0) }) {
            case .some(let result?): return result
            default: return nil
            }
        case .object:
            guard var text = text(String(describing: name)) else { return nil }
            return text.withUTF8 { body($0) }
        }
    }

    /// Whether `text(name) == value`.
    func text(_ name: StaticString, equals value: String) -> Bool {
        withText(name) { bytes in
            var value = value
            return value.withUTF8 { value in
                value.count == bytes.count && (value.isEmpty || memcmp(value.baseAddress!, bytes.baseAddress!, value.count) == 0)
            }
        } ?? false
    }

    /// The value of a required field, or 001.
    package func required(_ name: String) throws(APSFailure) -> String {
        guard let value = text(name) else {
            if case .object(let object) = storage {
                if let v = object[name], case .array = v { throw .format(name, "must be a string") }
                if let v = object[name], case .object = v { throw .format(name, "must be a string") }
            }
            throw .missing(name)
        }
        return value
    }

    /// Known fields must be scalars; a nested object or list in one is a format error.
    @inline(__always)
    package func requireScalar(_ names: @autoclosure () -> [String]) throws(APSFailure) {
        // The names are only built when something is nested, which is rare.
        guard hasNestedValues, case .object(let object) = storage else { return }
        try Self.requireScalarNames(names(), in: object)
    }

    private static func requireScalarNames(_ names: [String], in object: JSONObject) throws(APSFailure) {
        for name in names {
            switch object[name] {
            case .array?, .object?: throw .format(name, "must be a string, not a nested value")
            default: continue
            }
        }
    }
}
