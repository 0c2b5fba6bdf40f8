/// A strict RFC 8259 parser into `JSONValue`.
///
/// Strict because the emulator must reject what the real services reject: exactly one
/// top-level value with only whitespace around it, no comments, no trailing commas, no
/// `NaN`, no leading zeros, and only well-formed UTF-8. Fast because it runs on every
/// request: it walks an unsafe buffer, scans strings eight bytes at a time, and builds each
/// string with a single `String(decoding:as:)` of its bytes when it has no escapes.
///
/// Object members are kept in the order received, duplicates included
/// (`JSONObject.duplicateKeys` reports them); numbers are kept as their literal text.
public enum JSONParser {
    /// Parses a complete JSON document.
    /// - Parameter maxDepth: how many arrays and objects may be nested; `[[1]]` has depth 2.
    ///   Bounding it keeps hostile input from exhausting the stack (the parser recurses once
    ///   per level), so keep it in the tens or low hundreds.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) in
                try parse(UnsafeRawBufferPointer(buffer), maxDepth: maxDepth)
            }
        }
        return try result.get()
    }

    /// Parses a complete JSON document held in raw memory (for example an HTTP body that
    /// is still in the receive buffer). The memory is only read during the call.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw JSONParseError(offset: 0, reason: .unexpectedEnd, expected: .value)
        }
        var parser = Parser(
            base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count, maxDepth: maxDepth)
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index < parser.count {
            throw JSONParseError(offset: parser.index, reason: .trailingData, expected: .endOfDocument)
        }
        return value
    }

    /// Parses a complete JSON document from its text.
    public static func parse(_ text: String, maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        // Native strings are contiguous UTF-8, so this is normally a pointer hand-off;
        // the copy only happens for the rare non-contiguous (bridged) string.
        let result = text.utf8.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) in
                try parse(UnsafeRawBufferPointer(buffer), maxDepth: maxDepth)
            }
        }
        if let result { return try result.get() }
        return try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}

/// The recursive-descent state. A struct with mutating methods keeps everything in
/// registers or on the stack; nothing here is allocated per character.
private struct Parser: ~Copyable {
    let base: UnsafePointer<UInt8>
    let count: Int
    let maxDepth: Int
    var index = 0
    var depth = 0
    /// Decoded bytes of the string being unescaped; reused so escapes cost no allocation
    /// beyond the final string.
    var scratch: [UInt8] = []
    /// Members and elements of the containers still open; each container moves its own out
    /// at its close.
    var memberStack = ElementStack<JSONObject.Member>()
    var elementStack = ElementStack<JSONValue>()

    init(base: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        self.base = base
        self.count = count
        self.maxDepth = maxDepth
    }

    // MARK: Errors

    func fail(_ reason: JSONParseError.Reason, at offset: Int, expected: JSONParseError.Expected? = nil) -> JSONParseError {
        JSONParseError(offset: offset, reason: reason, expected: expected)
    }

    /// The error for running out of input: always reported at the end of the document, so
    /// a truncated body is recognisable as such whatever was cut.
    func end(_ expected: JSONParseError.Expected) -> JSONParseError {
        JSONParseError(offset: count, reason: .unexpectedEnd, expected: expected)
    }

    // MARK: Structure

    @inline(__always)
    mutating func skipWhitespace() {
        while index < count {
            switch base[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard index < count else { throw end(.value) }
        switch base[index] {
        case ASCII.quote: return .string(try parseString())
        case ASCII.openBrace: return .object(try parseObject())
        case ASCII.openBracket: return .array(try parseArray())
        case ASCII.minus, ASCII.zero...ASCII.nine: return .number(try parseNumber())
        case 0x74: try parseLiteral("true", .true); return .bool(true)
        case 0x66: try parseLiteral("false", .false); return .bool(false)
        case 0x6E: try parseLiteral("null", .null); return .null
        // `+1` and `.5` are numbers in other languages; say why they are not here.
        case ASCII.plus, ASCII.dot: throw fail(.invalidNumber, at: index)
        case let byte: throw fail(.unexpectedByte(byte), at: index, expected: .value)
        }
    }

    mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw fail(.tooDeep, at: index) }
        index += 1
    }

