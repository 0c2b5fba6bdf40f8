import Testing
import PayLinkJSON

/// Documents every RFC 8259 parser must accept, in the spirit of JSONTestSuite's `y_` files.
/// Each is also round-tripped: parse, serialise, parse again, and compare.
struct AcceptanceCorpusTests {
    struct Document: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        init(_ name: String, _ text: String) {
            self.name = name
            self.bytes = Array(text.utf8)
        }
        var testDescription: String { "y_\(name)" }
    }

    static let corpus: [Document] = [
        Document("array_arrays_with_spaces", "[[]   ]"),
        Document("array_empty_string", "[\"\"]"),
        Document("array_empty", "[]"),
        Document("array_ending_with_newline", "[\"a\"]\n"),
        Document("array_false", "[false]"),
        Document("array_heterogeneous", "[null, 1, \"1\", {}]"),
        Document("array_newline_inside", "[1\n]"),
        Document("array_leading_space", " [1]"),
        Document("array_several_null", "[1,null,null,null,2]"),
        Document("array_trailing_space", "[2] "),
        Document("number_big_exponent", "[123e65]"),
        Document("number_0e+1", "[0e+1]"),
        Document("number_0e1", "[0e1]"),
        Document("number_after_space", "[ 4]"),
        Document("number_tiny_negative", "[-0.000000000000000000000000000000000000000000000000000000000000000000000000000001]"),
        Document("number_int_with_exp", "[20e1]"),
        Document("number_minus_zero", "[-0]"),
        Document("number_negative_int", "[-123]"),
        Document("number_negative_one", "[-1]"),
        Document("number_capital_E", "[1E22]"),
        Document("number_capital_E_neg_exp", "[1E-2]"),
        Document("number_capital_E_pos_exp", "[1E+2]"),
        Document("number_real_exponent", "[123.456e78]"),
        Document("number_real_neg_exp", "[1e-2]"),
        Document("number_real_pos_exponent", "[1e+2]"),
        Document("number_simple_int", "[123]"),
        Document("number_simple_real", "[123.456789]"),
        Document("number_huge_int", "[100000000000000000000000000000000000000000000]"),
        Document("number_trailing_zero_fraction", "[1.50]"),
        Document("object_basic", "{\"asd\":\"sdf\", \"dfg\":\"fgh\"}"),
        Document("object_duplicated_key", "{\"a\":\"b\",\"a\":\"c\"}"),
        Document("object_empty", "{}"),
        Document("object_empty_key", "{\"\":0}"),
        Document("object_escaped_null_in_key", "{\"foo\\u0000bar\": 42}"),
        Document("object_extreme_numbers", "{ \"min\": -1.0e+28, \"max\": 1.0e+28 }"),
        Document("object_nested", "{\"x\":[{\"id\": \"xxx\"}], \"id\": \"xxx\"}"),
        Document("object_with_newlines", "{\n\"a\": \"b\"\n}"),
        Document("object_all_whitespace_kinds", " \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n1 \t\r\n} \t\r\n"),
        Document("string_1_2_3_bytes_UTF-8_sequences", "[\"\\u0060\\u012a\\u12AB\"]"),
        Document("string_accepted_surrogate_pair", "[\"\\uD801\\udc37\"]"),
        Document("string_accepted_surrogate_pair_max", "[\"\\uDBFF\\uDFFF\"]"),
        Document("string_allowed_escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]"),
        Document("string_backslash_and_u_escaped_zero", "[\"\\\\u0000\"]"),
        Document("string_escaped_control_character", "[\"\\u0012\"]"),
        Document("string_escaped_noncharacter", "[\"\\uFFFF\"]"),
        Document("string_nbsp_escaped", "[\"new\\u00A0line\"]"),
        Document("string_raw_multibyte", "[\"€𝄞\"]"),
        Document("string_raw_DEL", "[\"a\u{7F}z\"]"),
        Document("string_raw_line_separator", "[\"\u{2028}\"]"),
        Document("string_raw_slash", "[\"a/b\"]"),
        Document("string_raw_arabic", "[\"مرحبا بالعالم\"]"),
        Document("string_uescaped_newline", "[\"new\\u000Aline\"]"),
        Document("string_space", "\" \""),
        Document("structure_lonely_false", "false"),
        Document("structure_lonely_true", "true"),
        Document("structure_lonely_null", "null"),
        Document("structure_lonely_int", "42"),
        Document("structure_lonely_negative_real", "-0.1"),
        Document("structure_lonely_string", "\"asd\""),
        Document("structure_string_empty", "\"\""),
        Document("structure_whitespace_array", " [] "),
        Document("structure_true_in_array", "[true]"),
    ]

    @Test(arguments: corpus)
    func parse_acceptsValidDocument(_ document: Document) throws {
        _ = try JSONParser.parse(document.bytes)
    }

    @Test(arguments: corpus)
    func parse_serialiseThenParseAgain_givesEqualValue(_ document: Document) throws {
        let value = try JSONParser.parse(document.bytes)
        let written = value.serialized()
        #expect(try JSONParser.parse(written) == value)
        // Compact output is a fixed point: writing the re-parsed value gives the same bytes.
        #expect(try JSONParser.parse(written).serialized() == written)
    }

    @Test func corpus_hasAtLeastFortyDocuments() {
        #expect(Self.corpus.count >= 40)
    }

    @Test func parse_decodesEveryValueKind() throws {
        let value = try JSONParser.parse(
            "{\"s\":\"x\",\"n\":-1.5e3,\"t\":true,\"f\":false,\"z\":null,\"a\":[1,[]],\"o\":{\"k\":{}}}")
        let expected: JSONValue = [
            "s": "x", "n": .number("-1.5e3"), "t": true, "f": false, "z": nil,
            "a": [1, []], "o": ["k": .object(JSONObject())],
        ]
        #expect(value == expected)
    }

    @Test func parse_keepsDuplicateKeysInOrder_andReportsThem() throws {
        let object = try #require(try JSONParser.parse("{\"a\":1,\"b\":2,\"a\":3,\"b\":4,\"a\":5}").objectValue)
        #expect(object.keys == ["a", "b", "a", "b", "a"])
        #expect(object.duplicateKeys == ["a", "b"])
        #expect(object["a"] == .number("1"))
    }

    @Test func parse_decodesAllShortEscapes() throws {
        let value = try JSONParser.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"")
        #expect(value == .string("\"\\/\u{08}\u{0C}\n\r\t"))
    }

    @Test func parse_decodesSurrogatePairToOneScalar() throws {
        let value = try JSONParser.parse("\"\\ud83d\\ude00\"")
        #expect(value == .string("😀"))
        #expect(value.stringValue?.unicodeScalars.count == 1)
    }

    @Test func parse_decodesUnicodeEscapesOfEveryUTF8Length() throws {
        let value = try JSONParser.parse("\"\\u0041\\u00e9\\u20AC\\uD834\\uDD1E\\u0000\"")
        #expect(value == .string("Aé€𝄞\u{0}"))
    }

    @Test func parse_stringOverloadMatchesByteOverload() throws {
        let text = "{\"name\":\"Zoë\",\"items\":[1,2.50,{\"x\":null}]}"
        #expect(try JSONParser.parse(text) == JSONParser.parse(Array(text.utf8)))
    }

    @Test func parse_rawBufferOverloadReadsOnlyTheGivenRange() throws {
        // As when parsing a body still inside a larger receive buffer: offsets are relative
        // to the body, and bytes outside it are never read.
        let packet = Array("POST / HTTP/1.1\r\n\r\n{\"a\":[true]}garbage".utf8)
        let bodyStart = 19, bodyEnd = 31
        let value = try packet.withUnsafeBytes { raw in
            try JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[bodyStart..<bodyEnd]))
        }
        #expect(value == ["a": [true]])
        let error = packet.withUnsafeBytes { raw in
            #expect(throws: JSONParseError.self) {
                try JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[bodyStart..<(bodyEnd - 1)]))
            }
        }
        #expect(error?.offset == 11)
        #expect(error?.reason == .unexpectedEnd)
    }
}
