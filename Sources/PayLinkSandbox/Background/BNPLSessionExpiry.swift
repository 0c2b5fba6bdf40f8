import PayLinkAPS

/// Ends the simulated Tamara and Tabby checkouts nobody finished in time on their merchant's
/// clock (`13778`, docs/aps-bnpl.md); their merchants hear of it through the engine's events.
package struct BNPLSessionExpiry: BackgroundService {
    package let name = "bnpl_expiry"
    let checkout: BNPLCheckout

    package init(checkout: BNPLCheckout) { self.checkout = checkout }

    package func runDue() -> Int { checkout.expireDue() }
}
