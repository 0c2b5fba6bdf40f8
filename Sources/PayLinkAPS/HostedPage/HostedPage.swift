import PayLinkHTTP
import PayLinkCore
import PayLinkSupport
import PayLinkJSON

/// The hosted payment page at each link's `payment_link` URL, `/pay/{token}`:
/// - `GET /pay/{token}`: the invoice and payment form of an Open link (each opening counts in
///   `user_attempts_count`), or a page without a form for a Paid, Closed or Expired link;
/// - `POST /pay/{token}`: the form; problems re-show it (422), nothing charged;
/// - `POST /pay/{token}/3ds` and `/otp`: the 3-D Secure challenge and STC Pay OTP answers.
/// An attempt ends on the Direct Transaction Feedback page (`FeedbackPage`).
package struct HostedPage: Sendable {
    /// Names the `response_code` of the attempt a page ends (the one its feedback carries), so
    /// faults can match it without reading the HTML.
    package static let responseCodeHeader = "X-Sandbox-Response-Code"
    package let context: APSContext
    package let checkout: Checkout

    /// The pages, relative to `/pay/`. A token no link has is the page's own 404; an unknown
    /// path under a real link's page is the JSON 404 of every other unknown path.
    package func router() -> Router {
        var router = Router(notFound: { request in
            let parts = request.path.dropFirst(LinkURLs.hostedPagePrefix.count).split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, let token = parts.first, context.engine.link(token: String(token)) != nil else {
                return HTML.response(LinkStatePage.notFound(), status: 404, detail: "no payment link has the page \(request.path)")
            }
            return JSONResponses.notFound(request)
        })
        router.get("{token}") { _, path in try page(path) { show($0, text: $1) } }
        router.post("{token}") { request, path in
            try page(path) { submitForm($0, FormBody(request), customerIP: CustomerIP.of(request), text: $1) }
        }
        router.post("{token}/3ds") { request, path in try page(path) { answer($0, FormBody(request), kind: .threeDSecure, text: $1) } }
        router.post("{token}/otp") { request, path in try page(path) { answer($0, FormBody(request), kind: .walletOTP, text: $1) } }
        return router
    }

    /// The link behind `{token}` in its language, or the page's 404.
    private func page(_ path: PathParameters, _ body: (LinkView, PageText) -> HTTPResponse) throws(HTTPErrorResponse) -> HTTPResponse {
        guard let view = context.engine.link(token: path["token"]) else {
            throw HTTPErrorResponse(HTML.response(LinkStatePage.notFound(), status: 404, detail: "no payment link has the token \(path["token"])"))
        }
        return body(view, PageText.forLanguage(view.link.language))
    }

    /// Opening the link: counted while it is Open, then the form or the link's state.
    private func show(_ view: LinkView, text: PageText) -> HTTPResponse {
        let opened = (try? context.engine.recordOpening(id: view.link.id)) ?? view
        if let refusal = refusal(opened) { return HTML.response(LinkStatePage.page(opened.link, refusal: refusal, text: text)) }
        return HTML.response(PaymentForm.page(opened.link, offer: offer(for: opened.link), text: text))
    }

    private func submitForm(_ view: LinkView, _ form: FormBody, customerIP: String, text: PageText) -> HTTPResponse {
        if let refusal = refusal(view) {
            return HTML.response(LinkStatePage.page(view.link, refusal: refusal, text: text), status: 409, detail: refusal.explanation)
        }
        let offer = self.offer(for: view.link)
        var problems = PaymentForm.Problems()
        if form["agree_terms"].isEmpty { problems.fields["agree_terms"] = .termsRequired }
        let option = form.nonEmpty("payment_option")
        if let option, !offer.offers(option) { problems.fields["payment_option"] = .chooseMethod }

        // Tabby: its simulated checkout (sign in, OTP, approval), then back to the return URL.
        if let option, offer.wallets.contains(option), let provider = BNPLProvider(paymentOption: option) {
            guard problems.isEmpty else { return formAgain(view, form, problems, text) }
            let returnURL = view.link.returnURL ?? context.merchants[view.link.merchantIdentifier]?.redirectURL
            return BNPLCheckout(context: context, checkout: checkout).start(provider, link: view.link, returnURL: returnURL, customerIP: customerIP)
        }
        // A wallet: STC Pay asks for its mobile number, then an OTP; others pay at once.
        if let option, offer.wallets.contains(option) {
            let phone = form["phone_number"]
            if option == "STCPAY", !SaudiMobileNumber.isValid(phone) { problems.fields["phone_number"] = .invalidMobile }
            guard problems.isEmpty else { return formAgain(view, form, problems, text) }
            let details = PaymentDetails.wallet(option, phoneNumber: option == "STCPAY" ? phone : nil, customerIP: customerIP)
            return respond(option == "STCPAY" ? checkout.startWalletOTP(linkID: view.link.id, details: details)
                                              : checkout.payWithWallet(linkID: view.link.id, details: details), view, text)
        }
        // A card: the scheme picked (if any) must be offered and match the number.
        guard var card = CardSubmission.check(form, option: option, offer: offer, now: view.now, problems: &problems) else {
            return formAgain(view, form, problems, text)
        }
        card.details.customerIP = customerIP
        return respond(checkout.payWithCard(linkID: view.link.id, card: card), view, text)
    }

    private func answer(_ view: LinkView, _ form: FormBody, kind: PendingVerifications.Kind, text: PageText) -> HTTPResponse {
        let id = form["verification_id"]
        let code = form[kind == .threeDSecure ? "code" : "otp"]
        let result = kind == .threeDSecure ? checkout.answerChallenge(linkID: view.link.id, id: id, code: code)
                                           : checkout.answerOTP(linkID: view.link.id, id: id, otp: code)
        return respond(result, view, text)
    }

    private func respond(_ result: Checkout.Result, _ view: LinkView, _ text: PageText) -> HTTPResponse {
        switch result {
        case .completed(let transaction):
            let merchant = context.merchants[view.link.merchantIdentifier]
            var response = HTML.response(FeedbackPage.page(transaction, returnURL: view.link.returnURL ?? merchant?.redirectURL, text: text))
            if let code = transaction.feedback?["response_code"]?.stringValue {
                response.headers.add(name: Self.responseCodeHeader, value: code)
                // A declined or unconfirmed attempt is an answer that is not a success: it says why too.
                if let parsed = APSResponseCode(code), let detail = APSEndpoint.detail(unexplained: parsed) {
                    response.headers.add(name: SandboxDetail.header, value: SandboxDetail.encode(detail))
                }
            }
            return response
        case .verificationRequired(let id, let kind):
            var response = HTML.response(VerificationPage.page(view.link, text: text, id: id, kind: kind))
            // The code APS answers a card that needs 3-D Secure with (20064, "3-D Secure check
            // requested"), so a fault can aim at the challenge.
            if kind == .threeDSecure { response.headers.add(name: Self.responseCodeHeader, value: "20064") }
            return response
        case .refused(let error):
            let current = context.engine.link(id: view.link.id)?.link ?? view.link
            return HTML.response(LinkStatePage.page(current, refusal: error, text: text), status: 409, detail: error.explanation)
        case .unknownVerification:
            let body = LinkSummary.html(view.link, text: text)
                + "<div class=\"errors\" role=\"alert\">\(HTML.escape(text.verificationGone))</div>"
                + "<p><a href=\"/pay/\(HTML.escape(view.link.token))\">\(HTML.escape(text.tryAgain))</a></p>"
            return HTML.response(HostedPageFrame.document(title: text.verificationGone, text: text, body: body), status: 400,
                                 detail: "this verification expired, was already answered, or is not one of this link's")
        }
    }

    private func formAgain(_ view: LinkView, _ form: FormBody, _ problems: PaymentForm.Problems, _ text: PageText) -> HTTPResponse {
        HTML.response(PaymentForm.page(view.link, offer: offer(for: view.link), text: text, values: form, problems: problems),
                      status: 422, detail: problems.detail)
    }

    /// The options this link can be paid with (`Checkout.optionRefusal`).
    /// Tabby is offered too when the link names no option, is a PURCHASE (Tabby captures at
    /// once) and may be paid with it.
    private func offer(for link: PaymentLink) -> PaymentForm.Offer {
        var offer = PaymentForm.Offer(for: link) { checkout.optionRefusal($0, for: link) == nil }
        if link.paymentOption == nil, link.transactionCommand == .purchase, checkout.optionRefusal("TABBY", for: link) == nil {
            offer.wallets.append("TABBY")
        }
        return offer
    }

    private func refusal(_ view: LinkView) -> LinkError? {
        do { try LinkStateMachine.requirePayable(view.link, at: view.now) } catch { return error }
        return nil
    }

    package init(context: APSContext, checkout: Checkout) {
        self.context = context
        self.checkout = checkout
    }
}
