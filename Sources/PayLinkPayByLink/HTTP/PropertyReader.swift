import PayLinkJSON

/// Reads a JSON object's properties by name, case-insensitively (as ASP.NET binds them),
/// reporting into `FieldErrors` under the property's full path (`Customer.MobileNumber`):
/// unknown properties, duplicates, wrong types, missing required values.
struct PropertyReader {
    /// The known names in their canonical spelling, and the value given for each. A linear
    /// scan of ten names beats hashing, and this runs once per batch record.
    private let known: [String]
    private var values: [JSONValue?]
    let path: String

    /// - Parameter known: the properties this object may carry, in their canonical spelling.
    init(_ object: JSONObject, path: String, known: [String], errors: inout FieldErrors) {
        self.path = path
        self.known = known
        values = Array(repeating: nil, count: known.count)
        var seen = Array(repeating: false, count: known.count)
        for member in object.members {
            // The canonical spelling first (a batch record always uses it), then any case.
            guard let index = known.firstIndex(of: member.key) ?? known.firstIndex(where: { Self.sameName($0, member.key) }) else {
                errors.add(Self.join(path, member.key), "is not a known property; expected one of \(known.joined(separator: ", "))")
                continue
            }
            if seen[index] {
                errors.add(Self.join(path, known[index]), "appears more than once")
                continue
            }
            seen[index] = true
            // JSON null is the same as leaving the property out.
            if member.value != .null { values[index] = member.value }
        }
    }

    /// ASCII case-insensitive equality (property names are ASCII).
    static func sameName(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        for (x, y) in zip(a.utf8, b.utf8) where x != y {
            let lx = x >= 65 && x <= 90 ? x + 32 : x, ly = y >= 65 && y <= 90 ? y + 32 : y
            if lx != ly { return false }
        }
        return true
    }

    static func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : path + "." + name }

    func field(_ name: String) -> String { Self.join(path, name) }

    func has(_ name: String) -> Bool { value(name) != nil }

    func value(_ name: String) -> JSONValue? { known.firstIndex(of: name).flatMap { values[$0] } }

    /// A string property; an empty or blank string counts as missing when `required`.
    func string(_ name: String, required: Bool = false, maxLength: Int, errors: inout FieldErrors) -> String? {
        guard let value = value(name) else {
            if required { errors.add(field(name), "is required") }
            return nil
        }
        guard case .string(let text) = value else {
            errors.add(field(name), "must be a string")
            return nil
        }
        return Self.checkString(text, field: field(name), required: required, maxLength: maxLength, errors: &errors)
    }

    /// The checks of a string property's text, shared with the batch record reader
    /// (`PayByLinkRecordReader`): blank, too long, control characters.
    static func checkString(_ text: String, field: @autoclosure () -> String, required: Bool, maxLength: Int,
                            errors: inout FieldErrors) -> String? {
        // Cheap checks on bytes first; characters are counted only when the bytes could be too many.
        let startsPrintable = text.utf8.first.map { $0 > 0x20 && $0 < 0x7F } ?? false
        if !startsPrintable && text.allSatisfy(\.isWhitespace) {
            if required { errors.add(field(), "must not be empty") }
            return nil
        }
        if text.utf8.count > maxLength && text.count > maxLength {
            errors.add(field(), "must be at most \(maxLength) characters")
            return nil
        }
        if hasControlCharacter(text) {
            errors.add(field(), "must not contain control characters")
            return nil
        }
        return text
    }

    /// A C0 control character or DEL in `text`, looked for in its bytes where they lie (every
    /// native or short string): `utf8.contains(where:)` steps through the string's indices,
    /// about five times the work, and a batch checks some 140,000 strings.
    static func hasControlCharacter(_ text: String) -> Bool {
        let isControl: (UInt8) -> Bool = { $0 < 0x20 || $0 == 0x7F }
        return text.utf8.withContiguousStorageIfAvailable { $0.contains(where: isControl) } ?? text.utf8.contains(where: isControl)
    }

    /// An amount in pounds written as a JSON number (`12.50`).
    func amount(_ name: String, required: Bool, errors: inout FieldErrors) -> Int64? {
        guard let value = value(name) else {
            if required { errors.add(field(name), "is required") }
            return nil
        }
        let literal: String
        switch value {
        case .number(let text): literal = text
        case .string(let text) where PoundAmount.pence(text) != nil:
            errors.add(field(name), "must be a JSON number, e.g. \(text) without quotes")
            return nil
        default:
            errors.add(field(name), "must be a number of pounds, e.g. 12.50")
            return nil
        }
        return Self.checkAmount(number: literal, field: field(name), errors: &errors)
    }

    /// The checks of an amount written as a JSON number, shared with the batch record reader.
    static func checkAmount(number literal: String, field: @autoclosure () -> String, errors: inout FieldErrors) -> Int64? {
        guard let pence = PoundAmount.pence(literal) else {
            errors.add(field(), "must be a positive amount in pounds with at most 2 decimal places, e.g. 12.50")
            return nil
        }
        guard pence > 0 else {
            errors.add(field(), "must be more than 0.00")
            return nil
        }
        guard pence <= PoundAmount.maximumPence else {
            errors.add(field(), "must be at most \(PoundAmount.format(PoundAmount.maximumPence))")
            return nil
        }
        return pence
    }

    /// A whole JSON number in `range`.
    func integer(_ name: String, required: Bool, range: ClosedRange<Int>, errors: inout FieldErrors) -> Int? {
        guard let value = value(name) else {
            if required { errors.add(field(name), "is required") }
            return nil
        }
        guard case .number(let literal) = value, let number = Int(literal), range.contains(number) else {
            errors.add(field(name), "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return number
    }

    /// A nested object, read with its own known properties.
    func object(_ name: String, known: [String], required: Bool, errors: inout FieldErrors) -> PropertyReader? {
        guard let value = value(name) else {
            if required { errors.add(field(name), "is required") }
            return nil
        }
        guard case .object(let object) = value else {
            errors.add(field(name), "must be an object")
            return nil
        }
        return PropertyReader(object, path: field(name), known: known, errors: &errors)
    }
}