    mutating func parseObject() throws(JSONParseError) -> JSONObject {
        try enterContainer()
        skipWhitespace()
        guard index < count else { throw end(.memberKeyOrObjectEnd) }
        if base[index] == ASCII.closeBrace {
            index += 1
            depth -= 1
            return JSONObject()
        }
        let first = memberStack.count
        var expectation = JSONParseError.Expected.memberKeyOrObjectEnd
        while true {
            guard base[index] == ASCII.quote else {
                throw fail(.unexpectedByte(base[index]), at: index, expected: expectation)
            }
            let key = try parseString()
            skipWhitespace()
            guard index < count else { throw end(.colon) }
            guard base[index] == ASCII.colon else {
                throw fail(.unexpectedByte(base[index]), at: index, expected: .colon)
            }
            index += 1
            let value = try parseValue()
            memberStack.push(JSONObject.Member(key: key, value: value))
            skipWhitespace()
            guard index < count else { throw end(.commaOrObjectEnd) }
            let byte = base[index]
            index += 1
            if byte == ASCII.comma {
                skipWhitespace()
                guard index < count else { throw end(.memberKey) }
                expectation = .memberKey
                continue
            }
            if byte == ASCII.closeBrace { break }
            throw fail(.unexpectedByte(byte), at: index - 1, expected: .commaOrObjectEnd)
        }
        let members = memberStack.popAll(from: first)
        depth -= 1
        return JSONObject(members)
    }

    mutating func parseArray() throws(JSONParseError) -> [JSONValue] {
        try enterContainer()
        skipWhitespace()
        guard index < count else { throw end(.valueOrArrayEnd) }
        if base[index] == ASCII.closeBracket {
            index += 1
            depth -= 1
            return []
        }
        let first = elementStack.count
        while true {
            elementStack.push(try parseValue())
            skipWhitespace()
            guard index < count else { throw end(.commaOrArrayEnd) }
            let byte = base[index]
            index += 1
            if byte == ASCII.comma { continue }
            if byte == ASCII.closeBracket { break }
            throw fail(.unexpectedByte(byte), at: index - 1, expected: .commaOrArrayEnd)
        }
        let elements = elementStack.popAll(from: first)
        depth -= 1
        return elements
    }

    mutating func parseLiteral(_ word: StaticString, _ literal: JSONParseError.Expected.Literal) throws(JSONParseError) {
        // The first byte was matched by the caller's switch.
        let length = word.utf8CodeUnitCount
        let text = word.utf8Start
        for offset in 1..<length {
            let position = index + offset
            guard position < count else { throw end(.literal(literal)) }
            if base[position] != text[offset] {
                throw fail(.unexpectedByte(base[position]), at: position, expected: .literal(literal))
            }
        }
        index += length
    }

    // MARK: Numbers

    @inline(__always)
    func isDigit(at position: Int) -> Bool {
        position < count && base[position] &- ASCII.zero <= 9
    }

    /// Validates `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` and returns the
    /// literal text unchanged.
    mutating func parseNumber() throws(JSONParseError) -> String {
        let start = index
        if base[index] == ASCII.minus { index += 1 }
        guard index < count else { throw end(.digit) }
        if base[index] == ASCII.zero {
            index += 1
            if isDigit(at: index) { throw fail(.invalidNumber, at: index) }  // leading zero
        } else if isDigit(at: index) {
            index += 1
            while isDigit(at: index) { index += 1 }
        } else {
            throw fail(.invalidNumber, at: index)
        }
        if index < count && base[index] == ASCII.dot {
            index += 1
            try requireDigits()
        }
        if index < count && (base[index] | 0x20) == 0x65 {  // e or E
            index += 1
            if index < count && (base[index] == ASCII.plus || base[index] == ASCII.minus) { index += 1 }
            try requireDigits()
        }
        return String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
    }

    /// One or more digits, as required after `.` and in an exponent.
    mutating func requireDigits() throws(JSONParseError) {
        guard index < count else { throw end(.digit) }
        guard isDigit(at: index) else { throw fail(.invalidNumber, at: index) }
        index += 1
        while isDigit(at: index) { index += 1 }
    }

    // MARK: Strings

