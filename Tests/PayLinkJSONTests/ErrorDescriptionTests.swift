import Testing
import PayLinkJSON

/// Error descriptions go back to API clients in 400 responses, so they must say where the
/// problem is and what would have been valid there.
struct ErrorDescriptionTests {
    func error(parsing text: String) -> JSONParseError? {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func description_namesOffsetAndWhatWasExpected() {
        let error = error(parsing: #"{"amount": 1000 "currency": "SAR"}"#)
        #expect(error?.description == "invalid JSON at byte 16: expected ',' or '}' after an object member, found '\"'")
    }

    @Test func description_saysTheDocumentEndedAndWhatWasStillExpected() {
        #expect(error(parsing: "[1,2")?.description == "invalid JSON at byte 4: expected ',' or ']' after an array element, but the document ends there")
        #expect(error(parsing: "")?.description.hasPrefix("invalid JSON at byte 0: expected a value") == true)
    }

    @Test func description_showsNonPrintableBytesInHex() {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse([0xEF, 0xBB, 0xBF, 0x7B, 0x7D]) }
        #expect(error?.description == "invalid JSON at byte 0: expected a value (object, array, string, number, true, false or null), found byte 0xEF")
        #expect(self.error(parsing: "[1 ]x")?.description == "invalid JSON at byte 4: unexpected data after the top-level value; a document holds exactly one value")
        #expect(self.error(parsing: "[fals e]")?.description.hasSuffix("expected the literal 'false', found a space") == true)
    }

    @Test func description_explainsEachReason() {
        let cases: [(String, String)] = [
            ("[01]", "no leading zeros"),
            (#"["\x"]"#, "invalid escape"),
            (#"["\ud800"]"#, "unpaired UTF-16 surrogate"),
            ("[\"\u{01}\"]", "must be escaped"),
            ("{} x", "exactly one value"),
            (String(repeating: "[", count: 100), "nested more deeply"),
            ("[tru]", "expected the literal 'true', found ']'"),
            (#"{"a" 1}"#, "expected ':' after an object key"),
        ]
        for (text, phrase) in cases {
            let description = error(parsing: text)?.description ?? ""
            #expect(description.contains(phrase), "\(text.debugDescription) gave: \(description)")
        }
        let invalidUTF8 = #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
        #expect(invalidUTF8?.description.contains("not valid UTF-8") == true)
    }
}
