/// Header fields in the order received; names compared case-insensitively (ASCII).
///
/// Headers produced by the parser keep the raw header block bytes and the offsets of each
/// name and value; a `String` is only built for the fields a caller actually asks for.
/// Headers built in code (literals, `add`) store `String` pairs. Both behave the same.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (name: String, value: String)

    /// Offsets of one field inside `RawBlock.bytes`.
    struct Span: Sendable, Equatable {
        var nameStart: Int32
        var nameEnd: Int32
        var valueStart: Int32
        var valueEnd: Int32
    }

    /// The header block as received: field lines' bytes and the spans of each name and value.
    ///
    /// A class of constants: headers are copied several times a request (into the request, the
    /// router's and the endpoint's hands, the journal), and a copy of a class is one retain
    /// where a struct of two arrays is two. Nothing changes a block once parsed.
    final class RawBlock: Sendable {
        let bytes: [UInt8]
        let spans: [Span]

        init(bytes: [UInt8], spans: [Span]) {
            self.bytes = bytes
            self.spans = spans
        }
    }

    enum Storage: Sendable {
        case raw(RawBlock)
        case fields([(name: String, value: String)])
    }

    var storage: Storage

    public init() {
        storage = .fields([])
    }

    public init(_ fields: [(name: String, value: String)]) {
        storage = .fields(fields)
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        storage = .fields(elements.map { (name: $0.0, value: $0.1) })
    }

    init(raw: RawBlock) {
        storage = .raw(raw)
    }

    /// All fields in order. For parsed headers this builds the strings on each call.
    public var fields: [(name: String, value: String)] {
        switch storage {
        case .fields(let fields):
            return fields
        case .raw(let raw):
            var result: [(name: String, value: String)] = []
            result.reserveCapacity(raw.spans.count)
            for span in raw.spans {
                result.append((name: raw.string(span.nameStart, span.nameEnd), value: raw.string(span.valueStart, span.valueEnd)))
            }
            return result
        }
    }

    public var count: Int {
        switch storage {
        case .fields(let fields): return fields.count
        case .raw(let raw): return raw.spans.count
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// The first value for `name`, or nil.
    public subscript(name: String) -> String? {
        switch storage {
        case .fields(let fields):
            for field in fields where asciiCaseInsensitiveEquals(field.name, name) {
                return field.value
            }
            return nil
        case .raw(let raw):
            guard let index = raw.firstIndex(of: name) else { return nil }
            let span = raw.spans[index]
            return raw.string(span.valueStart, span.valueEnd)
        }
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        switch storage {
        case .fields(let fields):
            return fields.lazy.filter { asciiCaseInsensitiveEquals($0.name, name) }.map(\.value)
        case .raw(let raw):
            var result: [String] = []
            raw.forEachIndex(of: name) { span in result.append(raw.string(span.valueStart, span.valueEnd)) }
            return result
        }
    }

    /// Whether a field named `name` is present.
    public func contains(name: String) -> Bool {
        switch storage {
        case .fields(let fields):
            return fields.contains { asciiCaseInsensitiveEquals($0.name, name) }
        case .raw(let raw):
            return raw.firstIndex(of: name) != nil
        }
    }

    public mutating func add(name: String, value: String) {
        var fields = takeFields()
        fields.append((name: name, value: value))
        storage = .fields(fields)
    }

    /// Replaces the first field named `name` (dropping any later ones with that name), or appends it.
    public mutating func replaceOrAdd(name: String, value: String) {
        var fields = takeFields()
        if let first = fields.firstIndex(where: { asciiCaseInsensitiveEquals($0.name, name) }) {
            fields[first].value = value
            var index = fields.count - 1
            while index > first {
                if asciiCaseInsensitiveEquals(fields[index].name, name) { fields.remove(at: index) }
                index -= 1
            }
        } else {
            fields.append((name: name, value: value))
        }
        storage = .fields(fields)
    }

    /// Removes every field named `name`.
    public mutating func remove(name: String) {
        var fields = takeFields()
        fields.removeAll { asciiCaseInsensitiveEquals($0.name, name) }
        storage = .fields(fields)
    }

    private mutating func takeFields() -> [(name: String, value: String)] {
        switch storage {
        case .fields(let fields):
            storage = .fields([])  // drop our reference so the caller's copy is unique
            return fields
        case .raw:
            return self.fields
        }
    }

    public struct Iterator: IteratorProtocol {
        let headers: HTTPHeaders
        var index = 0
        public mutating func next() -> (name: String, value: String)? {
            switch headers.storage {
            case .fields(let fields):
                guard index < fields.count else { return nil }
                defer { index += 1 }
                return fields[index]
            case .raw(let raw):
                guard index < raw.spans.count else { return nil }
                let span = raw.spans[index]
                index += 1
                return (name: raw.string(span.nameStart, span.nameEnd), value: raw.string(span.valueStart, span.valueEnd))
            }
        }
    }

    public func makeIterator() -> Iterator { Iterator(headers: self) }

    public var underestimatedCount: Int { count }

    // MARK: byte-level access for the server

    /// Calls `body` with the UTF-8 bytes of each value for `name` (no String built for raw headers).
    func forEachValueBytes(of name: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        switch storage {
        case .fields(let fields):
            for field in fields where asciiCaseInsensitiveEquals(field.name, name) {
                var value = field.value
                value.withUTF8 { body($0) }
            }
        case .raw(let raw):
            raw.bytes.withUnsafeBufferPointer { bytes in
                raw.forEachIndex(of: name) { span in
                    body(UnsafeBufferPointer(rebasing: bytes[Int(span.valueStart)..<Int(span.valueEnd)]))
                }
            }
        }
    }
}

extension HTTPHeaders: Equatable {
    /// Equal when the fields, in order, have identical names and values.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        let l = lhs.fields, r = rhs.fields
        guard l.count == r.count else { return false }
        for (a, b) in zip(l, r) where a.name != b.name || a.value != b.value { return false }
        return true
    }
}

