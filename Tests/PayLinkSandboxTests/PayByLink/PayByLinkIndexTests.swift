import PayLinkCore
import Testing
@testable import PayLinkPayByLink

/// The PayByLink store's indexes without a server: the open-addressed slot index and its hashes.
struct PayByLinkIndexTests {
    /// Keys in an array (as the store keeps its requests), filed by slot.
    @Test func slotIndex_findsEveryKey_acrossGrowth_andNothingElse() {
        let hasher = KeyHasher(seed: 7)
        let keys = (0..<5_000).map { "key-\($0)" }
        var index = SlotIndex()
        for (slot, key) in keys.enumerated() { index.insert(hash: hasher.hash(key), slot: slot) }
        #expect(index.count == 5_000)
        for (slot, key) in keys.enumerated() {
            #expect(index.find(hash: hasher.hash(key)) { keys[$0] == key } == slot)
        }
        #expect(index.find(hash: hasher.hash("key-5000")) { keys[$0] == "key-5000" } == nil)
    }

    /// Keys whose hashes are equal all stay findable: `matches` tells them apart.
    @Test func slotIndex_keysWithTheSameHash_areToldApartByMatches() {
        let keys = ["a", "b", "c", "d"]
        var index = SlotIndex(capacity: 2)
        for slot in keys.indices { index.insert(hash: 42 << 32, slot: slot) }
        for (slot, key) in keys.enumerated() { #expect(index.find(hash: 42 << 32) { keys[$0] == key } == slot) }
        index.replace(hash: 42 << 32, slot: 2, with: 9)
        #expect(index.find(hash: 42 << 32) { $0 == 9 } == 9)
        #expect(index.find(hash: 42 << 32) { $0 == 2 } == nil)
    }

    @Test func slotIndex_reserving_keepsWhatIsThere() {
        var index = SlotIndex()
        index.insert(hash: 1 << 40, slot: 3)
        index.reserveCapacity(10_000)
        #expect(index.find(hash: 1 << 40) { $0 == 3 } == 3)
        #expect(index.count == 1)
    }

    @Test func keyHasher_keepsKeysAndPairsApart() {
        let hasher = KeyHasher(seed: 1)
        #expect(hasher.hash("ACC-1") != hasher.hash("acc-1"))
        #expect(hasher.hash("ab", "c") != hasher.hash("a", "bc"))
        #expect(hasher.hash("k", 1_000) != hasher.hash("k", 1_001))
        #expect(KeyHasher(seed: 1).hash("x") == hasher.hash("x"))
    }
}
