extension SandboxClock.Reading {
    /// A reading to restore with `SandboxClock.restore(_:)` (state snapshots build one). A
    /// static function because the memberwise initializer with these labels is internal.
    public static func restored(now: SandboxInstant, mode: SandboxClock.Mode) -> Self {
        Self(now: now, mode: mode)
    }
}

extension SandboxClock {
    /// The clock's part of a state snapshot: its reading (instant and mode). A running clock
    /// restored from it runs on from that instant.
    public func snapshot() -> Reading { reading() }
}
