import Testing
import PayLinkJSON

/// Parse, write, parse again: what the wire said must survive, down to the form of numbers
/// and the order of members, because signatures are computed over re-serialised bodies.
struct RoundTripTests {
    func roundTrip(_ text: String) throws -> String {
        try JSONParser.parse(text).jsonText
    }

    @Test func roundTrip_keepsMemberOrder() throws {
        let text = "{\"zeta\":1,\"alpha\":2,\"mid\":{\"y\":true,\"b\":false},\"last\":null}"
        #expect(try roundTrip(text) == text)
        let keys = try JSONParser.parse(text).objectValue?.keys
        #expect(keys == ["zeta", "alpha", "mid", "last"])
    }

    @Test(arguments: ["1000", "1.50", "-0", "0.0", "1E+2", "2.5e-3", "-1.0e+28", "123456789012345678901234567890"])
    func roundTrip_keepsNumberLiteralExactly(_ literal: String) throws {
        let value = try JSONParser.parse("[\(literal)]")
        #expect(value == .array([.number(literal)]))
        #expect(value.jsonText == "[\(literal)]")
    }

    @Test func roundTrip_removesInsignificantWhitespace() throws {
        #expect(try roundTrip(" { \"a\" : [ 1 , 2 ] ,\n\t\"b\" : { } } ") == "{\"a\":[1,2],\"b\":{}}")
    }

    @Test func roundTrip_rewritesEscapesInCanonicalForm() throws {
        // Short escapes stay short, `\/` and `\u0041` become raw, other controls become \u00XX.
        let text = #""q\"b\\s\/n\nr\rt\tb\bf\fA\u0041c\u0001e\u00e9""#
        #expect(try roundTrip(text) == #""q\"b\\s/n\nr\rt\tb\bf\fAAc\u0001eé""#)
    }

    @Test func roundTrip_surrogatePairBecomesRawUTF8() throws {
        let value = try JSONParser.parse(#""\ud83d\ude00""#)
        #expect(value == .string("😀"))
        #expect(value.serialized() == [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22])
        #expect(try JSONParser.parse(value.serialized()) == value)
    }

    @Test func roundTrip_arabicTextIsUnchanged() throws {
        let text = "{\"الاسم\":\"متجر الرياض\",\"الوصف\":\"دفع فاتورة رقم ١٢٣\"}"
        let value = try JSONParser.parse(text)
        #expect(value.objectValue?["الاسم"] == .string("متجر الرياض"))
        #expect(value.serialized() == Array(text.utf8))
        #expect(try JSONParser.parse(value.serialized()) == value)
    }

    @Test func roundTrip_escapedArabicBecomesRawUTF8() throws {
        let value = try JSONParser.parse(#""\u0645\u0631\u062d\u0628\u0627""#)
        #expect(value == .string("مرحبا"))
        #expect(value.jsonText == "\"مرحبا\"")
    }

    @Test func roundTrip_keepsDuplicateKeys() throws {
        let text = "{\"a\":1,\"a\":2}"
        #expect(try roundTrip(text) == text)
    }

    @Test func roundTrip_keepsEscapedNULInKey() throws {
        let text = #"{"foo\u0000bar":42}"#
        let value = try JSONParser.parse(text)
        #expect(value.objectValue?.keys == ["foo\u{0}bar"])
        #expect(value.jsonText == text)
    }

    @Test func roundTrip_typicalRequestBody() throws {
        let text = """
            {"amount":{"value":"1000.00","currency":"SAR"},"description":"Order #42 — شكراً",\
            "customer":{"email":"a@example.com","phone":"+966500000000"},"items":[{"sku":"A-1",\
            "qty":2,"price":12.50},{"sku":"B\\/2","qty":1,"price":975}],"metadata":{},"capture":true}
            """
        let value = try JSONParser.parse(text)
        #expect(try JSONParser.parse(value.serialized()) == value)
        #expect(value.objectValue?.keys == ["amount", "description", "customer", "items", "metadata", "capture"])
        #expect(value.objectValue?["items"]?.arrayValue?[0].objectValue?["price"] == .number("12.50"))
    }

    @Test func roundTrip_stringsWithSpecialBytesAtEveryPositionOfTheWordScan() throws {
        // The parser and writer check eight bytes at a time; put each kind of special byte
        // at every position relative to those words, including the unaligned tail.
        let specials = ["\"", "\\", "\n", "\u{1F}", "\u{0}", "é", "😀", "\u{7F}", "/", "ء"]
        for prefix in 0..<20 {
            for special in specials {
                let text = String(repeating: "a", count: prefix) + special + String(repeating: "b", count: 11 - prefix % 11)
                let written = JSONValue.string(text).serialized()
                #expect(try JSONParser.parse(written) == .string(text), "prefix \(prefix), special \(special.debugDescription)")
            }
        }
    }
}
