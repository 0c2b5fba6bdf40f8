/// One record of a CSV file, with where it came from so a failure can point at it.
public struct CSVRecord: Sendable, Equatable {
    /// The fields, unquoted (`"a ""b"""` becomes `a "b"`).
    public var fields: [String]
    /// The physical line the record starts on, counting from 1 (a quoted field may span lines).
    public var line: Int
    /// The record as written, without its line ending.
    public var raw: String
    /// Set when the record breaks RFC 4180; `fields` then holds what could be read.
    public var syntaxError: CSVSyntaxError?

    public init(fields: [String], line: Int, raw: String, syntaxError: CSVSyntaxError? = nil) {
        self.fields = fields
        self.line = line
        self.raw = raw
        self.syntaxError = syntaxError
    }
}

/// Why a record could not be read, and in which field (0-based) it happened.
public struct CSVSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A `"` inside a field that did not start with one.
        case quoteInUnquotedField
        /// Something other than a separator or line end after a closing quote.
        case textAfterClosingQuote
        /// The file ended inside a quoted field.
        case unterminatedQuote
        /// A carriage return not followed by a line feed, outside quotes.
        case bareCarriageReturn
        /// Bytes that are not UTF-8.
        case invalidUTF8
    }

    public var kind: Kind
    public var fieldIndex: Int

    public init(kind: Kind, fieldIndex: Int) {
        self.kind = kind
        self.fieldIndex = fieldIndex
    }

    public var description: String {
        switch kind {
        case .quoteInUnquotedField: "a quote inside an unquoted field (quote the whole field and double the quote)"
        case .textAfterClosingQuote: "text after a closing quote"
        case .unterminatedQuote: "a quoted field is not closed before the end of the file"
        case .bareCarriageReturn: "a carriage return outside quotes that does not end the line"
        case .invalidUTF8: "the record is not valid UTF-8"
        }
    }
}
