import Synchronization

/// The PayByLink subscription keys the sandbox accepts (`Ocp-Apim-Subscription-Key`): the
/// configured ones (`paybylink.subscription_keys`) and those added at run time
/// (`/__sandbox/paybylink/subscription-keys`). A configured key cannot be deleted; a reset
/// forgets the added ones.
package final class SubscriptionKeys: Sendable {
    private let configured: [String]
    private let added = Mutex<[String]>([])
    /// Told every change under the lock (`--state-dir`'s log), with the keys added at run time.
    private let recorder: (any StateChangeRecorder)?

    package init(_ configured: [String], recorder: (any StateChangeRecorder)? = nil) {
        var seen = Set<String>()
        self.configured = configured.filter { seen.insert($0).inserted }
        self.recorder = recorder
    }

    package func contains(_ key: String) -> Bool {
        configured.contains(key) || added.withLock { $0.contains(key) }
    }

    /// The configured keys, then those added, in the order they were.
    package var all: [String] { configured + added.withLock { $0 } }

    package func isConfigured(_ key: String) -> Bool { configured.contains(key) }

    /// Adds a key; refused when the sandbox has it already.
    package func add(_ key: String) throws(MerchantDirectory.ChangeError) {
        guard !configured.contains(key) else { throw .exists }
        try added.withLock { (keys: inout [String]) throws(MerchantDirectory.ChangeError) in
            guard !keys.contains(key) else { throw .exists }
            keys.append(key)
            recorder?.record(.subscriptionKeys(keys))
        }
    }

    /// Deletes a key added at run time.
    package func remove(_ key: String) throws(MerchantDirectory.ChangeError) {
        guard !configured.contains(key) else { throw .configured }
        try added.withLock { (keys: inout [String]) throws(MerchantDirectory.ChangeError) in
            guard let index = keys.firstIndex(of: key) else { throw .notFound }
            keys.remove(at: index)
            recorder?.record(.subscriptionKeys(keys))
        }
    }

    /// The keys added at run time: what a state snapshot keeps.
    package func addedKeys() -> [String] { added.withLock { $0 } }

    /// Back to the configured keys (a reset).
    package func resetToConfigured() {
        added.withLock { keys in
            guard !keys.isEmpty else { return }
            keys.removeAll()
            recorder?.record(.subscriptionKeys([]))
        }
    }

    /// The configured keys and `added` (a state import or recovery); not told to the recorder.
    package func restore(added keys: [String]) {
        var seen = Set(configured)
        let kept = keys.filter { seen.insert($0).inserted }
        added.withLock { $0 = kept }
    }
}
