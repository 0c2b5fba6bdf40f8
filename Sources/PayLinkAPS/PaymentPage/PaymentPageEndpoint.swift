import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
import PayLinkSupport

/// `POST /FortAPI/paymentPage`: the browser form that starts an APS-hosted flow. A form with
/// `service_command=TOKENIZATION` is the Merchant Page (the merchant's own form posts the card
/// and gets a token back, `MerchantPageTokenization`); one with `command` PURCHASE or
/// AUTHORIZATION is the hosted checkout (the customer pays on the sandbox's page,
/// `HostedCheckout`). Both answer the browser with HTML and end with a signed form posted to
/// the merchant's `return_url`.
package struct PaymentPageEndpoint: Sendable {
    package static let path = "paymentPage"
    package let context: APSContext
    package let checkout: HostedCheckout
    package let tokenization: MerchantPageTokenization

    /// Adds the paymentPage routes, relative to `/FortAPI/`.
    package func add(to router: inout Router) {
        for path in [Self.path, Self.path + "/"] {
            router.post(path) { request, _ in start(request) }
        }
        checkout.add(to: &router)
        tokenization.add(to: &router)
    }

    private func start(_ request: HTTPRequest) -> HTTPResponse {
        let form: PaymentPageRequest
        do { form = try PaymentPageRequest(request) } catch {
            return HTML.response(HostedPageFrame.document(title: "Invalid request", text: PageText.forLanguage("en"),
                                                          body: "<p class=\"errors\" role=\"alert\">\(HTML.escape(error.detail))</p>"),
                                 status: 400, detail: error.detail)
        }
        if form["service_command"] == MerchantPageTokenization.serviceCommand { return tokenization.answer(form) }
        return checkout.start(form)
    }

    package init(context: APSContext, checkout: HostedCheckout, tokenization: MerchantPageTokenization) {
        self.context = context
        self.checkout = checkout
        self.tokenization = tokenization
    }
}
