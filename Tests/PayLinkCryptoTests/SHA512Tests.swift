import PayLinkCrypto
import Testing

@Suite struct SHA512Tests {
    static let emptyDigest =
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
        + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
    static let twoBlock448Digest =
        "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
        + "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"
    static let twoBlock896Digest =
        "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
        + "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
    static let millionADigest =
        "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
        + "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"

    @Test func sha512_sizes_matchFIPS() {
        #expect(SHA512.blockByteCount == 128)
        #expect(SHA512.digestByteCount == 64)
    }

    @Test func sha512_emptyMessage_matchesFIPSVector() {
        #expect(SHA512.hash([UInt8]()).hexString == Self.emptyDigest)
        #expect(SHA512().finalize().hexString == Self.emptyDigest)
    }

    @Test func sha512_abc_matchesFIPSVector() {
        let expected = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        #expect(SHA512.hash(Array(NISTMessage.abc.utf8)).hexString == expected)
        #expect(SHA512.hash(NISTMessage.abc.utf8).hexString == expected)
    }

    @Test func sha512_448BitMessage_matchesReferenceDigest() {
        #expect(SHA512.hash(NISTMessage.twoBlock448.utf8).hexString == Self.twoBlock448Digest)
    }

    @Test func sha512_896BitMessage_matchesFIPSVector() {
        #expect(SHA512.hash(NISTMessage.twoBlock896.utf8).hexString == Self.twoBlock896Digest)
    }

    @Test func sha512_millionA_matchesFIPSVector() {
        #expect(SHA512.hash(NISTMessage.millionA).hexString == Self.millionADigest)
    }

    @Test func sha512_millionAInUnevenChunks_matchesFIPSVector() {
        let digest = digestInChunks(SHA512.self, of: NISTMessage.millionA, chunkSizes: NISTMessage.unevenChunks)
        #expect(digest.hexString == Self.millionADigest)
    }

    @Test(arguments: [1, 63, 64, 65, 1000])
    func sha512_millionAInFixedChunks_matchesFIPSVector(chunkSize: Int) {
        let digest = digestInChunks(SHA512.self, of: NISTMessage.millionA, chunkSizes: [chunkSize])
        #expect(digest.hexString == Self.millionADigest)
    }

    @Test func sha512_emptyUpdates_doNotChangeDigest() {
        var hasher = SHA512()
        hasher.update([UInt8]())
        hasher.update(Array(NISTMessage.abc.utf8))
        hasher.update(UnsafeRawBufferPointer(start: nil, count: 0))
        hasher.update("".utf8)
        #expect(hasher.finalize() == SHA512.hash(NISTMessage.abc.utf8))
    }

    @Test func sha512_nonContiguousCollection_matchesContiguousDigest() {
        // A lazy map has no contiguous storage, so this goes through the copying path,
        // across more than one of its internal chunks.
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(SHA512.hash(message.lazy.map { $0 }) == SHA512.hash(message))
    }
}
