/// Why a document was rejected, and where.
///
/// `offset` counts bytes from the start of the document, starting at 0, so it can be used
/// directly to slice the input. The `description` is written for the person who sent the
/// document (it ends up in 400 responses), so it says what was expected instead of only
/// what went wrong.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset (0-based) at which the problem was detected.
    public let offset: Int
    /// The kind of problem.
    public let reason: Reason
    /// What the grammar allowed at `offset`, when that is the useful thing to tell the
    /// sender (for example `',' or '}' after an object member`). Nil for problems such as
    /// an invalid escape, where the reason says it all.
    public let expected: Expected?

    public init(offset: Int, reason: Reason, expected: Expected? = nil) {
        self.offset = offset
        self.reason = reason
        self.expected = expected
    }

    /// The kinds of problem the parser reports.
    public enum Reason: Sendable, Equatable {
        /// The document ended before the value was complete (this includes an empty document).
        case unexpectedEnd
        /// A byte that the grammar does not allow here; see `expected`.
        case unexpectedByte(UInt8)
        /// A number that breaks the RFC 8259 grammar: a leading zero, a `+` sign, a missing
        /// digit before or after `.`, or a missing exponent digit.
        case invalidNumber
        /// A backslash followed by something other than `" \ / b f n r t` or `u` and four
        /// hex digits.
        case invalidEscape
        /// A `\u` escape for a UTF-16 surrogate that is not part of a high-low pair.
        case invalidUnicode
        /// Bytes in a string that are not well-formed UTF-8 (including overlong forms and
        /// encoded surrogates).
        case invalidUTF8
        /// A raw byte below 0x20 inside a string; JSON requires those to be escaped.
        case controlCharacterInString
        /// Something other than whitespace after the single top-level value.
        case trailingData
        /// Arrays and objects nested more deeply than the parser's `maxDepth`.
        case tooDeep
    }

    /// What the parser was looking for when it stopped.
    public enum Expected: Sendable, Equatable {
        /// Any JSON value.
        case value
        /// A string key or `}` right after `{`.
        case memberKeyOrObjectEnd
        /// A string key after `,` in an object.
        case memberKey
        /// `:` after an object key.
        case colon
        /// `,` or `}` after an object member.
        case commaOrObjectEnd
        /// A value or `]` right after `[`.
        case valueOrArrayEnd
        /// `,` or `]` after an array element.
        case commaOrArrayEnd
        /// The rest of the literal `true`, `false` or `null`.
        case literal(Literal)
        /// A digit inside a number.
        case digit
        /// The closing quote of a string.
        case closingQuote
        /// The rest of an escape sequence inside a string.
        case escapeSequence
        /// Nothing but whitespace after the top-level value.
        case endOfDocument

        public enum Literal: Sendable, Equatable {
            case `true`, `false`, null
        }
    }

    public var description: String {
        "invalid JSON at byte \(offset): \(explanation)"
    }

    /// The part of `description` after the position: a sentence fragment a person can act on.
    public var explanation: String {
        switch reason {
        case .unexpectedEnd:
            if let expected {
                return "expected \(expected.phrase), but the document ends there"
            }
            return "the document ends before the value is complete"
        case .unexpectedByte(let byte):
            return "expected \(expected?.phrase ?? "a value"), found \(Self.show(byte))"
        case .invalidNumber:
            return "invalid number; JSON numbers have no leading zeros and no '+' sign, "
                + "and need digits before and after '.' and after 'e'"
        case .invalidEscape:
            return "invalid escape in a string; only \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
                + "and \\u followed by four hex digits are allowed"
        case .invalidUnicode:
            return "a \\u escape encodes an unpaired UTF-16 surrogate; write a high-low pair "
                + "such as \\ud83d\\ude00, or the character itself as UTF-8"
        case .invalidUTF8:
            return "the bytes of this string are not valid UTF-8; send the document as UTF-8"
        case .controlCharacterInString:
            return "raw control character in a string; characters below U+0020 must be "
                + "escaped, for example as \\n or \\u0001"
        case .trailingData:
            return "unexpected data after the top-level value; a document holds exactly one value"
        case .tooDeep:
            return "arrays and objects are nested more deeply than allowed"
        }
    }

    /// A byte as a person would want to see it: quoted if printable ASCII, hex otherwise.
    private static func show(_ byte: UInt8) -> String {
        if byte == 0x20 { return "a space" }
        if byte > 0x20 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }
}

extension JSONParseError.Expected {
    /// The noun phrase used in error descriptions.
    var phrase: String {
        switch self {
        case .value: "a value (object, array, string, number, true, false or null)"
        case .memberKeyOrObjectEnd: "a string key or '}'"
        case .memberKey: "a string key after ','"
        case .colon: "':' after an object key"
        case .commaOrObjectEnd: "',' or '}' after an object member"
        case .valueOrArrayEnd: "a value or ']'"
        case .commaOrArrayEnd: "',' or ']' after an array element"
        case .literal(.true): "the literal 'true'"
        case .literal(.false): "the literal 'false'"
        case .literal(.null): "the literal 'null'"
        case .digit: "a digit"
        case .closingQuote: "the closing '\"' of a string"
        case .escapeSequence: "the rest of an escape sequence"
        case .endOfDocument: "the end of the document"
        }
    }
}
