import Foundation
import PayLinkCrypto
import Testing

/// Cross-checks against `fixtures/hash-vectors.json`, produced by Python's hashlib/hmac via
/// `fixtures/generate_hash_vectors.py`: every input length from 0 to 300 bytes plus lengths
/// around later block boundaries and a few multi-kilobyte inputs.
@Suite struct HashVectorFileTests {
    struct Vector {
        let input: [UInt8]
        let key: [UInt8]
        let sha256: String
        let sha512: String
        let hmacSHA256: String
        let hmacSHA512: String
    }

    static func loadVectors() throws -> [Vector] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .appendingPathComponent("../../fixtures/hash-vectors.json")
            .standardizedFileURL
        let data = try Data(contentsOf: url)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entries = try #require(document["vectors"] as? [[String: String]])
        return try entries.map { entry in
            func field(_ name: String) throws -> String { try #require(entry[name], "missing \(name)") }
            return Vector(
                input: bytes(hex: try field("input")),
                key: bytes(hex: try field("key")),
                sha256: try field("sha256"),
                sha512: try field("sha512"),
                hmacSHA256: try field("hmacSHA256"),
                hmacSHA512: try field("hmacSHA512")
            )
        }
    }

    @Test func vectorFile_coversEveryLengthUpTo300AndLongInputs() throws {
        let vectors = try Self.loadVectors()
        let lengths = Set(vectors.map(\.input.count))
        #expect(lengths.isSuperset(of: 0...300))
        #expect(lengths.contains { $0 > 4096 })
        let keyLengths = Set(vectors.map(\.key.count))
        #expect(keyLengths.isSuperset(of: [0, 64, 128, 129]))
    }

    @Test func sha256_everyVectorFileInput_matchesHashlib() throws {
        for vector in try Self.loadVectors() {
            #expect(SHA256.hash(vector.input).hexString == vector.sha256, "length \(vector.input.count)")
        }
    }

    @Test func sha512_everyVectorFileInput_matchesHashlib() throws {
        for vector in try Self.loadVectors() {
            #expect(SHA512.hash(vector.input).hexString == vector.sha512, "length \(vector.input.count)")
        }
    }

    @Test func sha256_everyVectorFileInputInUnevenChunks_matchesHashlib() throws {
        for vector in try Self.loadVectors() {
            let digest = digestInChunks(SHA256.self, of: vector.input, chunkSizes: [7, 1, 64, 50, 3])
            #expect(digest.hexString == vector.sha256, "length \(vector.input.count)")
        }
    }

    @Test func sha512_everyVectorFileInputInUnevenChunks_matchesHashlib() throws {
        for vector in try Self.loadVectors() {
            let digest = digestInChunks(SHA512.self, of: vector.input, chunkSizes: [7, 1, 128, 100, 3])
            #expect(digest.hexString == vector.sha512, "length \(vector.input.count)")
        }
    }

    @Test func hmacSHA256_everyVectorFileInput_matchesPythonHMAC() throws {
        for vector in try Self.loadVectors() {
            let code = HMAC<SHA256>.authenticationCode(for: vector.input, key: vector.key)
            #expect(code.hexString == vector.hmacSHA256, "length \(vector.input.count), key \(vector.key.count)")
        }
    }

    @Test func hmacSHA512_everyVectorFileInput_matchesPythonHMAC() throws {
        for vector in try Self.loadVectors() {
            let code = HMAC<SHA512>.authenticationCode(for: vector.input, key: vector.key)
            #expect(code.hexString == vector.hmacSHA512, "length \(vector.input.count), key \(vector.key.count)")
        }
    }
}
