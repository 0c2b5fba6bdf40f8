import Testing
import PayLinkJSON

/// Documents a strict RFC 8259 parser must reject, in the spirit of JSONTestSuite's `n_`
/// files, each with the reason it must be rejected for and, where it is worth pinning, the
/// byte offset reported.
struct RejectionCorpusTests {
    struct Rejection: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        let reason: JSONParseError.Reason
        let offset: Int?

        init(_ name: String, _ text: String, _ reason: JSONParseError.Reason, at offset: Int? = nil) {
            self.init(name, bytes: Array(text.utf8), reason, at: offset)
        }
        init(_ name: String, bytes: [UInt8], _ reason: JSONParseError.Reason, at offset: Int? = nil) {
            self.name = name
            self.bytes = bytes
            self.reason = reason
            self.offset = offset
        }
        var testDescription: String { "n_\(name)" }
    }

    /// `["` + bytes + `"]`: a string holding raw bytes, for the UTF-8 and control cases.
    static func stringOf(_ raw: [UInt8]) -> [UInt8] { [0x5B, 0x22] + raw + [0x22, 0x5D] }

    static let corpus: [Rejection] = [
        // The document ends early.
        Rejection("structure_no_data", "", .unexpectedEnd, at: 0),
        Rejection("structure_whitespace_only", " \t\n ", .unexpectedEnd, at: 4),
        Rejection("array_unclosed", "[", .unexpectedEnd, at: 1),
        Rejection("array_unclosed_after_value", "[1", .unexpectedEnd, at: 2),
        Rejection("array_unclosed_after_comma", "[1,", .unexpectedEnd, at: 3),
        Rejection("object_unclosed", "{", .unexpectedEnd, at: 1),
        Rejection("object_key_without_colon_at_end", "{\"a\"", .unexpectedEnd, at: 4),
        Rejection("object_missing_value_at_end", "{\"a\":", .unexpectedEnd, at: 5),
        Rejection("object_unclosed_after_value", "{\"a\":1", .unexpectedEnd, at: 6),
        Rejection("object_unclosed_after_comma", "{\"a\":1,", .unexpectedEnd, at: 7),
        Rejection("string_unterminated", "\"abc", .unexpectedEnd, at: 4),
        Rejection("string_backslash_at_end", "\"\\", .unexpectedEnd, at: 2),
        Rejection("string_incomplete_u_escape_at_end", "\"\\u12", .unexpectedEnd, at: 5),
        Rejection("string_high_surrogate_at_end", "\"\\ud83d", .unexpectedEnd, at: 7),
        Rejection("string_truncated_utf8_at_end", bytes: [0x22, 0xC3], .unexpectedEnd, at: 2),
        Rejection("incomplete_true", "tru", .unexpectedEnd, at: 3),
        Rejection("number_lone_minus_at_end", "-", .unexpectedEnd, at: 1),
        Rejection("number_dot_at_end", "1.", .unexpectedEnd, at: 2),
        Rejection("number_e_at_end", "1e", .unexpectedEnd, at: 2),

        // A byte the grammar does not allow where it stands.
        Rejection("array_trailing_comma", "[1,]", .unexpectedByte(UInt8(ascii: "]")), at: 3),
        Rejection("array_leading_comma", "[,1]", .unexpectedByte(UInt8(ascii: ",")), at: 1),
        Rejection("array_double_comma", "[1,,2]", .unexpectedByte(UInt8(ascii: ",")), at: 3),
        Rejection("array_missing_comma", "[1 2]", .unexpectedByte(UInt8(ascii: "2")), at: 3),
        Rejection("array_colon_instead_of_comma", "[\"\": 1]", .unexpectedByte(UInt8(ascii: ":")), at: 3),
        Rejection("array_star", "[*]", .unexpectedByte(UInt8(ascii: "*")), at: 1),
        Rejection("array_unclosed_with_object_close", "[1}", .unexpectedByte(UInt8(ascii: "}")), at: 2),
        Rejection("object_missing_colon", "{\"a\" 1}", .unexpectedByte(UInt8(ascii: "1")), at: 5),
        Rejection("object_double_colon", "{\"a\"::1}", .unexpectedByte(UInt8(ascii: ":")), at: 5),
        Rejection("object_trailing_comma", "{\"a\":1,}", .unexpectedByte(UInt8(ascii: "}")), at: 7),
        Rejection("object_only_comma", "{,}", .unexpectedByte(UInt8(ascii: ",")), at: 1),
        Rejection("object_missing_key", "{:1}", .unexpectedByte(UInt8(ascii: ":")), at: 1),
        Rejection("object_unquoted_key", "{a:1}", .unexpectedByte(UInt8(ascii: "a")), at: 1),
        Rejection("object_single_quoted_key", "{'a':1}", .unexpectedByte(UInt8(ascii: "'")), at: 1),
        Rejection("object_non_string_key", "{1:1}", .unexpectedByte(UInt8(ascii: "1")), at: 1),
        Rejection("object_missing_comma", "{\"a\":1 \"b\":2}", .unexpectedByte(UInt8(ascii: "\"")), at: 7),
        Rejection("object_semicolon_separator", "{\"a\":1;\"b\":2}", .unexpectedByte(UInt8(ascii: ";")), at: 6),
        Rejection("object_closed_with_bracket", "{\"a\":1]", .unexpectedByte(UInt8(ascii: "]")), at: 6),
        Rejection("string_single_quoted", "['a']", .unexpectedByte(UInt8(ascii: "'")), at: 1),
        Rejection("number_NaN", "[NaN]", .unexpectedByte(UInt8(ascii: "N")), at: 1),
        Rejection("number_Infinity", "[Infinity]", .unexpectedByte(UInt8(ascii: "I")), at: 1),
        Rejection("number_hex", "[0x1]", .unexpectedByte(UInt8(ascii: "x")), at: 2),
        Rejection("literal_capitalised_True", "[True]", .unexpectedByte(UInt8(ascii: "T")), at: 1),
        Rejection("literal_truncated_nul", "[nul]", .unexpectedByte(UInt8(ascii: "]")), at: 4),
        Rejection("literal_misspelled_truth", "[truth]", .unexpectedByte(UInt8(ascii: "t")), at: 4),
        Rejection("literal_fals_e", "[fals e]", .unexpectedByte(UInt8(ascii: " ")), at: 5),
        Rejection("structure_comment", "/* c */ []", .unexpectedByte(UInt8(ascii: "/")), at: 0),
        Rejection("structure_UTF8_BOM", bytes: [0xEF, 0xBB, 0xBF, 0x5B, 0x5D], .unexpectedByte(0xEF), at: 0),
        Rejection("structure_nbsp_as_whitespace", bytes: [0x5B, 0xC2, 0xA0, 0x5D], .unexpectedByte(0xC2), at: 1),
        Rejection("structure_form_feed_as_whitespace", "[\u{0C}]", .unexpectedByte(0x0C), at: 1),
        Rejection("structure_angle_bracket", "<null>", .unexpectedByte(UInt8(ascii: "<")), at: 0),

        // Numbers outside the grammar.
        Rejection("number_leading_zero", "[01]", .invalidNumber, at: 2),
        Rejection("number_double_zero", "[00]", .invalidNumber, at: 2),
        Rejection("number_negative_leading_zero", "[-01]", .invalidNumber, at: 3),
        Rejection("number_plus_sign", "[+1]", .invalidNumber, at: 1),
        Rejection("number_starting_with_dot", "[.5]", .invalidNumber, at: 1),
        Rejection("number_minus_dot", "[-.5]", .invalidNumber, at: 2),
        Rejection("number_ending_with_dot", "[1.]", .invalidNumber, at: 3),
        Rejection("number_dot_then_exponent", "[1.e5]", .invalidNumber, at: 3),
        Rejection("number_real_without_fraction", "[2.e3]", .invalidNumber, at: 3),
        Rejection("number_exponent_without_digits", "[1e]", .invalidNumber, at: 3),
        Rejection("number_exponent_sign_without_digits", "[1e+]", .invalidNumber, at: 4),
        Rejection("number_exponent_double_sign", "[1.5e+-2]", .invalidNumber, at: 6),
        Rejection("number_lone_minus", "[-]", .invalidNumber, at: 2),
        Rejection("number_double_minus", "[--1]", .invalidNumber, at: 2),
        Rejection("number_minus_Infinity", "[-Infinity]", .invalidNumber, at: 2),
        Rejection("number_minus_letters", "[-foo]", .invalidNumber, at: 2),

        // Escapes.
        Rejection("string_escape_x", "[\"\\x41\"]", .invalidEscape, at: 2),
        Rejection("string_escape_a", "[\"\\a\"]", .invalidEscape, at: 2),
        Rejection("string_escaped_apostrophe", "[\"\\'\"]", .invalidEscape, at: 2),
        Rejection("string_escape_capital_U", "[\"\\U0041\"]", .invalidEscape, at: 2),
        Rejection("string_u_escape_bad_hex", "[\"ab\\u12G4\"]", .invalidEscape, at: 4),
        Rejection("string_u_escape_too_short", "[\"\\u00\"]", .invalidEscape, at: 2),
        Rejection("string_escaped_raw_newline", "[\"\\\n\"]", .invalidEscape, at: 2),

        // Surrogates that do not pair up.
        Rejection("string_lone_high_surrogate", "[\"\\uD800\"]", .invalidUnicode, at: 2),
        Rejection("string_lone_low_surrogate", "[\"\\uDC00\"]", .invalidUnicode, at: 2),
        Rejection("string_high_surrogate_then_letter_escape", "[\"\\uD800\\u0041\"]", .invalidUnicode, at: 2),
        Rejection("string_high_surrogate_then_newline_escape", "[\"\\uD800\\n\"]", .invalidUnicode, at: 2),
        Rejection("string_high_surrogate_then_text", "[\"x\\uD800abc\"]", .invalidUnicode, at: 3),
        Rejection("string_two_high_surrogates", "[\"\\uDBFF\\uDBFF\"]", .invalidUnicode, at: 2),
        Rejection("string_reversed_pair", "[\"\\uDC00\\uD800\"]", .invalidUnicode, at: 2),

        // Raw bytes that are not UTF-8.
        Rejection("string_invalid_byte_FF", bytes: stringOf([0xFF]), .invalidUTF8, at: 2),
        Rejection("string_lone_continuation", bytes: stringOf([0x61, 0x80]), .invalidUTF8, at: 3),
        Rejection("string_overlong_slash", bytes: stringOf([0xC0, 0xAF]), .invalidUTF8, at: 2),
        Rejection("string_overlong_three_bytes", bytes: stringOf([0xE0, 0x80, 0xAF]), .invalidUTF8, at: 2),
        Rejection("string_encoded_surrogate", bytes: stringOf([0xED, 0xA0, 0x80]), .invalidUTF8, at: 2),
        Rejection("string_above_U+10FFFF", bytes: stringOf([0xF4, 0x90, 0x80, 0x80]), .invalidUTF8, at: 2),
        Rejection("string_lead_byte_F5", bytes: stringOf([0xF5, 0x80, 0x80, 0x80]), .invalidUTF8, at: 2),
        Rejection("string_truncated_sequence_before_quote", bytes: stringOf([0xE2, 0x82]), .invalidUTF8, at: 2),
        Rejection("string_invalid_after_escape", bytes: stringOf([0x5C, 0x6E, 0xFE]), .invalidUTF8, at: 4),
        Rejection("string_invalid_utf8_in_key", bytes: Array("{\"".utf8) + [0xC3, 0x28] + Array("\":1}".utf8), .invalidUTF8, at: 2),

        // Raw control characters in strings.
        Rejection("string_raw_newline", "[\"a\nb\"]", .controlCharacterInString, at: 3),
        Rejection("string_raw_tab", "[\"\t\"]", .controlCharacterInString, at: 2),
        Rejection("string_raw_NUL", "[\"\u{0}\"]", .controlCharacterInString, at: 2),
        Rejection("string_raw_unit_separator", "[\"\u{1F}\"]", .controlCharacterInString, at: 2),
        Rejection("string_raw_control_after_escape", "[\"\\n\u{01}\"]", .controlCharacterInString, at: 4),
        Rejection("string_raw_control_in_key", "{\"a\u{0D}\":1}", .controlCharacterInString, at: 3),

        // More than one value.
        Rejection("structure_array_trailing_garbage", "[1]x", .trailingData, at: 3),
        Rejection("structure_two_objects", "{}{}", .trailingData, at: 2),
        Rejection("structure_two_numbers", "1 2", .trailingData, at: 2),
        Rejection("structure_two_strings", "\"a\"\"b\"", .trailingData, at: 3),
        Rejection("structure_extra_close", "[1]]", .trailingData, at: 3),
        Rejection("structure_trailing_comma", "[] ,", .trailingData, at: 3),
        Rejection("structure_number_with_letters", "123abc", .trailingData, at: 3),
        Rejection("structure_null_then_letter", "nullx", .trailingData, at: 4),
        Rejection("structure_trailing_line_comment", "[1] // one", .trailingData, at: 4),
        Rejection("number_two_dots", "1.5.3", .trailingData, at: 3),

        // Nesting past the default limit of 64.
        Rejection("structure_65_nested_arrays", String(repeating: "[", count: 65), .tooDeep, at: 64),
        Rejection(
            "structure_65_nested_objects", String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65),
            .tooDeep, at: 64 * 5),
    ]

    @Test(arguments: corpus)
    func parse_rejectsInvalidDocument_withReasonAndOffset(_ rejection: Rejection) {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(rejection.bytes) }
        #expect(error?.reason == rejection.reason)
        if let offset = rejection.offset {
            #expect(error?.offset == offset)
        }
    }

    @Test func corpus_hasAtLeastSixtyDocuments_andCoversEveryReason() {
        #expect(Self.corpus.count >= 60)
        let reasons: [JSONParseError.Reason] = [
            .unexpectedEnd, .unexpectedByte(0), .invalidNumber, .invalidEscape, .invalidUnicode,
            .invalidUTF8, .controlCharacterInString, .trailingData, .tooDeep,
        ]
        for reason in reasons {
            let covered = Self.corpus.contains { rejection in
                switch (rejection.reason, reason) {
                case (.unexpectedByte, .unexpectedByte): true
                default: rejection.reason == reason
                }
            }
            #expect(covered, "no rejection case for \(reason)")
        }
    }

    @Test func parse_rejectsLeadingZero() {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse("{\"amount\":0100}") }
        #expect(error == JSONParseError(offset: 11, reason: .invalidNumber))
    }

    @Test func parse_rejectsTrailingCommaInObject_sayingWhatWasExpected() {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse("{\"a\":1,}") }
        #expect(error?.expected == .memberKey)
    }

    @Test func parse_rejectsTruncatedDocument_atItsEnd() {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse("{\"a\":[1,2") }
        #expect(error == JSONParseError(offset: 9, reason: .unexpectedEnd, expected: .commaOrArrayEnd))
    }
}

extension RejectionCorpusTests {
    @Test func parse_reportsExactOffsetOfBadStringByte_atEveryPositionOfTheWordScan() {
        // The string scan checks eight bytes at a time; the first bad byte must still be
        // reported where it is, wherever it falls in a word, including the final partial one.
        let bad: [(bytes: [UInt8], reason: JSONParseError.Reason)] = [
            ([0x0A], .controlCharacterInString), ([0x00], .controlCharacterInString),
            ([0x1F], .controlCharacterInString), ([0xFF], .invalidUTF8), ([0x80], .invalidUTF8),
            ([0xC0, 0x80], .invalidUTF8), ([0x5C, 0x71], .invalidEscape),
        ]
        for prefix in 0..<20 {
            for suffix in [0, 3, 11] {
                for (bytes, reason) in bad {
                    let document = [0x22] + [UInt8](repeating: 0x61, count: prefix) + bytes
                        + [UInt8](repeating: 0x62, count: suffix) + [0x22]
                    let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(document) }
                    #expect(error?.reason == reason, "\(bytes) after \(prefix) bytes")
                    #expect(error?.offset == 1 + prefix, "\(bytes) after \(prefix) bytes")
                }
            }
        }
    }
}
