import Synchronization

/// Merchants by `merchant_identifier`: the configured ones, overlaid with those made or
/// replaced at run time (`/__sandbox/merchants`). Read on every request, changed rarely: a
/// change applies from the next request of every surface that holds the directory (the APS
/// dialect, the hosted page, feedback, the dashboard, the control API).
///
/// Configured merchants can be replaced (a test points the demo merchant's `notification_url`
/// at the port its receiver got) but not deleted; a reset puts them back as configured.
package final class MerchantDirectory: Sendable {
    /// Why a change was refused.
    package enum ChangeError: Error, Sendable, Equatable {
        /// A merchant with that identifier exists (create).
        case exists
        /// No merchant has that identifier.
        case notFound
        /// A configured merchant cannot be deleted, only replaced.
        case configured
    }

    /// The lookups, rebuilt on each change (rare) so that a read is a scan or a hash.
    private struct Table {
        let byIdentifier: [String: Merchant]
        /// The same merchants as a list when there are few: a scan comparing lengths first beats
        /// hashing the identifier on every request. Empty when the dictionary is used.
        let few: [Merchant]

        init(_ merchants: [String: Merchant]) {
            byIdentifier = merchants
            few = merchants.count <= 8 ? Array(merchants.values) : []
        }

        subscript(identifier: String) -> Merchant? {
            guard !few.isEmpty || byIdentifier.isEmpty else { return byIdentifier[identifier] }
            let length = identifier.utf8.count
            return few.first { $0.identifier.utf8.count == length && $0.identifier == identifier }
        }
    }

    private struct State {
        var table: Table
        /// Made or replaced at run time: what a state snapshot keeps.
        var runtime: [String: Merchant] = [:]
    }

    private let configured: [String: Merchant]
    private let state: Mutex<State>
    /// Told every change under the lock (`--state-dir`'s log), with the run-time merchants.
    private let recorder: (any StateChangeRecorder)?

    package init(_ merchants: [Merchant], recorder: (any StateChangeRecorder)? = nil) {
        var map: [String: Merchant] = [:]
        for merchant in merchants { map[merchant.identifier] = merchant }
        configured = map
        self.recorder = recorder
        state = Mutex(State(table: Table(map)))
    }

    package subscript(identifier: String) -> Merchant? {
        state.withLock { $0.table[identifier] }
    }

    /// Every merchant, by identifier.
    package var all: [Merchant] {
        state.withLock { Array($0.table.byIdentifier.values) }.sorted { $0.identifier < $1.identifier }
    }

    /// Whether the merchant comes from the configuration (replaced at run time or not).
    package func isConfigured(_ identifier: String) -> Bool { configured[identifier] != nil }

    /// Adds a merchant; refused when one has its identifier.
    package func create(_ merchant: Merchant) throws(ChangeError) {
        try change { (state: inout State) throws(ChangeError) in
            guard state.table[merchant.identifier] == nil else { throw .exists }
            state.runtime[merchant.identifier] = merchant
        }
    }

    /// Replaces the merchant with its identifier, or adds it; true when it was added.
    @discardableResult
    package func replace(_ merchant: Merchant) -> Bool {
        var added = false
        change { state in
            added = state.table[merchant.identifier] == nil
            state.runtime[merchant.identifier] = merchant
        }
        return added
    }

    /// Deletes a merchant made at run time.
    package func remove(_ identifier: String) throws(ChangeError) {
        try change { (state: inout State) throws(ChangeError) in
            guard state.table[identifier] != nil else { throw .notFound }
            guard configured[identifier] == nil else { throw .configured }
            state.runtime[identifier] = nil
        }
    }

    /// Back to the configured merchants, as configured (a reset).
    package func resetToConfigured() {
        change { state in state.runtime.removeAll() }
    }

    /// The merchants made or replaced at run time, by identifier: what a state snapshot keeps.
    package func runtimeMerchants() -> [Merchant] {
        state.withLock { Array($0.runtime.values) }.sorted { $0.identifier < $1.identifier }
    }

    /// The configured merchants overlaid with `runtime` (a state import or recovery); not told
    /// to the recorder, which takes a snapshot of its own then.
    package func restore(runtime: [Merchant]) {
        var overlay: [String: Merchant] = [:]
        for merchant in runtime { overlay[merchant.identifier] = merchant }
        state.withLock { $0 = Self.state(configured: configured, runtime: overlay) }
    }

    private func change<E: Error>(_ body: (inout State) throws(E) -> Void) throws(E) {
        try state.withLock { (state: inout State) throws(E) in
            try body(&state)
            state = Self.state(configured: configured, runtime: state.runtime)
            recorder?.record(.merchants(state.runtime.values.sorted { $0.identifier < $1.identifier }))
        }
    }

    private static func state(configured: [String: Merchant], runtime: [String: Merchant]) -> State {
        State(table: Table(configured.merging(runtime) { _, new in new }), runtime: runtime)
    }
}
