import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
import Synchronization
import Testing
@testable import PayLinkAPS

/// A large value (`batch_results`) hashed and escaped from its parts must give exactly the
/// answer the same value set as a `String` gives: the readable `APSResponseBuilder`'s.
struct APSLargeValueTests {
    typealias Generator = APSResponseWriterTests.Generator

    /// `text` as a large value cut into parts at random places, empty parts included.
    static func large(_ text: String, _ random: inout Generator) -> APSLargeText {
        let bytes = Array(text.utf8)
        var parts: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + random.int(0..<12))
            parts.append(Array(bytes[start..<end]))
            start = end
        }
        parts.insert([], at: random.int(0..<(parts.count + 1)))
        let cut = parts
        return APSLargeText(byteCount: bytes.count) { body in
            for part in cut { part.withUnsafeBufferPointer(body) }
        }
    }

    /// Random requests (escapes, non-ASCII, numbers, nested values, keys replaced in place),
    /// fields, large values under `batch_results` or a key the request or the fields have
    /// already, every signature algorithm and none.
    @Test func randomAnswers_matchBuilder() {
        var random = Generator(seed: 0xBA7C4)
        for round in 0..<800 {
            let request = random.object()
            var fields: [(String, String)] = []
            for _ in 0..<random.int(0..<4) { fields.append((random.key(), random.text())) }
            var text = ""
            for _ in 0..<random.int(0..<40) { text += random.int(0..<3) == 0 ? "\r\n" : random.text() }
            let key: StaticString = switch random.int(0..<4) {
            case 0: "amount"
            case 1: "status"
            default: "batch_results"
            }
            let code = APSResponseCode(status: random.int(0..<2) == 0 ? "70" : "71", message: "000")
            let merchant = APSResponseWriterTests.merchants[round % APSResponseWriterTests.merchants.count]
            let expected = APSResponseBuilder.build(echoing: request, fields: fields + [("\(key)", text)], code: code, merchant: merchant).serialized()
            var writer = APSResponseWriter(echoing: request)
            writer.add(fields)
            writer.set(key, large: Self.large(text, &random))
            let body = writer.finish(code: code, merchant: merchant)
            #expect(body == expected, "round \(round): \(String(decoding: body, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))")
        }
    }

    /// The answer's text written aside while the signature is hashed, then members set before
    /// the answer is written: new ones (finished onto that text), ones it holds replaced, or the
    /// large value itself replaced (the text is not used, and the answer written in full). The
    /// answer is the builder's either way.
    @Test func textWrittenAside_thenMembersSet_matchesBuilder() {
        var random = Generator(seed: 0xA51DE)
        for round in 0..<400 {
            let request = random.object()
            var text = ""
            for _ in 0..<random.int(1..<40) { text += random.int(0..<3) == 0 ? "\r\n" : random.text() }
            var writer = APSResponseWriter(echoing: request)
            writer.set("batch_results", large: Self.large(text, &random))
            _ = writer.signature(algorithm: .sha256, phrase: "aside")
            var later: [(String, String)] = []
            for _ in 0..<random.int(0..<3) {
                let key = switch random.int(0..<3) {
                case 0: request.members.isEmpty ? "batch_id" : request.members[random.int(0..<request.members.count)].key
                case 1: "batch_results"
                default: random.key()
                }
                later.append((key, random.text()))
            }
            writer.add(later)
            let code = APSResponseCode(status: "70", message: "000")
            let expected = APSResponseBuilder.build(echoing: request, fields: [("batch_results", text)] + later, code: code, merchant: nil).serialized()
            let body = writer.finish(code: code, merchant: nil)
            #expect(body == expected, "round \(round): \(String(decoding: body, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))")
        }
    }

    /// A processed batch's answer, as the endpoint writes it, against the builder's with the
    /// result lines joined into one string: a payment-link file's header and a maintenance
    /// file's, values to quote and escape.
    @Test func batchResultsAnswer_matchesBuilder() throws {
        let lines = (1...300).map { line in
            BatchRecordResult(line: line + 1, fields: [String(line + 1), "48000", "Success", "48", "ref-\"\(line)\"", "5642280029\(line)",
                                                       "https://pay.example/\(line)?a=b&c=\\d", "\(line)00", line % 7 == 0 ? "ع\u{01}" : "SAR"])
        }
        let request: JSONObject = ["service_command": "GET_BATCH_RESULTS", "access_code": "zx0IPmPy5jp1vAz8Kpg7",
                                   "merchant_identifier": "CycHZxVj", "batch_reference": "bench-1", "language": "en", "signature": "x"]
        for columns in [[], ["Line_Number", "response_code", "command"]] {
            let lifecycle = try BatchLifecycle(restoring: .completed, totalRecords: lines.count, succeededRecords: lines.count, failedRecords: 0, failureReason: nil)
            let batch = BatchEngine.Snapshot.batch(id: "123456789012345678", owner: .apsMerchant("CycHZxVj"), fileName: "f.csv", reference: "bench-1",
                                                   createdAt: SandboxInstant(secondsSince1970: 0), lifecycle: lifecycle, uploadedAt: nil,
                                                   confirmedAt: nil, finishedAt: nil, failureCode: nil, fileByteCount: 0, failures: [],
                                                   results: lines, resultColumns: columns)
            let text = APSBatchFile.resultsText(batch)
            let joined = text.string
            #expect(joined.utf8.count == text.byteCount)
            #expect(joined.hasPrefix((columns.isEmpty ? APSBatchFile.resultHeader : columns).joined(separator: ",") + "\r\n\"2\",\"48000\""))
            #expect(joined.hasSuffix("\"SAR\"\r\n"))
            let fields = [("batch_id", batch.id), ("transactions_count", "300")]
            let code = APSResponseCode(status: "70", message: "000")
            for merchant in APSResponseWriterTests.merchants {
                let expected = APSResponseBuilder.build(echoing: request, fields: fields + [("batch_results", joined)], code: code, merchant: merchant)
                let answer = APSBatchRequest.reply(echoing: request, fields: fields, results: text, code: code, merchant: merchant)
                #expect(answer.body == expected.serialized())
            }
        }
    }
}

