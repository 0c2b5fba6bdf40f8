import PayLinkAPS

/// Settles uncertain payments (status 15) whose time has come on their merchant's clock (the
/// sandbox clock, or the merchant's own: `MerchantClocks`), and notifies their merchants.
package struct UncertainPaymentSettlement: BackgroundService {
    package let name = "settlements"
    let checkout: Checkout

    package init(checkout: Checkout) { self.checkout = checkout }

    package func runDue() -> Int { checkout.resolveDueUncertainPayments() }
}
