#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads CSV as RFC 4180 describes it, plus what files met in practice carry: a UTF-8 byte
/// order mark, LF as well as CRLF line endings, and blank lines (skipped). A broken record
/// does not stop the reader: it comes back with its `syntaxError` and reading goes on at the
/// next line, so a batch can report every bad line at once.
///
/// Works on bytes in one pass; fields are decoded from UTF-8 only once they are complete.
public struct CSVReader: Sequence, IteratorProtocol, Sendable {
    private let bytes: [UInt8]
    private var position: Int
    private var line = 1

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// Whether the file starts with a UTF-8 byte order mark (which is not part of any field).
    public var hadByteOrderMark: Bool { bytes.starts(with: [0xEF, 0xBB, 0xBF]) }

    public mutating func next() -> CSVRecord? {
        guard skipBlankLines() else { return nil }
        return readPlainLine() ?? readRecord(keepingText: true)
    }

    /// Reads the next record's framing only: where it starts and its first syntax error, as
    /// `next` would give them, without making its fields or raw text (counting the records of
    /// a file, the batch engine's validation, needs no more).
    public mutating func skip() -> (line: Int, syntaxError: CSVSyntaxError?)? {
        guard skipBlankLines() else { return nil }
        let line = self.line
        if skipPlainLine() { return (line, nil) }
        let record = readRecord(keepingText: false)
        return (line, record.syntaxError)
    }

    /// How many records are left and the line of the one, if any, whose quoted field is never
    /// closed, as calling `skip` to the end and looking at each record's error would find them
    /// (the batch engine's validation needs no more). A line holding no quote is one whole
    /// record, whatever else it holds: a bare carriage return or a byte that is not UTF-8 is
    /// an error of that record, not a change of where it ends. So such lines are framed by
    /// finding their line feeds with `memchr` (vectorised in the C library), where `skip`
    /// looked at every byte for four things (about a tenth of the work for a PayByLink
    /// batch's lines); a line holding a quote, which may open a field running across line
    /// ends, goes through `skip`.
    package mutating func countRemaining() -> (records: Int, unclosedQuoteLine: Int?) {
        var records = 0
        var unclosedQuoteLine: Int?
        // The first quote at or after `position`, or the file's end: looked for once a quote,
        // not once a line.
        var nextQuote = -1
        while skipBlankLines() {
            if nextQuote < position { nextQuote = offset(of: .quote, from: position) ?? bytes.count }
            if let lineFeed = offset(of: .lineFeed, from: position), lineFeed < nextQuote {
                position = lineFeed + 1
                line += 1
                records += 1
                continue
            }
            guard let record = skip() else { break }
            records += 1
            if record.syntaxError?.kind == .unterminatedQuote { unclosedQuoteLine = record.line }
        }
        return (records, unclosedQuoteLine)
    }