    /// Parses a string starting at its opening quote.
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        while true {
            skipPlainASCII()
            guard index < count else { throw end(.closingQuote) }
            let byte = base[index]
            if byte == ASCII.quote {
                let text = String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
                index += 1
                return text
            } else if byte == ASCII.backslash {
                return try parseEscapedString(from: start)
            } else if byte < 0x20 {
                throw fail(.controlCharacterInString, at: index)
            } else if byte >= 0x80 {
                try skipMultibyteScalar()
            } else {
                index += 1
            }
        }
    }

    /// Advances past printable ASCII other than `"` and `\`, eight bytes at a time.
    @inline(__always)
    mutating func skipPlainASCII() {
        ByteScan.skipPlain(base, &index, count, stopAtNonASCII: true)
    }

    /// The slow path for a string with escapes: copies what was scanned so far into the
    /// scratch buffer and decodes the rest byte by byte.
    mutating func parseEscapedString(from start: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: index - start))
        while true {
            let runStart = index
            skipPlainASCII()
            while index < count {
                let byte = base[index]
                if byte == ASCII.quote || byte == ASCII.backslash || byte < 0x20 { break }
                if byte >= 0x80 { try skipMultibyteScalar() } else { index += 1 }
            }
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: index - runStart))
            guard index < count else { throw end(.closingQuote) }
            let byte = base[index]
            if byte == ASCII.quote {
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte < 0x20 { throw fail(.controlCharacterInString, at: index) }
            try decodeEscape()
        }
    }

    /// Decodes one escape sequence starting at its backslash and appends its UTF-8.
    mutating func decodeEscape() throws(JSONParseError) {
        let escapeStart = index
        guard index + 1 < count else { throw end(.escapeSequence) }
        let byte = base[index + 1]
        index += 2
        switch byte {
        case ASCII.quote, ASCII.backslash, ASCII.slash: scratch.append(byte)
        case 0x62: scratch.append(0x08)  // b
        case 0x66: scratch.append(0x0C)  // f
        case 0x6E: scratch.append(0x0A)  // n
        case 0x72: scratch.append(0x0D)  // r
        case 0x74: scratch.append(0x09)  // t
        case 0x75:  // u
            let unit = try readHex4(escapeStart: escapeStart)
            var scalar = UInt32(unit)
            if unit & 0xFC00 == 0xD800 {
                // A high surrogate is only valid immediately followed by an escaped low one.
                guard index < count else { throw end(.escapeSequence) }
                guard base[index] == ASCII.backslash else { throw fail(.invalidUnicode, at: escapeStart) }
                guard index + 1 < count else { throw end(.escapeSequence) }
                guard base[index + 1] == 0x75 else { throw fail(.invalidUnicode, at: escapeStart) }
                let lowStart = index
                index += 2
                let low = try readHex4(escapeStart: lowStart)
                guard low & 0xFC00 == 0xDC00 else { throw fail(.invalidUnicode, at: escapeStart) }
                scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if unit & 0xFC00 == 0xDC00 {
                throw fail(.invalidUnicode, at: escapeStart)
            }
            appendUTF8(scalar)
        default:
            throw fail(.invalidEscape, at: escapeStart)
        }
    }

    /// Reads the four hex digits of a `\u` escape (index is just past the `u`).
    mutating func readHex4(escapeStart: Int) throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < count else { throw end(.escapeSequence) }
            let byte = base[index]
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case 0x61...0x66: digit = byte - 0x61 + 10
            case 0x41...0x46: digit = byte - 0x41 + 10
            default: throw fail(.invalidEscape, at: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `index` (whose first byte is >= 0x80) and
    /// advances past it. Follows the well-formed table of Unicode §3.9 (table 3-7), which
    /// rules out overlong forms, encoded surrogates and values above U+10FFFF.
    mutating func skipMultibyteScalar() throws(JSONParseError) {
        let lead = base[index]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw fail(.invalidUTF8, at: index)
        }
        for offset in 1..<length {
            let position = index + offset
            guard position < count else { throw end(.closingQuote) }
            let byte = base[position]
            if byte < low || byte > high { throw fail(.invalidUTF8, at: index) }
            low = 0x80
            high = 0xBF
        }
        index += length
    }
}
