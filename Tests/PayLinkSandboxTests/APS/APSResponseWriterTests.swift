import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// The byte writer the endpoint answers with must give exactly what the readable
/// `APSResponseBuilder` gives: same members, order, escaping and signature.
struct APSResponseWriterTests {
    static let merchants: [Merchant?] = [
        nil, .demo,
        Merchant(identifier: "Hmac", accessCode: "a", shaType: .hmacSHA512, requestPhrase: "in", responsePhrase: "out-ü"),
        Merchant(identifier: "Empty", accessCode: "a", shaType: .sha512, requestPhrase: "", responsePhrase: ""),
    ]

    @Test func checkStatusResponse_matchesBuilder() {
        let request: JSONObject = [
            "query_command": "CHECK_PAYMENT_LINK_STATUS", "access_code": "zx0IPmPy5jp1vAz8Kpg7",
            "merchant_identifier": "CycHZxVj", "merchant_reference": "bench-order-1", "signature": "abc",
        ]
        let fields = [("payment_link_id", "564228002973612154"), ("payment_link_status", "Open"), ("amount", "125000")]
        let code = APSResponseCode(status: "12", message: "000")
        for merchant in Self.merchants {
            let expected = APSResponseBuilder.build(echoing: request, fields: fields, code: code, merchant: merchant).serialized()
            let body = APSResponseWriter.body(echoing: request, fields: fields, code: code, merchant: merchant)
            #expect(body == expected, "\(String(decoding: body, as: UTF8.self))")
        }
    }

    @Test func emptyRequest_matchesBuilder() {
        let code = APSResponseCode(status: "00", message: "073")
        let expected = APSResponseBuilder.build(echoing: [:], fields: [], code: code, merchant: nil).serialized()
        #expect(APSResponseWriter.body(echoing: [:], fields: [], code: code, merchant: nil) == expected)
    }

    /// Random requests and fields: escapes, non-ASCII, empty values, numbers, booleans, nulls,
    /// nested values, and keys the fields and codes replace in place.
    @Test func randomResponses_matchBuilder() {
        var random = Generator(seed: 0x5EED)
        for round in 0..<600 {
            let request = random.object()
            var fields: [(String, String)] = []
            for _ in 0..<random.int(0..<6) { fields.append((random.key(), random.int(0..<4) == 0 ? "" : random.text())) }
            let code = APSResponseCode(status: random.int(0..<2) == 0 ? "12" : "00", message: random.int(0..<2) == 0 ? "000" : "008")
            let merchant = Self.merchants[round % Self.merchants.count]
            let expected = APSResponseBuilder.build(echoing: request, fields: fields, code: code, merchant: merchant).serialized()
            let body = APSResponseWriter.body(echoing: request, fields: fields, code: code, merchant: merchant)
            #expect(body == expected, "round \(round): \(String(decoding: body, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))")
        }
    }

    /// Keys that share their first eight or sixteen bytes, or are prefixes of each other, and
    /// differ just before, at or after the eighth and the sixteenth byte: the sort decides on a
    /// prefix of the keys first and reads them only when those tie, and must order them as
    /// bytes do.
    @Test func keysSharingLongBeginnings_signedInByteOrder() {
        let stems = ["merchant_", "payment_link_", "customer_details_", "abcdefghijklmno", "abcdefghijklmnop"]
        let tails = ["", "a", "b", "id", "status", "pq", "p", "q", "\u{7f}", "é"]
        var request: JSONObject = [:]
        var fields: [(String, String)] = []
        for (s, stem) in stems.enumerated() {
            for (t, tail) in tails.enumerated() {
                if (s + t) % 2 == 0 { request[stem + tail] = .string("r\(s)\(t)") } else { fields.append((stem + tail, "f\(s)\(t)")) }
            }
        }
        let code = APSResponseCode(status: "12", message: "000")
        for merchant in Self.merchants {
            let expected = APSResponseBuilder.build(echoing: request, fields: fields, code: code, merchant: merchant).serialized()
            let body = APSResponseWriter.body(echoing: request, fields: fields, code: code, merchant: merchant)
            #expect(body == expected, "\(String(decoding: body, as: UTF8.self))")
        }
    }