extension HTTPHeaders: CustomStringConvertible {
    public var description: String {
        "[" + fields.map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "]"
    }
}

extension HTTPHeaders.RawBlock {
    func string(_ start: Int32, _ end: Int32) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[Int(start)..<Int(end)]), as: UTF8.self) }
    }

    func firstIndex(of name: String) -> Int? {
        var result: Int?
        withNameBytes(name) { wanted in
            bytes.withUnsafeBufferPointer { bytes in
                for (index, span) in spans.enumerated()
                where asciiCaseInsensitiveEquals(UnsafeBufferPointer(rebasing: bytes[Int(span.nameStart)..<Int(span.nameEnd)]), wanted) {
                    result = index
                    return
                }
            }
        }
        return result
    }

    func forEachIndex(of name: String, _ body: (HTTPHeaders.Span) -> Void) {
        withNameBytes(name) { wanted in
            bytes.withUnsafeBufferPointer { bytes in
                for span in spans
                where asciiCaseInsensitiveEquals(UnsafeBufferPointer(rebasing: bytes[Int(span.nameStart)..<Int(span.nameEnd)]), wanted) {
                    body(span)
                }
            }
        }
    }
}

@inline(__always)
func withNameBytes(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    if let done: Void = name.utf8.withContiguousStorageIfAvailable(body) { return done }
    let copy = Array(name.utf8)
    copy.withUnsafeBufferPointer(body)
}

@inline(__always)
func asciiLower(_ byte: UInt8) -> UInt8 {
    byte &- 0x41 < 26 ? byte | 0x20 : byte
}

func asciiCaseInsensitiveEquals(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    for index in 0..<a.count where asciiLower(a[index]) != asciiLower(b[index]) {
        return false
    }
    return true
}

/// ASCII case-insensitive equality of two strings' UTF-8 bytes.
func asciiCaseInsensitiveEquals(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    // Names are usually spelled the same way (often the same literal), and exact equality of
    // identical strings is a comparison of their representations.
    if a == b { return true }
    var result = true
    withNameBytes(a) { a in
        withNameBytes(b) { b in result = asciiCaseInsensitiveEquals(a, b) }
    }
    return result
}
