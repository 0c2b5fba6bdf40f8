import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
import PayLinkSupport

/// The hosted checkout: `command` PURCHASE or AUTHORIZATION posted to `/FortAPI/paymentPage`
/// by the customer's browser (the merchant's redirect form, e.g. the PHP SDK's
/// `PaymentRedirect`). A good request opens a checkout session and shows the payment page the
/// links use (same cards, 3-D Secure, English and Arabic); paying it makes one order and posts
/// its signed feedback to `return_url`. A bad one is returned to `return_url`, signed with the
/// refusal's code (`HostedCheckoutRefusal`).
///
/// Pages, under `/FortAPI/`: `POST paymentPage` (start), `GET|POST paymentPage/checkout/{id}`
/// (the form, its submit), `POST paymentPage/checkout/{id}/plan` (an installment plan's choice,
/// `HostedCheckout+Installments`), `POST paymentPage/checkout/{id}/3ds` (the challenge's answer)
/// and `POST paymentPage/checkout/{id}/otp` (STC Pay's OTP, `HostedCheckout+Wallets`).
package struct HostedCheckout: Sendable {
    package let context: APSContext
    package let checkout: Checkout

    static let sessionPath = "paymentPage/checkout/"
    var sessions: CheckoutSessions { checkout.verifications.checkoutSessions }

    /// Routes of the checkout's own pages, relative to `/FortAPI/`.
    package func add(to router: inout Router) {
        router.get(Self.sessionPath + "{session}") { _, path in show(path["session"]) }
        router.post(Self.sessionPath + "{session}") { request, path in
            submit(path["session"], FormBody(request))
        }
        router.post(Self.sessionPath + "{session}/3ds") { request, path in answerChallenge(path["session"], FormBody(request)) }
        router.post(Self.sessionPath + "{session}/plan") { request, path in choosePlan(path["session"], FormBody(request)) }
        bnpl.add(to: &router)
        router.post(Self.sessionPath + "{session}/otp") { request, path in answerWalletOTP(path["session"], FormBody(request)) }
    }

    func start(_ form: PaymentPageRequest) -> HTTPResponse {
        guard let merchant = form.merchant(in: context) else { return HostedCheckoutRefusal.unknownMerchant(form) }
        let request: HostedCheckoutRequest
        do { request = try HostedCheckoutValidation.check(form, merchant: merchant, context: context) } catch {
            return HostedCheckoutRefusal.page(error, form: form, merchant: merchant)
        }
        if let provider = BNPLProvider(paymentOption: request.paymentOption) {
            return bnpl.start(provider, request: request, returnURL: returnURL(request), pageSession: nil)
        }
        let id = context.engine.drawTokenName()
        sessions.add(request, id: id)
        return formPage(id, request, values: nil, problems: PaymentForm.Problems())
    }

    /// The address of a session's page (its form posts there).
    static func address(_ id: String) -> String { "/FortAPI/" + sessionPath + id }

    /// Reloading the page: the form while open, the outcome once finished.
    private func show(_ id: String) -> HTTPResponse {
        guard let session = sessions.session(id) else { return gone() }
        if case .open = session.phase { return formPage(id, session.request, values: nil, problems: PaymentForm.Problems()) }
        if case .choosingPlan(let step) = session.phase { return planPage(id, session.request, step, chosen: nil, problem: false) }
        return notOpen(session)
    }

    /// A finished session shows its outcome again (nothing is paid twice); one being paid says so.
    func notOpen(_ session: CheckoutSessions.Session) -> HTTPResponse {
        let text = PageText.forLanguage(session.request.language)
        if case .finished(let parameters, let title) = session.phase {
            return ReturnForm.page(parameters, returnURL: returnURL(session.request), title: title, text: text,
                                   detail: "this checkout has ended already; its outcome is shown again and nothing was charged")
        }
        let body = session.request.summary.html(text: text) + "<div class=\"errors\" role=\"alert\">\(HTML.escape(text.sessionBusy))</div>"
        return HTML.response(HostedPageFrame.document(title: text.sessionBusy, text: text, body: body), status: 409,
                             detail: "this checkout's payment is under way (\(Self.underWay(session.phase))); nothing was charged")
    }

    /// What a session being paid waits for, for the detail of a refused second submit.
    private static func underWay(_ phase: CheckoutSessions.Phase) -> String {
        switch phase {
        case .challenge: "a 3-D Secure challenge or a wallet's one-time password waits"
        case .withProvider(let provider): "the customer went on to the simulated \(provider.displayName) checkout, which ends it"
        case .open, .paying, .choosingPlan, .finished: "a submit is being processed"
        }
    }

    func gone() -> HTTPResponse {
        let text = PageText.english
        let body = "<div class=\"errors\" role=\"alert\">\(HTML.escape(text.sessionGone))</div>"
        return HTML.response(HostedPageFrame.document(title: text.sessionGone, text: text, body: body), status: 404,
                             detail: "no checkout session has this id (unknown, forgotten past the sessions kept, or lost in a restart)")
    }

    func formPage(_ id: String, _ request: HostedCheckoutRequest, values: FormBody?, problems: PaymentForm.Problems) -> HTTPResponse {
        let extras = PaymentForm.Extras(savedCard: request.token?.maskedCardNumber,
                                        rememberMe: request.token == nil ? request.rememberMe : nil)
        let html = PaymentForm.page(request.summary, action: Self.address(id), offer: offer(request),
                                    text: PageText.forLanguage(request.language), values: values, problems: problems, extras: extras)
        return problems.isEmpty ? HTML.response(html) : HTML.response(html, status: 422, detail: problems.detail)
    }

    /// The card schemes the request may be paid with: its `payment_option`, else every scheme
    /// the option rules and the merchant allow for its currency and command; the wallets
    /// (`HostedCheckout+Wallets`); and Tamara and Tabby (`bnplOptions`).
    func offer(_ request: HostedCheckoutRequest) -> PaymentForm.Offer {
        let allows = { (option: String) in
            context.paymentOptionRules.refusal(option: option, currency: request.terms.currency, command: request.terms.command.rawValue,
                                               eci: request.terms.requestFields["eci"] ?? "ECOMMERCE", merchant: request.merchant) == nil
        }
        var offer = PaymentForm.Offer(paymentOption: request.paymentOption, allows: allows)
        offer.wallets = wallets(request, allowed: offer.wallets) + bnplOptions(request, allows: allows)
        return offer
    }

    var bnpl: BNPLCheckout { BNPLCheckout(context: context, checkout: checkout) }

    /// The request's `return_url`, else the merchant's configured redirect URL.
    func returnURL(_ request: HostedCheckoutRequest) -> String? {
        request.returnURL ?? context.merchants[request.merchant.identifier]?.redirectURL ?? request.merchant.redirectURL
    }

    package init(context: APSContext, checkout: Checkout) {
        self.context = context
        self.checkout = checkout
    }
}