    /// Where `byte` next occurs at or after `start`, if it does.
    private func offset(of byte: UInt8, from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress, start < all.count,
                  let hit = memchr(base + start, Int32(byte), all.count - start) else { return nil }
            return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        }
    }

    /// Moves past the next record when it is a plain line (see `plainLine`); anything else
    /// changes nothing and is left to `readRecord`.
    private mutating func skipPlainLine() -> Bool {
        guard let plain = plainLine() else { return false }
        position = plain.lineFeed + 1
        line += 1
        return true
    }

    /// Reads the next record when it is a plain line (see `plainLine`): its fields are the
    /// bytes between its commas, made into strings straight from the file, where `readRecord`
    /// copies a field a byte at a time and checks every byte for quotes and line ends again
    /// (for a line of a PayByLink batch, about two and a half times the work). Anything else
    /// changes nothing and is left to `readRecord`.
    private mutating func readPlainLine() -> CSVRecord? {
        guard let plain = plainLine() else { return nil }
        let start = position
        let line = self.line
        let record = bytes.withUnsafeBufferPointer { all -> CSVRecord in
            // A carriage return in a plain line can only be the one of its CRLF.
            let end = plain.lineFeed > start && all[plain.lineFeed - 1] == .carriageReturn ? plain.lineFeed - 1 : plain.lineFeed
            func text(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: all[range]), as: UTF8.self)
            }
            var fields: [String] = []
            fields.reserveCapacity(plain.fieldCount)
            var fieldStart = start
            for index in start..<end where all[index] == .comma {
                fields.append(text(fieldStart..<index))
                fieldStart = index + 1
            }
            fields.append(text(fieldStart..<end))
            return CSVRecord(fields: fields, line: line, file: bytes, range: start..<end)
        }
        position = plain.lineFeed + 1
        self.line += 1
        return record
    }

    /// Where the next record ends when it is a plain line (nearly every record of a batch
    /// file): ASCII, no quote, no carriage return but one before its line feed. Such a line is
    /// a whole record with no syntax error whose fields lie between its commas, so one pass
    /// over its bytes frames it. Nil for anything else, and for the last line of a file
    /// without a line end.
    private func plainLine() -> (lineFeed: Int, fieldCount: Int)? {
        bytes.withUnsafeBufferPointer { all in
            var index = position
            var fieldCount = 1
            while index < all.count {
                let byte = all[index]
                if byte == .lineFeed { return (index, fieldCount) }
                if byte == .comma { fieldCount += 1 }
                if byte == .quote || byte >= 0x80 { return nil }
                if byte == .carriageReturn, !(index + 1 < all.count && all[index + 1] == .lineFeed) { return nil }
                index += 1
            }
            return nil
        }
    }

    /// Moves past blank lines; false at the end of the file.
    private mutating func skipBlankLines() -> Bool {
        // Blank lines between records carry nothing.
        while position < bytes.count {
            if bytes[position] == .lineFeed { position += 1; line += 1; continue }
            if bytes[position] == .carriageReturn, position + 1 < bytes.count, bytes[position + 1] == .lineFeed {
                position += 2; line += 1; continue
            }
            break
        }
        return position < bytes.count
    }

    /// `keepingText: false` reads the same framing and finds the same errors, but makes no
    /// fields or raw text (`skip`), and copies no bytes: a field's UTF-8 is checked where it
    /// lies in the file (`contentIsUTF8`).
    private mutating func readRecord(keepingText: Bool) -> CSVRecord {
        let start = position
        let startLine = line
        var fields: [String] = []
        var fieldCount = 0
        var field: [UInt8] = []
        var error: CSVSyntaxError?
        var recordEnd = bytes.count

        func fail(_ kind: CSVSyntaxError.Kind, _ index: Int) {
            if error == nil { error = CSVSyntaxError(kind: kind, fieldIndex: index) }
        }

        fieldLoop: while true {
            field.removeAll(keepingCapacity: true)
            let index = fieldCount
            // Where the field's bytes lie in the file, its quotes excluded (for `skip`).
            var contentStart = position
            var contentEnd = position
            if position < bytes.count, bytes[position] == .quote {
                // Quoted field: runs to the next lone quote, across separators and lines.
                position += 1
                contentStart = position
                var closed = false
                while position < bytes.count {
                    let byte = bytes[position]
                    if byte == .quote {
                        if position + 1 < bytes.count, bytes[position + 1] == .quote {
                            if keepingText { field.append(.quote) }
                            position += 2; continue
                        }
                        contentEnd = position
                        position += 1; closed = true; break
                    }
                    if byte == .lineFeed { line += 1 }
                    if keepingText { field.append(byte) }
                    position += 1
                }
                if !closed { contentEnd = position; fail(.unterminatedQuote, index) }
                // After the closing quote only a separator or a line end may follow.
                while position < bytes.count, bytes[position] != .comma, bytes[position] != .lineFeed,
                      !(bytes[position] == .carriageReturn && position + 1 < bytes.count && bytes[position + 1] == .lineFeed) {
                    fail(.textAfterClosingQuote, index)
                    if keepingText { field.append(bytes[position]) }
                    position += 1
                }
            } else {
                while position < bytes.count {
                    let byte = bytes[position]
                    if byte == .comma || byte == .lineFeed { break }
                    if byte == .carriageReturn {
                        if position + 1 < bytes.count, bytes[position + 1] == .lineFeed { break }
                        fail(.bareCarriageReturn, index)
                    } else if byte == .quote {
                        fail(.quoteInUnquotedField, index)
                    }
                    if keepingText { field.append(byte) }
                    position += 1
                }
                contentEnd = position
            }
            fieldCount += 1
            if keepingText {
                fields.append(decode(field, index: index, fail: fail))
            } else if error == nil, !contentIsUTF8(contentStart..<contentEnd) {
                // Looked for as `next` does, so the first syntax error is the same one. Once a
                // record has an error a later one is not reported, so the check can stop there.
                fail(.invalidUTF8, index)
            }
            guard position < bytes.count else { break fieldLoop }
            switch bytes[position] {
            case .comma:
                position += 1
            case .carriageReturn:
                recordEnd = position; position += 2; line += 1; break fieldLoop
            default:  // line feed
                recordEnd = position; position += 1; line += 1; break fieldLoop
            }
        }
        guard keepingText else { return CSVRecord(fields: fields, line: startLine, raw: "", syntaxError: error) }
        return CSVRecord(fields: fields, line: startLine, file: bytes, range: start..<Swift.min(recordEnd, bytes.count), syntaxError: error)
    }

    /// Whether a field, read in place, is UTF-8 as `decode` would find it. A quoted field's
    /// doubled quotes stand in the file for the one quote of its text; quotes are ASCII, so the
    /// pair and the single quote make the same answer. Text after a closing quote is left out:
    /// that is already the field's error, which comes first.
    private func contentIsUTF8(_ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        while index < range.upperBound, bytes[index] < 0x80 { index += 1 }
        if index == range.upperBound { return true }
        return String(validating: bytes[index..<range.upperBound], as: UTF8.self) != nil
    }

    private func decode(_ bytes: [UInt8], index: Int, fail: (CSVSyntaxError.Kind, Int) -> Void) -> String {
        // Plain ASCII, nearly every field, needs no validating (which is not specialized and
        // looks its generic types up at run time).
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        fail(.invalidUTF8, index)
        return String(decoding: bytes, as: UTF8.self)
    }
}

private extension UInt8 {
    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
}
