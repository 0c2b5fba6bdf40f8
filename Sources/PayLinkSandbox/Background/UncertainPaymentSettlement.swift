import PayLinkAPS

/// Settles uncertain payments (status 15) whose time has come on the sandbox clock, and
/// notifies their merchants.
package struct UncertainPaymentSettlement: BackgroundService {
    package let name = "settlements"
    let checkout: Checkout

    package init(checkout: Checkout) { self.checkout = checkout }

    package func runDue() -> Int { checkout.resolveDueUncertainPayments() }
}
