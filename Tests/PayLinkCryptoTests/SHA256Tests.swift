import PayLinkCrypto
import Testing

@Suite struct SHA256Tests {
    static let emptyDigest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let twoBlock448Digest = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    static let twoBlock896Digest = "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    static let millionADigest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

    @Test func sha256_sizes_matchFIPS() {
        #expect(SHA256.blockByteCount == 64)
        #expect(SHA256.digestByteCount == 32)
    }

    @Test func sha256_emptyMessage_matchesFIPSVector() {
        #expect(SHA256.hash([UInt8]()).hexString == Self.emptyDigest)
        #expect(SHA256().finalize().hexString == Self.emptyDigest)
    }

    @Test func sha256_abc_matchesFIPSVector() {
        let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(SHA256.hash(Array(NISTMessage.abc.utf8)).hexString == expected)
        #expect(SHA256.hash(NISTMessage.abc.utf8).hexString == expected)
    }

    @Test func sha256_hexWrittenInPlace_isTheHexDigest() {
        for message in ["", NISTMessage.abc, NISTMessage.twoBlock448, NISTMessage.twoBlock896] {
            var hasher = SHA256()
            hasher.update(Array(message.utf8))
            let expected = hasher.finalizeHex()
            var written = [UInt8](repeating: 0, count: 65)
            var again = SHA256()
            again.update(Array(message.utf8))
            written.withUnsafeMutableBufferPointer { again.finalizeHex(into: $0.baseAddress!) }
            #expect(String(decoding: written[..<64], as: UTF8.self) == expected)
            #expect(written[64] == 0)
        }
    }

    @Test func sha256_448BitMessage_matchesFIPSVector() {
        #expect(SHA256.hash(NISTMessage.twoBlock448.utf8).hexString == Self.twoBlock448Digest)
    }

    @Test func sha256_896BitMessage_matchesReferenceDigest() {
        #expect(SHA256.hash(NISTMessage.twoBlock896.utf8).hexString == Self.twoBlock896Digest)
    }

    @Test func sha256_millionA_matchesFIPSVector() {
        #expect(SHA256.hash(NISTMessage.millionA).hexString == Self.millionADigest)
    }

    @Test func sha256_millionAInUnevenChunks_matchesFIPSVector() {
        let digest = digestInChunks(SHA256.self, of: NISTMessage.millionA, chunkSizes: NISTMessage.unevenChunks)
        #expect(digest.hexString == Self.millionADigest)
    }

    @Test(arguments: [1, 63, 64, 65, 1000])
    func sha256_millionAInFixedChunks_matchesFIPSVector(chunkSize: Int) {
        let digest = digestInChunks(SHA256.self, of: NISTMessage.millionA, chunkSizes: [chunkSize])
        #expect(digest.hexString == Self.millionADigest)
    }

    @Test func sha256_emptyUpdates_doNotChangeDigest() {
        var hasher = SHA256()
        hasher.update([UInt8]())
        hasher.update(Array(NISTMessage.abc.utf8))
        hasher.update(UnsafeRawBufferPointer(start: nil, count: 0))
        hasher.update("".utf8)
        #expect(hasher.finalize() == SHA256.hash(NISTMessage.abc.utf8))
    }

    @Test func sha256_nonContiguousCollection_matchesContiguousDigest() {
        // A lazy map has no contiguous storage, so this goes through the copying path,
        // across more than one of its internal chunks.
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(SHA256.hash(message.lazy.map { $0 }) == SHA256.hash(message))
    }
}