    /// Keys under eight bytes are read as a word with what follows them in the writer's bytes
    /// (their value, as a rule) masked off: a key must sort by its own bytes, whatever follows
    /// it, a value or (for a nested value, which is kept apart) the next member's key.
    @Test func shortKeys_signedByTheirOwnBytes_notWhatFollows() {
        let code = APSResponseCode(status: "12", message: "000")
        for length in 1...7 {
            let stem = String("abcdefg".prefix(length))
            // Unmasked, "stem" followed by "9" would sort after "stem0" followed by anything.
            var request: JSONObject = [stem: "9zzzzzzz", stem + "0": "0", "b": "~~~~~~~~"]
            let fields = [("a" + stem, "\u{7f}\u{7f}"), (stem.uppercased(), "0")]
            for merchant in Self.merchants {
                let expected = APSResponseBuilder.build(echoing: request, fields: fields, code: code, merchant: merchant).serialized()
                #expect(APSResponseWriter.body(echoing: request, fields: fields, code: code, merchant: merchant) == expected, "length \(length)")
            }
            // A nested value's key is followed by the next member's key, not by its value.
            request["z" + stem] = .array(["1"])
            let expected = APSResponseBuilder.build(echoing: request, fields: fields, code: code, merchant: .demo).serialized()
            #expect(APSResponseWriter.body(echoing: request, fields: fields, code: code, merchant: .demo) == expected, "nested, length \(length)")
        }
    }

    /// Keys and values of every length from 0 to 70 bytes (the writer copies short runs in
    /// words of its own and long ones with `memcpy`), echoed and set, signed and written.
    @Test func everyLength_matchesBuilder() {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        func text(_ count: Int, _ shift: Int) -> String { String(decoding: (0..<count).map { alphabet[($0 + shift) % alphabet.count] }, as: UTF8.self) }
        for length in 0...70 {
            var request: JSONObject = ["k" + text(length, 1): .string(text(length, 2)), "query_command": "CHECK_PAYMENT_LINK_STATUS"]
            request[text(length, 3) + "z"] = .string(text(length, 4))
            let fields = [("f" + text(length, 5), text(length, 6)), ("query_command", text(length, 7))]
            let code = APSResponseCode(status: "12", message: "000")
            let expected = APSResponseBuilder.build(echoing: request, fields: fields, code: code, merchant: .demo).serialized()
            #expect(APSResponseWriter.body(echoing: request, fields: fields, code: code, merchant: .demo) == expected, "length \(length)")
            if let flat = FlatStringObject(request.serialized()) {
                var writer = APSResponseWriter(echoing: flat)
                #expect(writer.finish(fields: fields, code: code, merchant: .demo) == expected, "flat, length \(length)")
            } else {
                Issue.record("not flat at length \(length)")
            }
        }
    }

    /// Answers past the arena's first capacity (`APSResponseWriter.arenaCapacity`): members,
    /// canonical string and JSON text of 1 to 8 times its size, so the arena grows while the
    /// echo is copied, while fields are set, for the signature and for the text.
    @Test func answersPastTheArenasFirstCapacity_matchBuilder() {
        let capacity = APSResponseWriter.arenaCapacity
        for scale in 1...8 {
            let value = String(repeating: "v", count: capacity * scale / 8)
            var request: JSONObject = ["query_command": "CHECK_PAYMENT_LINK_STATUS"]
            for index in 0..<(scale * 4) { request["echoed_\(index)"] = .string(value) }
            let fields = (0..<8).map { ("field_\($0)", value + "\($0)") }
            let code = APSResponseCode(status: "12", message: "000")
            let expected = APSResponseBuilder.build(echoing: request, fields: fields, code: code, merchant: .demo).serialized()
            #expect(expected.count > capacity * scale)
            #expect(APSResponseWriter.body(echoing: request, fields: fields, code: code, merchant: .demo) == expected, "scale \(scale)")
            guard let flat = FlatStringObject(request.serialized()) else {
                Issue.record("not flat at scale \(scale)")
                continue
            }
            var writer = APSResponseWriter(echoing: flat)
            #expect(writer.finish(fields: fields, code: code, merchant: .demo) == expected, "flat, scale \(scale)")
        }
    }

