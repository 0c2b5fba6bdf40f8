import PayLinkCore
import Testing
@testable import PayLinkPayByLink

/// The PayByLink store's key hashes read a word at a time, and the run's filter of claimed
/// keys: the same hashes as a byte at a time, and never a claimed key missed.
struct PayByLinkRunKeysTests {
    /// The hash a byte at a time, as it was.
    static func referenceHash(_ text: String, seed: UInt64) -> UInt64 {
        func mix(_ value: UInt64) -> UInt64 {
            var x = value &* 0x9E37_79B9_7F4A_7C15
            x ^= x >> 29
            x = x &* 0xBF58_476D_1CE4_E5B9
            return x ^ (x >> 32)
        }
        let bytes = Array(text.utf8)
        var hash = (seed | 1) ^ UInt64(bytes.count)
        var word: UInt64 = 0
        var filled = 0
        for byte in bytes {
            word |= UInt64(byte) << UInt64(filled * 8)
            filled += 1
            if filled == 8 {
                hash = mix(hash ^ word)
                word = 0
                filled = 0
            }
        }
        return mix(hash ^ word)
    }

    @Test func keyHasher_everyLength_matchesAByteAtATime() {
        let hasher = KeyHasher(seed: 0x5EED)
        let text = "0123456789abcdefghijklmnopqrstuvwxyz-é€😀ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        for length in 0...text.count {
            let key = String(text.prefix(length))
            #expect(hasher.hash(key) == Self.referenceHash(key, seed: 0x5EED))
        }
        var ids = IDGenerator(seed: 3)
        for _ in 0..<1_000 {
            let id = ids.guid(), code = ids.shortCode()
            #expect(hasher.hash(id) == Self.referenceHash(id, seed: 0x5EED))
            #expect(hasher.hash(code) == Self.referenceHash(code, seed: 0x5EED))
        }
    }

    @Test func keyHashFilter_holdsEveryHashInserted_andFewOthers() {
        var filter = KeyHashFilter()
        var generator = SplitMix64(seed: 21)
        let inserted = (0..<64).map { _ in generator.next() }
        for hash in inserted { filter.insert(hash) }
        #expect(inserted.allSatisfy { filter.mayContain($0) })
        let others = (0..<10_000).map { _ in generator.next() }.filter { filter.mayContain($0) }.count
        // 64 hashes set at most 64 of the 256 bits: a quarter of other hashes at most.
        #expect(others < 3_000)
        #expect(!KeyHashFilter().mayContain(inserted[0]))
    }

    /// A long run (more than the filter's bits hold apart) whose records repeat references of
    /// records near and far before them, some of those refused for an expiry already past:
    /// each repeat is found, as creating one after the other finds it.
    @Test func aLongRunRepeatingReferences_isCreatingEachInTurn() {
        let past = PayByLinkBulkCreateTests.start.adding(seconds: -60)
        let drafts = (0..<300).map { index -> RequestDraft in
            let reference = index % 7 == 6 ? "ref-\(index * 5 % (index + 1))" : "ref-\(index)"
            return PayByLinkBulkCreateTests.draft(reference, expiry: index % 11 == 3 ? past : nil)
        }
        let one = PayByLinkBulkCreateTests.World(), many = PayByLinkBulkCreateTests.World()
        let oneByOne = PayByLinkBulkCreateTests.outcomesCreatingOneByOne(drafts, in: one)
        let together = PayByLinkBulkCreateTests.outcomesCreatingTogether(drafts, in: many)
        #expect(together == oneByOne)
        #expect(together.contains { $0.hasPrefix("duplicate") })
        let references = Set(drafts.map(\.clientTransactionRef)).sorted()
        #expect(many.state(references) == one.state(references))
    }
}
