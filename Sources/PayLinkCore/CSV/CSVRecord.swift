/// One record of a CSV file, with where it came from so a failure can point at it.
public struct CSVRecord: Sendable, Equatable {
    /// The fields, unquoted (`"a ""b"""` becomes `a "b"`).
    public var fields: [String]
    /// The physical line the record starts on, counting from 1 (a quoted field may span lines).
    public var line: Int
    /// The record as written, without its line ending.
    public var raw: String {
        get {
            switch text {
            case .made(let raw): raw
            case .inFile(let file, let range): String(decoding: file[range], as: UTF8.self)
            }
        }
        set { text = .made(newValue) }
    }
    /// Set when the record breaks RFC 4180; `fields` then holds what could be read.
    public var syntaxError: CSVSyntaxError?

    /// The raw text, or where it lies in the file until someone asks for it: only a failed
    /// record's is ever read (a batch reports its line), and making it for every record read
    /// was a string (an allocation, a copy and a check of its bytes) a line.
    private var text: RawText

    private enum RawText: Sendable {
        case made(String)
        /// The file is shared with the reader, not copied.
        case inFile([UInt8], Range<Int>)
    }

    public init(fields: [String], line: Int, raw: String, syntaxError: CSVSyntaxError? = nil) {
        self.init(fields: fields, line: line, text: .made(raw), syntaxError: syntaxError)
    }

    /// A record whose raw text is `file[range]`, made into a string when it is read.
    init(fields: [String], line: Int, file: [UInt8], range: Range<Int>, syntaxError: CSVSyntaxError? = nil) {
        self.init(fields: fields, line: line, text: .inFile(file, range), syntaxError: syntaxError)
    }

    private init(fields: [String], line: Int, text: RawText, syntaxError: CSVSyntaxError?) {
        self.fields = fields
        self.line = line
        self.text = text
        self.syntaxError = syntaxError
    }

    /// Records are equal when what they say is: the raw text compared as text, however it is held.
    public static func == (lhs: CSVRecord, rhs: CSVRecord) -> Bool {
        lhs.fields == rhs.fields && lhs.line == rhs.line && lhs.syntaxError == rhs.syntaxError && lhs.raw == rhs.raw
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
