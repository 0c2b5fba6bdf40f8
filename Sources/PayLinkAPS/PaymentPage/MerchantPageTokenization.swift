import PayLinkCore
import PayLinkHTTP
import PayLinkSupport

/// The Merchant Page: `service_command=TOKENIZATION` posted to `/FortAPI/paymentPage` by the
/// merchant's own card form. NOT BUILT YET (placeholder while it is written): answers 501.
package struct MerchantPageTokenization: Sendable {
    package static let serviceCommand = "TOKENIZATION"
    package let context: APSContext

    /// Routes of its own pages (if any), relative to `/FortAPI/`.
    package func add(to router: inout Router) {}

    func answer(_ form: PaymentPageRequest) -> HTTPResponse {
        HTML.response("<p>Tokenization is not built yet.</p>", status: 501, detail: "tokenization is not built yet")
    }

    package init(context: APSContext) { self.context = context }
}
