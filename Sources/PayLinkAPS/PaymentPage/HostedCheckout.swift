import PayLinkCore
import PayLinkHTTP
import PayLinkSupport

/// The hosted checkout: `command` PURCHASE or AUTHORIZATION posted to `/FortAPI/paymentPage`.
/// NOT BUILT YET (placeholder while it is written): answers 501.
package struct HostedCheckout: Sendable {
    package let context: APSContext
    package let checkout: Checkout

    /// Routes of the checkout's own pages, relative to `/FortAPI/`.
    package func add(to router: inout Router) {}

    func start(_ form: PaymentPageRequest) -> HTTPResponse {
        HTML.response("<p>The hosted checkout is not built yet.</p>", status: 501, detail: "the hosted checkout is not built yet")
    }

    package init(context: APSContext, checkout: Checkout) {
        self.context = context
        self.checkout = checkout
    }
}
