import PayLinkCore
import Testing

/// RFC 4180 records, the line endings and BOM met in practice, and every kind of broken
/// record reported where it starts, without stopping the reader.
struct CSVReaderTests {
    func read(_ text: String) -> [CSVRecord] { Array(CSVReader(Array(text.utf8))) }

    /// `skip` (the batch engine's counting pass) frames every file as `next` does: the same
    /// records, lines and first syntax errors, invalid UTF-8 included, and non-ASCII fields decode
    /// as before.
    @Test(arguments: [
        "a,b\r\n1,2\r\n\r\n\n3,4", "a,\"x\"\"y\",c\n\"two\nlines\",z\n", "a,b\"c,d\n1,2\n", "\"x\"tail,2\n3,4\n",
        "a\rb,c\n", "1,\"open\n2,3\n4,5", "caf\u{E9},\u{1F600}\n\"\u{E9}\"\"\u{E9}\",x\n",
        // Plain lines (framed in one pass) beside every kind that is not: a bare CR at a line's
        // end, a quote, a non-ASCII byte, a last line with no line end, CRLF and empty fields.
        "a,b\r\n,,\r\nx,y\r\r\n1,2\n", "p,q\nr,\"s\"\nt,u\n\u{E9},v\nw,x", "a\n\n\r\nb\r\nc\r", "h\nlast,\"",
    ])
    func skip_framesLikeNext(text: String) {
        assertSkipFramesLikeNext(Array(text.utf8))
    }

    /// `countRemaining` (the batch engine's validation) counts the records and finds the line
    /// of a quote left open as `skip` does, for files mixing lines with no quote (framed by
    /// their line feeds alone) with quoted fields across line ends, blank lines, bare carriage
    /// returns, bytes that are not UTF-8, a byte order mark and last lines with and without a
    /// line end.
    @Test(arguments: [
        "a,b\r\n1,2\r\n\r\n\n3,4", "a,\"x\"\"y\",c\n\"two\nlines\",z\n", "a,b\"c,d\n1,2\n", "\"x\"tail,2\n3,4\n",
        "a\rb,c\n", "1,\"open\n2,3\n4,5", "a,b\r\n,,\r\nx,y\r\r\n1,2\n", "p,q\nr,\"s\"\nt,u\n\u{E9},v\nw,x",
        "a\n\n\r\nb\r\nc\r", "h\nlast,\"", "", "\n\r\n", "\r", "\u{FEFF}h\n1\n\n", "\u{FEFF}", "x", "x\n\"",
        "a\n\"b\nc\nd\"\ne\nf,\"g\n\"\"\nh\"\ni\n", "a,\"\n\n\",b\n\"\"\n\n", "q\"\nr\n\"s\nt\n",
    ])
    func countRemaining_countsAsSkipDoes(text: String) {
        assertCountsLikeSkip(Array(text.utf8))
    }

