import Foundation
import Testing
import PayLinkJSON

/// `FlatStringObject` reads only what it can read exactly as `JSONParser` does: whatever it
/// accepts, the parser gives the same members in the same order; everything else (escapes,
/// non-ASCII, numbers, nesting, duplicates, broken documents) it leaves to the parser.
struct FlatStringObjectTests {
    /// The property, for one document.
    static func agreesWithParser(_ bytes: [UInt8]) -> Bool {
        guard let flat = FlatStringObject(bytes) else { return true }
        guard case .object(let parsed)? = try? JSONParser.parse(bytes), !parsed.hasDuplicateKeys else { return false }
        return flat.object == parsed && flat.members.count == parsed.count
    }

    static var corpusFiles: [[UInt8]] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/fuzz-corpus")
        var documents: [[UInt8]] = []
        for sub in ["aps", "http"] {
            let directory = folder.appendingPathComponent(sub)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.sorted() ?? [] {
                guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { continue }
                let bytes = [UInt8](data)
                // HTTP requests: their bodies.
                if sub == "http", let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) {
                    documents.append(Array(bytes[end.upperBound...]))
                } else {
                    documents.append(bytes)
                }
            }
        }
        return documents
    }

    @Test func corpusFiles_theirPrefixes_andSingleByteChanges_agreeWithTheParser() throws {
        let files = Self.corpusFiles
        #expect(files.count > 20)
        let replacements: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x20, 0x09, 0x7F, 0x80, 0xC3, 0xFF, 0x2C, 0x3A, 0x7B, 0x7D, 0x5B, 0x31, 0x61]
        var accepted = 0
        for file in files {
            if FlatStringObject(file) != nil { accepted += 1 }
            #expect(Self.agreesWithParser(file), "\(String(decoding: file, as: UTF8.self))")
            for end in 0..<file.count where !Self.agreesWithParser(Array(file[..<end])) {
                Issue.record("prefix of \(end) bytes: \(String(decoding: file[..<end], as: UTF8.self))")
            }
            for index in file.indices.prefix(400) {
                for byte in replacements where byte != file[index] {
                    var changed = file
                    changed[index] = byte
                    if !Self.agreesWithParser(changed) { Issue.record("\(String(decoding: changed, as: UTF8.self))") }
                }
            }
        }
        // The corpus's plain requests are read flat.
        #expect(accepted >= 10)
    }

    @Test(arguments: [
        #"{"a":"b"}"#, #" { "a" : "b" , "c":"" }  "#, "{\n\t\"a\":\r\n\"b\"}", "{}", " {} ",
        #"{"query_command":"CHECK_PAYMENT_LINK_STATUS","access_code":"zx0IPmPy5jp1vAz8Kpg7","signature":"00"}"#,
        #"{"":"x"}"#, #"{"k":"~ !#$%&'()*+,-./:;<=>?@[]^_`{|}"}"#, "{\"a\":\"b\u{7F}\"}",
        #"{"a_long_key_past_eight_bytes":"and a value longer than sixteen bytes, with spaces"}"#,
    ])
    func plainObjects_areReadFlat_withTheParsersMembers(_ text: String) throws {
        let bytes = Array(text.utf8)
        let flat = try #require(FlatStringObject(bytes))
        #expect(Self.agreesWithParser(bytes))
        let parsed = try #require(try JSONParser.parse(bytes).objectValue)
        #expect(flat.object == parsed)
        for member in parsed.members {
            #expect(flat.index(of: member.key).map { flat.value(flat.members[$0]) } == member.value.stringValue)
        }
        #expect(flat.index(of: "absent") == nil)
    }

    @Test(arguments: [
        // Escapes, unicode, numbers and other scalars, nesting: the parser's.
        #"{"a":"b\"c"}"#, #"{"a":"\u0041"}"#, #"{"a\n":"b"}"#, #"{"a":"é"}"#, #"{"é":"a"}"#, #"{"a":1}"#, #"{"a":-0.5e3}"#,
        #"{"a":true}"#, #"{"a":null}"#, #"{"a":["b"]}"#, #"{"a":{"b":"c"}}"#, #"{"a":"b","a":"c"}"#, #"{"a":"b","b":"c","a":""}"#,
        // Broken: the parser's errors, not ours.
        "", " ", "{", "}", #"{"a"}"#, #"{"a":}"#, #"{"a":"b",}"#, #"{"a":"b""#, #"{"a":"b"} x"#, #"{"a":"b"}{}"#, #"{,"a":"b"}"#,
        #"{"a":"b" "c":"d"}"#, #"["a"]"#, #""a""#, "{\"a\":\"\u{01}\"}", "\u{FEFF}{}", "{\u{0C}}",
        #"{'a':'b'}"#, #"{a:"b"}"#,
    ])
    func otherDocuments_areLeftToTheParser(_ text: String) {
        #expect(FlatStringObject(Array(text.utf8)) == nil)
    }

    @Test func randomDocuments_agreeWithTheParser() {
        var random = RandomJSON(rng: SplitMix64(seed: 13))
        var flat = 0
        for round in 0..<3_000 {
            // Whole documents, and objects of string members (short strings are often plain).
            let document: JSONValue = round % 2 == 0 ? random.document()
                : .object(JSONObject((0..<random.int(0..<8)).map { _ in
                    JSONObject.Member(key: random.string(maxLength: 3), value: .string(random.string(maxLength: 3)))
                }))
            let bytes = document.serialized()
            if FlatStringObject(bytes) != nil { flat += 1 }
            #expect(Self.agreesWithParser(bytes), "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(flat > 100)
    }

    /// Looking a key up skips the scan when no key has its length: keys of every length, and
    /// names that are absent but share a length with one that is, are found or not as a scan would.
    @Test func keysFound_asAScanFindsThem() throws {
        let document = #"{"a":"1","bb":"2","ccc":"3","":"4","query_command":"5","merchant_reference":"6","x":"7"}"#
        let flat = try #require(FlatStringObject(Array(document.utf8)))
        let names = ["a", "bb", "ccc", "", "query_command", "merchant_reference", "x", "b", "zz", "cc", "dddd",
                     "service_command", "merchant_identifier", String(repeating: "k", count: 64 + 2)]
        for name in names {
            let scanned = flat.members.indices.first { flat.key(flat.members[$0]) == name }
            #expect(flat.index(of: name) == scanned, "\(name)")
            #expect(Array(name.utf8).withUnsafeBufferPointer { flat.index(ofKey: $0) } == scanned, "\(name)")
        }
        #expect(flat.withValue(ofKey: "ccc") { Array($0) } == Array("3".utf8))
        #expect(flat.withValue(ofKey: "dd") { Array($0) } == nil)
    }

    /// Keys are told apart first by a bit of their length and first and last bytes: objects of
    /// two and three keys from a set where many share a bit (and a length, and first or last
    /// bytes) and some are equal are refused exactly when a key repeats, and every name of the
    /// set is found, or not, as a scan finds it.
    @Test func keysSharingABit_orRepeated_areToldApart_asAScanWould() throws {
        let keys = ["", "a", "b", "ab", "ba", "aa", "abc", "acc", "cba", "a_b", "card_number", "access_code",
                    "card_security_code", "merchant_reference", "query_command", "signature", "xy", "yx"]
        let names = keys + ["c", "abd", "card_numbers", "signatures", "acces_code"]
        var refused = 0
        for (i, first) in keys.enumerated() {
            for (j, second) in keys.enumerated() {
                for third in [nil, keys[(i * 7 + j * 3) % keys.count]] {
                    let chosen = [first, second] + (third.map { [$0] } ?? [])
                    let document = "{" + chosen.enumerated().map { "\"\($1)\":\"v\($0)\"" }.joined(separator: ",") + "}"
                    let bytes = Array(document.utf8)
                    #expect(Self.agreesWithParser(bytes), "\(document)")
                    guard let flat = FlatStringObject(bytes) else {
                        #expect(Set(chosen).count < chosen.count, "\(document)")
                        refused += 1
                        continue
                    }
                    #expect(Set(chosen).count == chosen.count, "\(document)")
                    for name in names {
                        let scanned = flat.members.indices.first { flat.key(flat.members[$0]) == name }
                        #expect(Array(name.utf8).withUnsafeBufferPointer { flat.index(ofKey: $0) } == scanned, "\(name) in \(document)")
                    }
                }
            }
        }
        #expect(refused > keys.count)
    }

    /// Keys are compared a word at a time: for every length from 1 to 40, a key and names that
    /// differ from it in exactly one byte (first, each inner position, last) are told apart.
    @Test func keysOfEveryLength_differingInOneByte_areToldApart() throws {
        for length in 1...40 {
            let key = String(decoding: (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }, as: UTF8.self)
            let flat = try #require(FlatStringObject(Array("{\"\(key)\":\"v\"}".utf8)))
            #expect(Array(key.utf8).withUnsafeBufferPointer { flat.index(ofKey: $0) } == 0, "length \(length)")
            for position in 0..<length {
                var other = Array(key.utf8)
                other[position] = UInt8(ascii: "_")
                #expect(other.withUnsafeBufferPointer { flat.index(ofKey: $0) } == nil, "length \(length), byte \(position)")
            }
        }
    }
}