extension APSLargeValueTests {
    /// A large value whose size is counted only when asked: an answer signed with SHA-256, or
    /// not signed, never asks (it hashes and escapes the parts as they are); the others join
    /// the parts and ask once. Every answer is the builder's.
    @Test func lazilyCountedValue_isCountedOnlyWhereJoined_andAnswersMatchBuilder() {
        let request: JSONObject = ["service_command": "GET_BATCH_RESULTS", "merchant_identifier": "CycHZxVj", "signature": "x"]
        let text = "\"1\",\"48000\",\"a \\ b\"\r\n\"2\",\"ع\u{01}\"\r\n"
        let bytes = Array(text.utf8)
        let code = APSResponseCode(status: "70", message: "000")
        for merchant in APSResponseWriterTests.merchants {
            let counted = Counter()
            let large = APSLargeText(isEmpty: false, countingBytes: { counted.add(); return bytes.count }) { body in
                bytes[..<7].withUnsafeBufferPointer(body)
                bytes[7...].withUnsafeBufferPointer(body)
            }
            var writer = APSResponseWriter(echoing: request)
            writer.set("batch_results", large: large)
            let body = writer.finish(code: code, merchant: merchant)
            let expected = APSResponseBuilder.build(echoing: request, fields: [("batch_results", text)], code: code, merchant: merchant).serialized()
            #expect(body == expected)
            let joins = merchant.map { $0.shaType != .sha256 } ?? false
            #expect(counted.count == (joins ? 1 : 0), "\(String(describing: merchant?.shaType))")
        }
    }

    /// Counts calls, from any thread.
    final class Counter: Sendable {
        private let calls = Atomic<Int>(0)
        func add() { calls.add(1, ordering: .relaxed) }
        var count: Int { calls.load(ordering: .relaxed) }
    }

    /// The escaping against its rules spelled out one byte at a time: every byte value, alone
    /// and in random runs, written where its count says (a byte to spare, so that an empty
    /// text has an address).
    @Test func escaping_followsItsRules_forEveryByte() {
        func escapedByRule(_ bytes: [UInt8]) -> [UInt8] {
            let hex = Array("0123456789abcdef".utf8)
            var out: [UInt8] = []
            for byte in bytes {
                switch byte {
                case 0x22: out += Array(#"\""#.utf8)
                case 0x5C: out += Array(#"\\"#.utf8)
                case 0x0A: out += Array(#"\n"#.utf8)
                case 0x0D: out += Array(#"\r"#.utf8)
                case 0x09: out += Array(#"\t"#.utf8)
                case 0x08: out += Array(#"\b"#.utf8)
                case 0x0C: out += Array(#"\f"#.utf8)
                case 0..<0x20: out += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                default: out.append(byte)
                }
            }
            return out
        }
        var random = Generator(seed: 0xE5C)
        var texts: [[UInt8]] = (0...255).map { [UInt8($0)] }
        for _ in 0..<500 { texts.append((0..<random.int(0..<40)).map { _ in UInt8(random.int(0..<256)) }) }
        for text in texts {
            text.withUnsafeBufferPointer { bytes in
                let count = JSONStringEscaping.escapedCount(bytes)
                let written = [UInt8](unsafeUninitializedCapacity: count + 1) { room, initialized in
                    var p = room.baseAddress!
                    JSONStringEscaping.write(bytes, to: &p)
                    initialized = room.baseAddress!.distance(to: p)
                }
                #expect(written == escapedByRule(text), "\(text)")
            }
        }
    }
}

extension APSLargeValueTests {
    /// Plain runs of every length up to 24 with one byte to escape (each kind) at every place,
    /// and runs without any: written where the count says and nothing past it (the bytes after
    /// are left as they were), the same as escaped a byte at a time.
    @Test func escaping_staysWithinItsCount_aroundEveryPlace() {
        let plain = Array("abcdefghijklmnopqrstuvwxyzé/:".utf8)
        var texts: [[UInt8]] = []
        for length in 0...24 {
            texts.append(Array(repeating: UInt8(ascii: "a"), count: length))
            for place in 0..<length {
                for special: UInt8 in [0x22, 0x5C, 0x0A, 0x01, 0x1F, 0x00] {
                    var text = (0..<length).map { plain[$0 % plain.count] }
                    text[place] = special
                    texts.append(text)
                }
            }
        }
        for text in texts {
            text.withUnsafeBufferPointer { bytes in
                let count = JSONStringEscaping.escapedCount(bytes)
                let sentinel: UInt8 = 0xA5
                var room = [UInt8](repeating: sentinel, count: count + 16)
                room.withUnsafeMutableBufferPointer { room in
                    var p = room.baseAddress!
                    JSONStringEscaping.write(bytes, to: &p)
                    #expect(room.baseAddress!.distance(to: p) == count, "\(text)")
                }
                var oneByOne: [UInt8] = []
                for byte in text { [byte].withUnsafeBufferPointer { JSONStringEscaping.append($0, to: &oneByOne) } }
                #expect(Array(room[..<count]) == oneByOne, "\(text)")
                #expect(room[count...].allSatisfy { $0 == sentinel }, "\(text)")
            }
        }
    }
}