    /// The same on generated files: lines of plain fields, quoted fields holding commas,
    /// doubled quotes and line ends, stray quotes, blank lines and CRLF, in random order.
    @Test func countRemaining_countsGeneratedFilesAsSkipDoes() {
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        func random(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let pieces = ["abc", ",", "\n", "\r\n", "\"q,\nr\"", "\"\"", "\"", "\r", "x\"y", "\n\n", "\u{E9}"]
        for _ in 0..<300 {
            let text = (0..<random(30)).map { _ in pieces[random(pieces.count)] }.joined()
            assertCountsLikeSkip(Array(text.utf8))
        }
    }

    func assertCountsLikeSkip(_ bytes: [UInt8]) {
        var skipping = CSVReader(bytes)
        var records = 0
        var unclosed: Int?
        while let next = skipping.skip() {
            records += 1
            if next.syntaxError?.kind == .unterminatedQuote { unclosed = next.line }
        }
        var counting = CSVReader(bytes)
        let counted = counting.countRemaining()
        #expect(counted.records == records, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        #expect(counted.unclosedQuoteLine == unclosed, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        // Counting after the header, as the engine does.
        var afterHeader = CSVReader(bytes)
        var skippingAfter = CSVReader(bytes)
        _ = afterHeader.next()
        _ = skippingAfter.next()
        var rest = 0
        while skippingAfter.skip() != nil { rest += 1 }
        #expect(afterHeader.countRemaining().records == rest)
    }

    /// A record read from a file keeps where its raw text lies and makes the text when asked:
    /// the same text, and the same record, as one made with its text, for plain lines, quoted
    /// fields across lines, broken records and text that is not ASCII; setting it replaces it.
    @Test func rawText_readFromTheFile_isTheRecordAsWritten() {
        var records = read("a,b\r\n\"x\ny\",z\n\u{E9},\"open\n")
        // A quote left open runs to the end of the file, its last line end included.
        #expect(records.map(\.raw) == ["a,b", "\"x\ny\",z", "\u{E9},\"open\n"])
        #expect(records[0] == CSVRecord(fields: ["a", "b"], line: 1, raw: "a,b"))
        #expect(records[1] == CSVRecord(fields: ["x\ny", "z"], line: 2, raw: "\"x\ny\",z"))
        #expect(records[2] == CSVRecord(fields: ["\u{E9}", "open\n"], line: 4, raw: "\u{E9},\"open\n",
                                        syntaxError: CSVSyntaxError(kind: .unterminatedQuote, fieldIndex: 1)))
        #expect(records[0] != CSVRecord(fields: ["a", "b"], line: 1, raw: "a,c"))
        records[0].raw = "changed"
        #expect(records[0].raw == "changed" && records[0] == CSVRecord(fields: ["a", "b"], line: 1, raw: "changed"))
    }

    @Test func skip_findsInvalidUTF8First_asNextDoes() {
        // Field 0 is not UTF-8 and field 2 opens a quote that never closes: the first error is the UTF-8 one.
        assertSkipFramesLikeNext(Array("h\n".utf8) + [0x61, 0xC3, 0x28] + Array(",b,\"open\nmore,1\n".utf8))
        assertSkipFramesLikeNext([0xEF, 0xBB, 0xBF] + Array("a,\"".utf8) + [0xC3] + Array("\"".utf8) + [0xA9] + Array(",c\n".utf8))
        let records = Array(CSVReader(Array("h\n".utf8) + [0x61, 0xC3, 0x28] + Array(",b\n".utf8)))
        #expect(records[1].syntaxError == CSVSyntaxError(kind: .invalidUTF8, fieldIndex: 0))
    }

    /// `skip` checks a field's UTF-8 where it lies in the file, quotes and all: doubled quotes
    /// beside or between a character's bytes, an ASCII run before a bad byte, a bad byte in an
    /// unclosed quote, and a record whose first error comes before a bad field.
    @Test func skip_checksUTF8InPlace_asNextDoes() {
        let e9: [UInt8] = [0xC3, 0xA9]
        let cases: [[UInt8]] = [
            Array("h\n\"".utf8) + e9 + Array("\"\"".utf8) + e9 + Array("\",x\n".utf8),
            Array("h\n\"".utf8) + [0xC3] + Array("\"\"".utf8) + [0xA9] + Array("\",x\n".utf8),
            Array("h\nplain ascii then ".utf8) + [0xE2, 0x82] + Array(",x\n".utf8),
            Array("h\nok,\"open ".utf8) + [0xF0, 0x9F, 0x98] + Array("\nmore".utf8),
            Array("h\na\"b,".utf8) + [0xFF] + Array("\n1,2\n".utf8),
            Array("h\n".utf8) + e9 + Array(",\"".utf8) + e9 + Array("\",".utf8) + [0xC3],
        ]
        for bytes in cases { assertSkipFramesLikeNext(bytes) }
        var reader = CSVReader(cases[1])
        _ = reader.skip()
        #expect(reader.skip()?.syntaxError == CSVSyntaxError(kind: .invalidUTF8, fieldIndex: 0))
    }

    func assertSkipFramesLikeNext(_ bytes: [UInt8]) {
        let records = Array(CSVReader(bytes))
        var reader = CSVReader(bytes)
        var framed: [(line: Int, syntaxError: CSVSyntaxError?)] = []
        while let next = reader.skip() { framed.append(next) }
        #expect(framed.map(\.line) == records.map(\.line))
        #expect(framed.map(\.syntaxError) == records.map(\.syntaxError))
    }

    @Test func nonASCIIFields_decode_andBrokenOnesAreReported() {
        let records = Array(CSVReader(Array("caf\u{E9},\u{1F600},plain\n".utf8) + [0xFF, 0x2C, 0x61]))
        #expect(records[0].fields == ["caf\u{E9}", "\u{1F600}", "plain"] && records[0].syntaxError == nil)
        #expect(records[1].fields == ["\u{FFFD}", "a"] && records[1].syntaxError == CSVSyntaxError(kind: .invalidUTF8, fieldIndex: 0))
    }

    @Test func plainFields_crlfAndLF_giveTheSameRecords() {
        let crlf = read("a,b,c\r\n1,2,3\r\n")
        let lf = read("a,b,c\n1,2,3\n")
        #expect(crlf.map(\.fields) == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(lf.map(\.fields) == crlf.map(\.fields))
        #expect(lf.map(\.line) == [1, 2])
        #expect(crlf[1].raw == "1,2,3")
    }

    /// A plain line (ASCII, no quote, no bare CR) is split at its commas in one pass; the same
    /// line with its first field quoted goes through the field-by-field reader. Both give the
    /// same fields and lines, for lines of every shape: empty fields, leading and trailing
    /// commas, spaces, CRLF and LF, blank lines between.
    @Test func plainLines_readLikeTheFieldByFieldReader() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let alphabet = Array("abcXYZ09 .@+-_/:;\t")
        for _ in 0..<300 {
            let fields = (0...random(12)).map { _ in String((0..<random(20)).map { _ in alphabet[random(alphabet.count)] }) }
            // A line of one empty field is a blank line, which is skipped.
            guard fields != [""] else { continue }
            let ending = random(2) == 0 ? "\n" : "\r\n"
            let blank = random(4) == 0 ? ending : ""
            let plain = "h\n" + blank + fields.joined(separator: ",") + ending + "last,1\n"
            let quoted = "h\n" + blank + "\"" + fields[0] + "\"" + fields.dropFirst().map { "," + $0 }.joined() + ending + "last,1\n"
            let records = read(plain), general = read(quoted)
            #expect(records.map(\.fields) == general.map(\.fields))
            #expect(records[1].fields == fields)
            #expect(records.map(\.line) == general.map(\.line))
            #expect(records[1].raw == fields.joined(separator: ","))
            #expect(records.allSatisfy { $0.syntaxError == nil })
        }
    }

    @Test func noFinalLineEnd_lastRecordStillRead() {
        #expect(read("a,b\n1,2").map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    @Test func byteOrderMark_isNotPartOfTheFirstField() {
        let records = Array(CSVReader([0xEF, 0xBB, 0xBF] + Array("Name,Amount\r\nx,1\r\n".utf8)))
        #expect(records[0].fields == ["Name", "Amount"])
        #expect(records[0].raw == "Name,Amount")
    }

    @Test func quotedFields_keepSeparatorsQuotesAndLineBreaks() {
        let records = read("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nlast,1\n")
        #expect(records.map(\.fields) == [["a", "b"], ["x, y", "say \"hi\""], ["two\nlines", "z"], ["last", "1"]])
        // The multi-line record starts on line 3; the next on line 5.
        #expect(records.map(\.line) == [1, 2, 3, 5])
        #expect(records[2].raw == "\"two\nlines\",z")
        #expect(records.allSatisfy { $0.syntaxError == nil })
    }

    @Test func emptyFields_andTrailingSeparator() {
        #expect(read("a,,c\n,,\nx,\n").map(\.fields) == [["a", "", "c"], ["", "", ""], ["x", ""]])
        #expect(read("\"\",b\n").map(\.fields) == [["", "b"]])
    }

    @Test func blankLines_areSkipped_butCounted() {
        let records = read("h\n\n\r\nrow\n\n")
        #expect(records.map(\.fields) == [["h"], ["row"]])
        #expect(records[1].line == 4)
    }

    @Test func quoteInsideUnquotedField_isReported_andReadingGoesOn() {
        let records = read("a,b\nx,ab\"c\ny,2\n")
        #expect(records[1].syntaxError == CSVSyntaxError(kind: .quoteInUnquotedField, fieldIndex: 1))
        #expect(records[2].fields == ["y", "2"])
        #expect(records[2].syntaxError == nil)
    }

    @Test func textAfterClosingQuote_isReported() {
        let records = read("\"ab\"c,d\n")
        #expect(records[0].syntaxError == CSVSyntaxError(kind: .textAfterClosingQuote, fieldIndex: 0))
        #expect(records[0].fields.count == 2)
    }

    @Test func unterminatedQuote_swallowsTheRest_andIsReported() {
        let records = read("a,b\n1,\"open\n2,3\n")
        #expect(records.count == 2)
        #expect(records[1].syntaxError == CSVSyntaxError(kind: .unterminatedQuote, fieldIndex: 1))
        #expect(records[1].line == 2)
    }

    @Test func bareCarriageReturn_isReported() {
        let records = read("a\rb,c\n")
        #expect(records[0].syntaxError?.kind == .bareCarriageReturn)
    }

    @Test func invalidUTF8_isReported_forTheFieldAtFault() {
        let records = Array(CSVReader(Array("a,b\n".utf8) + [0x78, 0x2C, 0xFF, 0xFE, 0x0A]))
        #expect(records[1].syntaxError == CSVSyntaxError(kind: .invalidUTF8, fieldIndex: 1))
    }

    @Test func utf8Text_survives() {
        #expect(read("name\nZoë Ł\n")[1].fields == ["Zoë Ł"])
    }

    @Test func emptyInput_hasNoRecords() {
        #expect(read("").isEmpty)
        #expect(Array(CSVReader([0xEF, 0xBB, 0xBF])).isEmpty)
    }
}
