/// `serve --durability`: what a change with `--state-dir` has reached when its answer is sent.
public enum Durability: String, Sendable, CaseIterable {
    /// Flushed to disk (`fdatasync`): neither a killed process nor a machine crash loses it.
    case fsync
    /// Written to the operating system, not flushed: a killed process loses nothing, a machine
    /// crash (power loss, kernel panic) can lose the last changes.
    case os
}
