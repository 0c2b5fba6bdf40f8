/// Every clock's time, read at one moment: the sandbox clock's and that of each merchant with a
/// clock of its own (`MerchantClocks`). An operation reads it once, before the engine's lock,
/// and asks it for each link's merchant, so one operation sees one time per merchant.
package struct ClockTimes: Sendable {
    /// The sandbox clock's time: every merchant without a clock of its own follows it.
    package let global: SandboxInstant
    /// Merchants with their own clock; empty unless a test gave one a clock.
    package let own: [String: SandboxInstant]

    package init(global: SandboxInstant, own: [String: SandboxInstant] = [:]) {
        self.global = global
        self.own = own
    }

    /// The time for `merchant`'s links, orders and feedback.
    @inline(__always)
    package func now(for merchant: String) -> SandboxInstant {
        own.isEmpty ? global : own[merchant] ?? global
    }

    /// The time for `owner`'s batch files: an APS merchant's, or the sandbox clock's for PayByLink.
    package func now(for owner: Owner) -> SandboxInstant {
        guard case .apsMerchant(let merchant) = owner else { return global }
        return now(for: merchant)
    }

    /// True when every merchant follows the sandbox clock.
    package var isUniform: Bool { own.isEmpty }
}
