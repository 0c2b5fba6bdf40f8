/// Typed reads from one JSON object, each problem a `FieldProblem` naming the full path
/// (`merchants[0].currencies[2]`). The one reader of the sandbox's JSON documents:
/// configuration, scenarios and state snapshots.
///
/// Reads come in pairs: `string` requires the member (absent or `null` is "is required"),
/// `optionalString` takes absent and `null` as none. A reader made with the keys it may hold
/// refuses any other (a misspelt key fails loudly rather than being ignored).
public struct JSONReader: Sendable {
    public let path: String
    public let object: JSONObject

    /// Any keys; call `allowOnly` to restrict them.
    public init(_ object: JSONObject, path: String) {
        self.object = object
        self.path = path
    }

    /// An object holding no keys but `keys`, each once. Checked without building anything:
    /// each member's key is looked up in `keys` (lengths first), which for the couple of dozen
    /// keys of a snapshot's link costs less than hashing them into a `Set` for every object.
    public init(_ value: JSONValue, path: String, keys: [String]) throws(FieldProblem) {
        guard case .object(let object) = value else { throw FieldProblem(path: path, message: "expected an object") }
        self.init(object, path: path)
        try allowOnly(keys)
    }

    public static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The path of a member.
    public func path(_ key: String) -> String { Self.join(path, key) }

    public func failure(_ key: String, _ message: String) -> FieldProblem { FieldProblem(path: path(key), message: message) }

    /// Refuses keys not in `names`, and keys given twice; allocates nothing when all is well.
    public func allowOnly(_ names: [String]) throws(FieldProblem) {
        for member in object.members {
            let name = member.key, length = name.utf8.count
            guard names.contains(where: { $0.utf8.count == length && $0 == name }) else {
                throw failure(name, "unknown key (known here: \(names.sorted().joined(separator: ", ")))")
            }
        }
        if object.hasDuplicateKeys, let duplicate = object.duplicateKeys.first { throw failure(duplicate, "appears twice") }
    }

    /// Refuses keys not in `names`, and keys given twice.
    public func allowOnly(_ names: Set<String>) throws(FieldProblem) {
        for name in object.keys where !names.contains(name) {
            throw failure(name, "unknown key (known here: \(names.sorted().joined(separator: ", ")))")
        }
        if let duplicate = object.duplicateKeys.first { throw failure(duplicate, "appears twice") }
    }

    // MARK: - any value

    /// A required member; `null` counts as missing.
    public func value(_ key: String) throws(FieldProblem) -> JSONValue {
        guard let value = object[key], value != .null else { throw failure(key, "is required") }
        return value
    }

    /// An optional member: absent and `null` both mean none.
    public func optionalValue(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    // MARK: - strings and booleans

    public func string(_ key: String) throws(FieldProblem) -> String {
        guard case .string(let text) = try value(key) else { throw failure(key, "expected a string") }
        return text
    }

    public func optionalString(_ key: String) throws(FieldProblem) -> String? {
        guard let value = optionalValue(key) else { return nil }
        guard case .string(let text) = value else { throw failure(key, "expected a string") }
        return text
    }

    /// A required string that is not empty either.
    public func nonEmptyString(_ key: String) throws(FieldProblem) -> String {
        let text = try string(key)
        guard !text.isEmpty else { throw failure(key, "must not be empty") }
        return text
    }

    public func bool(_ key: String) throws(FieldProblem) -> Bool {
        guard case .bool(let flag) = try value(key) else { throw failure(key, "expected true or false") }
        return flag
    }

    public func optionalBool(_ key: String) throws(FieldProblem) -> Bool? {
        guard let value = optionalValue(key) else { return nil }
        guard case .bool(let flag) = value else { throw failure(key, "expected true or false") }
        return flag
    }

    /// A string that must be one of `options`, by its JSON spelling.
    public func choice<T>(_ key: String, _ options: [(String, T)]) throws(FieldProblem) -> T {
        let text = try string(key)
        guard let match = options.first(where: { $0.0 == text }) else {
            throw failure(key, "expected one of: \(options.map(\.0).joined(separator: ", "))")
        }
        return match.1
    }

    // MARK: - numbers

    /// A JSON integer, written without fraction or exponent (`1000`, never `1000.0` or `1e3`).
    public func integer<T: FixedWidthInteger>(_ key: String, as _: T.Type = Int.self) throws(FieldProblem) -> T {
        try Self.integer(try value(key), as: T.self, path: path(key))
    }

    public func optionalInteger<T: FixedWidthInteger>(_ key: String, as _: T.Type = Int.self) throws(FieldProblem) -> T? {
        guard let value = optionalValue(key) else { return nil }
        return try Self.integer(value, as: T.self, path: path(key))
    }

    /// A whole number above zero, or none.
    public func optionalPositiveInteger(_ key: String) throws(FieldProblem) -> Int? {
        guard let value = optionalValue(key) else { return nil }
        guard case .number(let literal) = value, !literal.contains("."), !literal.contains("e"), !literal.contains("E"),
              !literal.hasPrefix("-"), literal != "0" else { throw failure(key, "expected a positive whole number") }
        guard let n = Int(literal), n > 0 else { throw failure(key, "\(literal) is too large: at most \(Int.max)") }
        return n
    }

    public static func integer<T: FixedWidthInteger>(_ value: JSONValue, as _: T.Type, path: String) throws(FieldProblem) -> T {
        guard case .number(let text) = value else { throw FieldProblem(path: path, message: "expected an integer") }
        if let parsed = T(text) { return parsed }
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let integral = !digits.isEmpty && digits.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        throw FieldProblem(path: path, message: integral ? "is out of range (\(T.min) to \(T.max))" : "expected an integer")
    }

    // MARK: - objects and arrays

    /// A nested object holding no keys but `keys`.
    public func object(_ key: String, keys: [String]) throws(FieldProblem) -> JSONReader {
        try JSONReader(try value(key), path: path(key), keys: keys)
    }

    /// A nested object, or none; any keys.
    public func optionalObject(_ key: String) throws(FieldProblem) -> JSONReader? {
        guard let value = optionalValue(key) else { return nil }
        guard case .object(let nested) = value else { throw failure(key, "expected an object") }
        return JSONReader(nested, path: path(key))
    }

    /// The elements of an array member with their paths (`links[3]`).
    public func array(_ key: String) throws(FieldProblem) -> [(value: JSONValue, path: String)] {
        guard case .array(let elements) = try value(key) else { throw failure(key, "expected a list") }
        let base = path(key)
        return elements.enumerated().map { (value: $0.element, path: "\(base)[\($0.offset)]") }
    }

    public func optionalArray(_ key: String) throws(FieldProblem) -> [JSONValue]? {
        guard let value = optionalValue(key) else { return nil }
        guard case .array(let elements) = value else { throw failure(key, "expected a list") }
        return elements
    }

    /// A list of non-empty strings, or none.
    public func optionalStringArray(_ key: String) throws(FieldProblem) -> [String]? {
        guard let items = try optionalArray(key) else { return nil }
        return try items.enumerated().map { (index, item) throws(FieldProblem) in
            guard case .string(let text) = item, !text.isEmpty else {
                throw FieldProblem(path: path(key) + "[\(index)]", message: "expected a non-empty string")
            }
            return text
        }
    }
}
