import Foundation
import PayLinkCore
import PayLinkCrypto
import PayLinkHTTP
import PayLinkJSON
import Testing
@testable import PayLinkAPS
@testable import PayLinkSandbox

/// The final `GET_BATCH_RESULTS` text made while the records are processed
/// (`APSPreparedResults`) must give exactly the answer built in full: the readable
/// `APSResponseBuilder`'s over the result lines joined. And it must be used only for the batch
/// whose lines it holds, and its hash only for the canonical string it was made for.
struct APSPreparedResultsTests {
    typealias Generator = APSResponseWriterTests.Generator

    static let batchID = "123456789012345678"
    static let reference = "bench-1"

    /// Result fields of every awkward kind: quotes, backslashes, controls, CRLF, non-ASCII,
    /// empty fields, fields longer than a run's usual line, and lines with no fields at all.
    static func fields(_ line: Int, _ random: inout Generator) -> [String] {
        if random.int(0..<50) == 0 { return [] }
        let awkward = ["", "\"", "say \"hi\"", "a\\b", "tab\there", "\r\n", "\u{01}\u{1F}", "ع", "é\"\"", String(repeating: "x\"", count: 300)]
        return (0..<9).map { column in
            switch random.int(0..<4) {
            case 0: awkward[random.int(0..<awkward.count)]
            case 1: random.text()
            default: column == 0 ? String(line) : "plain-\(column)-\(line)"
            }
        }
    }

    static func batch(_ lines: [[String]]) throws -> Batch {
        let results = lines.enumerated().map { BatchRecordResult(line: $0.offset + 2, fields: $0.element) }
        let lifecycle = try BatchLifecycle(restoring: .completed, totalRecords: results.count, succeededRecords: results.count, failedRecords: 0,
                                           failureReason: nil)
        return BatchEngine.Snapshot.batch(id: batchID, owner: .apsMerchant("CycHZxVj"), fileName: "f.csv", reference: reference,
                                          createdAt: SandboxInstant(secondsSince1970: 0), lifecycle: lifecycle, uploadedAt: nil,
                                          confirmedAt: nil, finishedAt: nil, failureCode: nil, fileByteCount: 0, failures: [],
                                          results: results, resultColumns: APSBatchFile.resultHeader)
    }

    /// `lines` fed in runs of random lengths (empty runs too), as a batch's runs feed them.
    static func prepared(_ lines: [[String]], merchant: Merchant, _ random: inout Generator) -> APSPreparedResults {
        let prepared = APSPreparedResults(header: APSBatchFile.resultHeader, batchID: batchID, reference: reference, merchant: merchant)
        prepared.reserve(records: random.int(0..<3) == 0 ? lines.count : 1)
        var start = 0
        while start < lines.count {
            let end = min(lines.count, start + random.int(0..<70))
            prepared.append(lines[start..<end].map { BatchRecordOutcome(result: $0) })
            start = end
        }
        return prepared
    }

    static func request(_ merchant: Merchant, extra: JSONObject = [:]) -> JSONObject {
        var request: JSONObject = ["service_command": "GET_BATCH_RESULTS", "access_code": .string(merchant.accessCode),
                                   "merchant_identifier": .string(merchant.identifier), "batch_reference": .string(reference),
                                   "language": "en", "signature": "x"]
        for (key, value) in extra { request[key] = value }
        return request
    }

    static let merchants: [Merchant] = [
        .demo,
        Merchant(identifier: "Other", accessCode: "a\"b", shaType: .sha256, requestPhrase: "in", responsePhrase: "out-ü"),
        Merchant(identifier: "Hmac", accessCode: "a", shaType: .hmacSHA512, requestPhrase: "in", responsePhrase: "out-ü"),
        Merchant(identifier: "Empty", accessCode: "a", shaType: .sha512, requestPhrase: "", responsePhrase: ""),
    ]

    /// The prepared text is the batch's, byte for byte, and the answers made from it (the
    /// usual request, one with a parameter signed before `batch_results`, one with a parameter
    /// signed after it, a phrase changed since) are the builder's, for every algorithm.
    @Test func preparedAnswers_matchBuilder() throws {
        var random = Generator(seed: 0x9E5A7)
        let code = APSResponseCode(status: "70", message: "000")
        for round in 0..<40 {
            let lines = (0..<random.int(0..<300)).map { Self.fields($0 + 2, &random) }
            let batch = try Self.batch(lines)
            let joined = APSBatchFile.resultsCSV(batch)
            for merchant in Self.merchants {
                let prepared = Self.prepared(lines, merchant: merchant, &random)
                let text = try #require(prepared.largeText(matching: batch), "round \(round): the prepared text is the batch's")
                #expect(text.string == joined)
                #expect(text.escaped != nil)
                #expect((text.hashed != nil) == (merchant.shaType == .sha256))
                var changed = merchant
                changed.responsePhrase += "-new"
                let none: JSONObject = [:], before: JSONObject = ["amount": "1"], after: JSONObject = ["zzz": "\"q\""]
                let variants: [(Merchant, JSONObject)] = [(merchant, none), (merchant, before), (merchant, after), (changed, none)]
                for (signer, extra) in variants {
                    let request = Self.request(signer, extra: extra)
                    let fields = [("batch_id", batch.id), ("transactions_count", String(lines.count))]
                    let expected = APSResponseBuilder.build(echoing: request, fields: fields + [("batch_results", joined)], code: code, merchant: signer)
                    let answer = APSBatchRequest.reply(echoing: request, fields: fields, results: text, code: code, merchant: signer)
                    #expect(answer.body == expected.serialized(), "round \(round), \(signer.identifier), \(extra.count) more")
                }
            }
        }
    }

