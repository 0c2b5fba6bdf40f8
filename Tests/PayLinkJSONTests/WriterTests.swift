import Testing
import PayLinkJSON

/// The writer on its own: compact output, RFC 8259 escaping, key sorting, and the literal
/// conveniences used to build responses.
struct WriterTests {
    @Test func write_producesCompactOutput() {
        let value: JSONValue = ["a": [1, 2, ["b": nil]], "c": "d", "e": true, "f": false, "g": [], "h": .object(JSONObject())]
        #expect(value.jsonText == #"{"a":[1,2,{"b":null}],"c":"d","e":true,"f":false,"g":[],"h":{}}"#)
    }

    @Test func write_escapesQuoteBackslashAndControlCharacters() {
        #expect(JSONValue.string("\"\\").jsonText == #""\"\\""#)
        #expect(JSONValue.string("\n\r\t\u{08}\u{0C}").jsonText == #""\n\r\t\b\f""#)
        #expect(JSONValue.string("\u{0}\u{01}\u{1F}").jsonText == #""\u0000\u0001\u001f""#)
    }

    @Test func write_escapesEveryControlCharacterAndNothingElseInASCII() throws {
        for scalar in UInt8(0)..<0x80 {
            let text = String(Character(Unicode.Scalar(scalar)))
            let written = JSONValue.string(text).jsonText
            let expectEscaped = scalar < 0x20 || scalar == 0x22 || scalar == 0x5C
            #expect((written.count > 3) == expectEscaped, "byte \(scalar) written as \(written)")
            #expect(try JSONParser.parse(written) == .string(text))
        }
    }

    @Test func write_leavesSlashDelAndNonASCIIRaw() {
        let text = "a/b\u{7F}é\u{2028}😀"
        #expect(JSONValue.string(text).serialized() == [0x22] + Array(text.utf8) + [0x22])
    }

    @Test func write_matchesReferenceEscaper_forEveryByteAtEveryWordPosition() {
        // A deliberately naive escaper to check the word-at-a-time writer against.
        func reference(_ text: String) -> [UInt8] {
            var out: [UInt8] = [0x22]
            for byte in text.utf8 {
                switch byte {
                case 0x22: out += Array(#"\""#.utf8)
                case 0x5C: out += Array(#"\\"#.utf8)
                case 0x0A: out += Array(#"\n"#.utf8)
                case 0x0D: out += Array(#"\r"#.utf8)
                case 0x09: out += Array(#"\t"#.utf8)
                case 0x08: out += Array(#"\b"#.utf8)
                case 0x0C: out += Array(#"\f"#.utf8)
                case ..<0x20:
                    let hex = String(byte, radix: 16)
                    out += Array(("\\u00" + (hex.count == 1 ? "0" : "") + hex).utf8)
                default: out.append(byte)
                }
            }
            return out + [0x22]
        }
        for position in 0..<17 {
            for scalar in UInt8(0)..<0x80 {
                let text = String(repeating: "x", count: position) + String(Character(Unicode.Scalar(scalar))) + "yz0123456789"
                #expect(JSONValue.string(text).serialized() == reference(text), "byte \(scalar) at \(position)")
            }
        }
    }

    @Test func write_writesNumbersAsTheirLiteralText() {
        let value: JSONValue = [.number("1000"), .number("1.50"), .number("-2.5E+3"), 42, .number(-7), .number(UInt64.max)]
        #expect(value.jsonText == "[1000,1.50,-2.5E+3,42,-7,18446744073709551615]")
    }

    @Test func write_sortedKeys_ordersByUTF8BytesAtEveryLevel() {
        let value: JSONValue = [
            "b": 1, "a": ["z": 1, "y": [["d": 1, "c": 2]]], "B": 2, "é": 3, "aa": 4, "": 5,
        ]
        // Byte order: "" < "B" < "a" < "aa" < "b" < "é" (0xC3 0xA9).
        #expect(value.jsonText(sortedKeys: true) == #"{"":5,"B":2,"a":{"y":[{"c":2,"d":1}],"z":1},"aa":4,"b":1,"é":3}"#)
        // Stored order is untouched.
        #expect(value.objectValue?.keys == ["b", "a", "B", "é", "aa", ""])
    }

    @Test func write_sortedKeys_keepsDuplicateKeysInStoredOrder() throws {
        let value = try JSONParser.parse(#"{"b":1,"a":"first","a":"second","a":"third"}"#)
        #expect(value.jsonText(sortedKeys: true) == #"{"a":"first","a":"second","a":"third","b":1}"#)
    }

    @Test func write_sortedKeys_usesBytesNotCanonicalEquivalence() {
        // "é" precomposed (C3 A9) and decomposed ("e" + U+0301) compare equal as Swift
        // Strings, but are different bytes; byte order puts the decomposed one first.
        let value = JSONValue.object(JSONObject([(key: "\u{E9}", value: 1), (key: "e\u{301}", value: 2)]))
        #expect(value.serialized(sortedKeys: true) == Array("{\"e\u{301}\":2,\"\u{E9}\":1}".utf8))
    }

    @Test func write_appendsToExistingBuffer() {
        var buffer = Array("prefix:".utf8)
        JSONValue.array([1, "x"]).write(into: &buffer)
        let object: JSONObject = ["k": true]
        object.write(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix:[1,"x"]{"k":true}"#)
    }

    @Test func objectSerialized_matchesValueSerialized() {
        let object: JSONObject = ["b": 1, "a": "x"]
        #expect(object.serialized() == JSONValue.object(object).serialized())
        #expect(object.serialized(sortedKeys: true) == Array(#"{"a":"x","b":1}"#.utf8))
    }

    @Test func literals_buildTheExpectedValues() {
        let name = "Zoë"
        let value: JSONValue = ["name": "\(name)", "count": 3, "ok": true, "none": nil, "list": [1, "two"]]
        #expect(value == .object(JSONObject([
            (key: "name", value: .string("Zoë")), (key: "count", value: .number("3")), (key: "ok", value: .bool(true)),
            (key: "none", value: .null), (key: "list", value: .array([.number("1"), .string("two")])),
        ])))
        #expect(JSONValue.number(42) == .number("42"))
        #expect(JSONValue.number(Int64.min) == .number("-9223372036854775808"))
    }
}

extension JSONValue {
    /// Test shorthand for the sorted text.
    func jsonText(sortedKeys: Bool) -> String { String(decoding: serialized(sortedKeys: sortedKeys), as: UTF8.self) }
}

extension WriterTests {
    @Test func objectJSONText_matchesSerializedBytes() {
        let object: JSONObject = ["b": [1, nil], "a": "ü"]
        #expect(object.jsonText == #"{"b":[1,null],"a":"ü"}"#)
    }

    @Test func write_largeOutputSpillsPastTheStackBufferIntact() throws {
        // Bigger than the writer's 2 KiB stack buffer, with escapes straddling the growth.
        let elements = (0..<500).map { JSONValue.string("item \($0) \"quoted\" \u{1} ü") }
        let value = JSONValue.array(elements)
        let written = value.serialized()
        #expect(written.count > 10_000)
        #expect(try JSONParser.parse(written) == value)
        var appended = Array("x".utf8)
        value.write(into: &appended)
        #expect(appended == Array("x".utf8) + written)
    }
}
