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

    /// A response, with the failed signature check behind a `008`, for the journal's
    /// `signature_debug` (as paymentApi's `APSEndpoint.Reply`).
    package struct Reply: Sendable {
        package var response: HTTPResponse
        package var failedSignature: SignatureCheck?
    }

    /// `POST /FortAPI/paymentPage`, answered with what the journal keeps of it.
    package func handle(_ request: HTTPRequest) -> Reply {
        let form: PaymentPageRequest
        do { form = try PaymentPageRequest(request) } catch {
            return Reply(response: HTML.response(HostedPageFrame.document(title: "Invalid request", text: PageText.forLanguage("en"),
                                                                          body: "<p class=\"errors\" role=\"alert\">\(HTML.escape(error.detail))</p>"),
                                                 status: 400, detail: error.detail))
        }
        let tokenizes = form["service_command"] == MerchantPageTokenization.serviceCommand
        let response = tokenizes ? tokenization.answer(form) : checkout.start(form)
        // The flows keep the check to themselves; a 008 is rare, so it is made again here, with
        // the same exclusions, rather than threaded through every page.
        guard response.headers[HostedPage.responseCodeHeader] == Self.signatureMismatch, let merchant = form.merchant(in: context) else {
            return Reply(response: response)
        }
        let failed = form.signatureFailure(merchant: merchant, context: context,
                                           exclusions: tokenizes ? MerchantPageTokenization.signatureExclusions : [[]])
        return Reply(response: response, failedSignature: failed)
    }

    /// The code of a signature mismatch (status 00, message 008).
    static let signatureMismatch = APSResponseCode(status: APSStatus.invalidRequest, message: "008").code

    private func start(_ request: HTTPRequest) -> HTTPResponse { handle(request).response }

    package init(context: APSContext, checkout: HostedCheckout, tokenization: MerchantPageTokenization) {
        self.context = context
        self.checkout = checkout
        self.tokenization = tokenization
    }
}