    /// The signature goes on from the hash made ahead exactly when the canonical string before
    /// the text is the one it was made for: given a hash of other text, the usual request's
    /// signature is wrong (so it was used), and a request with another parameter before
    /// `batch_results` is signed right (so it was not).
    @Test func theHashMadeAhead_isUsedOnlyForItsOwnPrefix() throws {
        var random = Generator(seed: 0x51A7)
        let lines = (0..<20).map { Self.fields($0 + 2, &random) }
        let batch = try Self.batch(lines)
        let merchant = Merchant.demo
        var text = try #require(Self.prepared(lines, merchant: merchant, &random).largeText(matching: batch))
        let hashed = try #require(text.hashed)
        text.hashed = (hashed.canonicalPrefix, SHA256())
        let code = APSResponseCode(status: "70", message: "000")
        let fields = [("batch_id", batch.id), ("transactions_count", "20")]
        let none: JSONObject = [:], before: JSONObject = ["amount": "1"], after: JSONObject = ["zzz": "1"]
        let variants: [(JSONObject, Bool)] = [(none, true), (before, false), (after, true)]
        for (extra, used) in variants {
            let request = Self.request(merchant, extra: extra)
            let expected = APSResponseBuilder.build(echoing: request, fields: fields + [("batch_results", APSBatchFile.resultsCSV(batch))],
                                                    code: code, merchant: merchant).serialized()
            let answer = APSBatchRequest.reply(echoing: request, fields: fields, results: text, code: code, merchant: merchant)
            #expect((answer.body != expected) == used, "\(extra.count) more")
        }
    }

    /// A batch whose lines differ from the prepared ones by one byte, by one line more or less,
    /// or by its header, is answered from its own lines.
    @Test func anotherBatchsLines_areNotUsed() throws {
        var random = Generator(seed: 0xD1FF)
        let lines = (0..<50).map { Self.fields($0 + 2, &random) }.map { $0.isEmpty ? ["x"] : $0 }
        let prepared = Self.prepared(lines, merchant: .demo, &random)
        #expect(prepared.largeText(matching: try Self.batch(lines)) != nil)
        var changed = lines
        changed[25][0] += "."
        var swapped = lines
        swapped[25][0] = swapped[25][0] == "a" ? "b" : "a"
        for other in [changed, swapped, Array(lines.dropLast()), lines + [["x"]]] {
            #expect(prepared.largeText(matching: try Self.batch(other)) == nil)
        }
        let maintenance = try Self.batch(lines)
        var header = BatchEngine.Snapshot.batch(id: maintenance.id, owner: maintenance.owner, fileName: "f.csv", reference: Self.reference,
                                                createdAt: maintenance.createdAt, lifecycle: maintenance.lifecycle, uploadedAt: nil,
                                                confirmedAt: nil, finishedAt: nil, failureCode: nil, fileByteCount: 0, failures: [],
                                                results: maintenance.results, resultColumns: ["Line_Number", "response_code", "command"])
        #expect(prepared.largeText(matching: header) == nil)
        header = maintenance
        #expect(prepared.largeText(matching: header) != nil)
    }

    /// A cache keeps the two batches prepared last, each found by its id.
    @Test func cache_keepsTheLastTwo() throws {
        var random = Generator(seed: 0xCAC4E)
        let lines = (0..<5).map { ["\($0)", "48000"] }
        let batch = try Self.batch(lines)
        let cache = APSPreparedResultsCache()
        cache.keep(Self.prepared(lines, merchant: .demo, &random), for: batch.id)
        #expect(cache.largeText(for: batch) != nil)
        cache.keep(Self.prepared(lines, merchant: .demo, &random), for: "1")
        #expect(cache.largeText(for: batch) != nil)
        cache.keep(Self.prepared(lines, merchant: .demo, &random), for: "2")
        #expect(cache.largeText(for: batch) == nil)
    }
}

extension APSBatchTests {
    /// Through the sandbox: a processed file's final `GET_BATCH_RESULTS` (its text made while
    /// processing) is the builder's answer over the batch's lines, asked twice, and after a
    /// second batch of the same merchant.
    @Test func finalResults_matchTheBuilder() async throws {
        try await withSandbox { sandbox, aps in
            let file = Self.header + "\r\nq-\"1\",10000,SAR,a@example.com,2026-03-01T00:00:00Z,NONE\r\n"
                + "q-2,abc,SAR,b@example.com,2026-03-01T00:00:00Z,NONE\r\nq-3,2500,USD,c@example.com,2026-03-01T00:00:00Z,EMAIL\r\n"
            for reference in ["prep-1", "prep-2"] {
                let uploaded = try upload(aps, reference: reference, file: file.replacingOccurrences(of: "q-", with: "\(reference)-"))
                let batchID = try #require(uploaded["batch_id"])
                _ = try settledResults(aps, ["76000"], reference: reference)
                #expect(try batchAPI(aps, "PROCESS_BATCH", reference: reference).code == "72147")
                try aps.http.settle()
                let batch = try #require(sandbox.service.batches.batch(id: batchID))
                for _ in 0..<2 {
                    let signed = try signedBody(aps, ["service_command": "GET_BATCH_RESULTS", "batch_reference": .string(reference), "language": "en"])
                    let request = try #require(try JSONParser.parse(Array(signed.utf8)).objectValue)
                    let response = try aps.http.post("/FortAPI/batchApi/", json: signed)
                    let fields = [("batch_id", batchID), ("transactions_count", "3"), ("batch_results", APSBatchFile.resultsCSV(batch))]
                    let expected = APSResponseBuilder.build(echoing: request, fields: fields, code: APSResponseCode(status: "70", message: "000"),
                                                            merchant: aps.merchant)
                    #expect(response.body == expected.serialized())
                }
            }
        }
    }
}