    /// The canonical string and the JSON text on either side of `maxStackScratchBytes` (on
    /// the stack up to it, after the members past it): one value's length swept so that both
    /// cross it, byte by byte.
    @Test func scratchOnEitherSideOfTheStackLimit_matchesBuilder() {
        let limit = APSResponseWriter.maxStackScratchBytes
        let request: JSONObject = ["query_command": "CHECK_PAYMENT_LINK_STATUS", "merchant_reference": "order-1"]
        let code = APSResponseCode(status: "12", message: "000")
        for length in (limit - 200)...(limit + 40) {
            let fields = [("payment_link_description", String(repeating: "d", count: length))]
            let expected = APSResponseBuilder.build(echoing: request, fields: fields, code: code, merchant: .demo).serialized()
            #expect(APSResponseWriter.body(echoing: request, fields: fields, code: code, merchant: .demo) == expected, "length \(length)")
        }
    }

    /// Instants are written in place, as `ISO8601.formatUTC` writes them: around the epoch,
    /// leap days, the last four-digit year and the years past it or before zero.
    @Test func instants_writtenAsTheCoreFormatsThem() {
        let seconds: [Int64] = [0, -1, 59, 86_399, 86_400, 951_782_400, 951_868_799, 1_767_225_600, 4_102_444_799,
                                253_402_300_799, 253_402_300_800, -62_167_219_200, -62_167_219_201, -86_400 * 365 * 3000]
        let code = APSResponseCode(status: "12", message: "000")
        for value in seconds {
            let instant = SandboxInstant(secondsSince1970: value)
            var writer = APSResponseWriter(echoing: [:] as JSONObject)
            writer.set("request_expiry_date", utc: instant)
            let expected = APSResponseWriter.body(echoing: [:], fields: [("request_expiry_date", ISO8601.formatUTC(instant))], code: code, merchant: .demo)
            #expect(writer.finish(code: code, merchant: .demo) == expected, "\(value): \(ISO8601.formatUTC(instant))")
        }
    }

    /// Before `finish`, the writer's members are what a request signature covers with empty
    /// values omitted: the endpoint verifies requests with that signature.
    @Test func echoedRequestSignature_matchesSigner() {
        var random = Generator(seed: 0x51D)
        for round in 0..<600 {
            let request = random.object()
            let merchant = Self.merchants[1 + round % (Self.merchants.count - 1)]!
            var writer = APSResponseWriter(echoing: request)
            let signature = writer.signature(algorithm: merchant.shaType, phrase: merchant.requestPhrase)
            let expected = merchant.signer.sign(request, phrase: merchant.requestPhrase, includeEmpty: false)
            #expect(signature == expected, "round \(round): \(request)")
        }
    }

    struct Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }

        /// Keys the response writes itself, prefixes of each other, and characters to escape.
        static let keys = ["amount", "amount_", "amoun", "status", "response_code", "response_message", "signature",
                           "merchant_reference", "merchant_identifier", "a", "B", "_x", "ключ", "k\"q", "tab\tkey", "payment_link_id"]
        static let pieces = ["abc", "XYZ", "0", " ", "\"", "\\", "\n", "\u{01}", "é", "م", "😀", "/", "=", "&"]

        mutating func key() -> String { Self.keys[int(0..<Self.keys.count)] }

        mutating func text() -> String {
            var s = ""
            for _ in 0..<int(0..<6) { s += Self.pieces[int(0..<Self.pieces.count)] }
            return s
        }

        mutating func value(depth: Int = 0) -> JSONValue {
            switch int(0..<(depth > 1 ? 6 : 8)) {
            case 0: return .null
            case 1: return .bool(int(0..<2) == 0)
            case 2: return .number(["1000", "1000.0", "1e3", "-2.5", "0"][int(0..<5)])
            case 3: return .string("")
            case 4, 5: return .string(text())
            case 6: return .array((0..<int(0..<3)).map { _ in value(depth: depth + 1) })
            default: return .object(object(depth: depth + 1))
            }
        }

        /// Unique keys, as the endpoint guarantees before it writes a response.
        mutating func object(depth: Int = 0) -> JSONObject {
            var object = JSONObject()
            for _ in 0..<int(0..<8) {
                let k = key()
                if object[k] == nil { object[k] = value(depth: depth) }
            }
            return object
        }
    }
}
