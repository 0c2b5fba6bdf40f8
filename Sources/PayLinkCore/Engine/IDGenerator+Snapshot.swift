extension IDGenerator {
    /// Where the generator stands: enough to make the same identifiers next.
    public enum Snapshot: Sendable, Equatable {
        /// Identifiers come from the system's secure generator; there is nothing to save.
        case system
        /// SplitMix64's one word of state; restoring it continues the same sequence.
        case seeded(state: UInt64)
    }

    public var snapshot: Snapshot { seeded.map { .seeded(state: $0.state) } ?? .system }

    /// A generator that continues from `snapshot`.
    public init(snapshot: Snapshot) {
        switch snapshot {
        case .system: seeded = nil
        case .seeded(let state): seeded = SplitMix64(seed: state)
        }
    }
}
