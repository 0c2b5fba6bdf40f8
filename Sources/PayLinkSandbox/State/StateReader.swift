import PayLinkCore
import PayLinkJSON

/// One JSON object of a state snapshot being read, with its path for error messages. The
/// keys it may hold are given up front, so a misspelt or unknown key is refused rather than
/// silently ignored (a snapshot edited by hand should fail loudly, as configuration does).
struct StateReader {
    let path: String
    let object: JSONObject

    init(_ value: JSONValue, path: String, keys: [String]) throws(StateImportError) {
        guard case .object(let object) = value else { throw StateImportError(path: path, message: "must be an object") }
        if let repeated = object.duplicateKeys.first {
            throw StateImportError(path: Self.join(path, repeated), message: "appears more than once")
        }
        if let unknown = object.keys.first(where: { !keys.contains($0) }) {
            throw StateImportError(path: Self.join(path, unknown), message: "is not a field of this object (expected one of: \(keys.joined(separator: ", ")))")
        }
        self.path = path
        self.object = object
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func path(_ key: String) -> String { Self.join(path, key) }

    func failure(_ key: String, _ message: String) -> StateImportError { StateImportError(path: path(key), message: message) }

    /// A required member; `null` counts as missing.
    func value(_ key: String) throws(StateImportError) -> JSONValue {
        guard let value = object[key], value != .null else { throw failure(key, "is required") }
        return value
    }

    /// An optional member: absent and `null` both mean none.
    func optionalValue(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(StateImportError) -> String {
        guard case .string(let text) = try value(key) else { throw failure(key, "must be a string") }
        return text
    }

    func optionalString(_ key: String) throws(StateImportError) -> String? {
        guard let value = optionalValue(key) else { return nil }
        guard case .string(let text) = value else { throw failure(key, "must be a string or null") }
        return text
    }

    func bool(_ key: String) throws(StateImportError) -> Bool {
        guard case .bool(let flag) = try value(key) else { throw failure(key, "must be true or false") }
        return flag
    }

    func optionalBool(_ key: String) throws(StateImportError) -> Bool? {
        guard let value = optionalValue(key) else { return nil }
        guard case .bool(let flag) = value else { throw failure(key, "must be true, false or null") }
        return flag
    }

    /// A JSON integer, written without fraction or exponent (`1000`, never `1000.0` or `1e3`).
    func integer<T: FixedWidthInteger>(_ key: String, as _: T.Type = Int.self) throws(StateImportError) -> T {
        try Self.integer(try value(key), as: T.self, path: path(key))
    }

    func optionalInteger<T: FixedWidthInteger>(_ key: String, as _: T.Type = Int.self) throws(StateImportError) -> T? {
        guard let value = optionalValue(key) else { return nil }
        return try Self.integer(value, as: T.self, path: path(key))
    }

    static func integer<T: FixedWidthInteger>(_ value: JSONValue, as _: T.Type, path: String) throws(StateImportError) -> T {
        guard case .number(let text) = value else { throw StateImportError(path: path, message: "must be an integer") }
        if let parsed = T(text) { return parsed }
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let integral = !digits.isEmpty && digits.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        throw StateImportError(path: path, message: integral ? "is out of range (\(T.min) to \(T.max))" : "must be an integer")
    }

    func instant(_ key: String) throws(StateImportError) -> SandboxInstant {
        try StateValues.instant(try value(key), path: path(key))
    }

    func optionalInstant(_ key: String) throws(StateImportError) -> SandboxInstant? {
        guard let value = optionalValue(key) else { return nil }
        return try StateValues.instant(value, path: path(key))
    }

    /// A string that must be one of `options`, by its JSON spelling.
    func choice<T>(_ key: String, _ options: [(String, T)]) throws(StateImportError) -> T {
        let text = try string(key)
        guard let match = options.first(where: { $0.0 == text }) else {
            throw failure(key, "must be one of: \(options.map(\.0).joined(separator: ", "))")
        }
        return match.1
    }

    func object(_ key: String, keys: [String]) throws(StateImportError) -> StateReader {
        try StateReader(try value(key), path: path(key), keys: keys)
    }

    /// The elements of an array member with their paths (`links[3]`).
    func array(_ key: String) throws(StateImportError) -> [(value: JSONValue, path: String)] {
        guard case .array(let elements) = try value(key) else { throw failure(key, "must be an array") }
        let base = path(key)
        return elements.enumerated().map { (value: $0.element, path: "\(base)[\($0.offset)]") }
    }

    /// A masked card number (`400555******0001`), or none. A snapshot never carries a full
    /// card number: the sandbox masks them everywhere, and an edited file must not sneak one in.
    func maskedCardNumber(_ key: String) throws(StateImportError) -> String? {
        guard let text = try optionalString(key) else { return nil }
        guard StateValues.isMasked(text) else { throw failure(key, "must be masked (first six and last four digits only)") }
        return text
    }
}
