import PayLinkHTTP
import PayLinkCore
import PayLinkSupport

/// The hosted payment page at each link's `payment_link` URL, `/pay/{token}`:
/// - `GET /pay/{token}`: the invoice and payment form of an Open link (each opening counts in
///   `user_attempts_count`), or a page without a form for a Paid, Closed or Expired link;
/// - `POST /pay/{token}`: the form; problems re-show it (422), nothing charged;
/// - `POST /pay/{token}/3ds` and `/otp`: the 3-D Secure challenge and STC Pay OTP answers.
/// An attempt ends on the Direct Transaction Feedback page (`FeedbackPage`).
package struct HostedPage: Sendable {
    package let context: APSContext
    package let checkout: Checkout

    package func handle(_ request: HTTPRequest, subpath: Substring) -> HTTPResponse {
        let parts = subpath.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let view = context.engine.link(token: String(parts[0])) else {
            return HTML.response(LinkStatePage.notFound(), status: 404)
        }
        let text = PageText.forLanguage(view.link.language)
        switch (request.method, parts.count == 2 ? parts[1] : nil) {
        case ("GET", nil): return show(view, text: text)
        case ("POST", nil): return submitForm(view, FormBody(request), text: text)
        case ("POST", "3ds"?): return answer(view, FormBody(request), kind: .threeDSecure, text: text)
        case ("POST", "otp"?): return answer(view, FormBody(request), kind: .walletOTP, text: text)
        case (_, nil): return JSONResponses.methodNotAllowed(request, allowed: ["GET", "POST"])
        case (_, "3ds"?), (_, "otp"?): return JSONResponses.methodNotAllowed(request, allowed: ["POST"])
        default: return JSONResponses.notFound(request)  // an unknown path under a real link
        }
    }

    /// Opening the link: counted while it is Open, then the form or the link's state.
    private func show(_ view: LinkView, text: PageText) -> HTTPResponse {
        let opened = (try? context.engine.recordOpening(id: view.link.id)) ?? view
        if let refusal = refusal(opened) { return HTML.response(LinkStatePage.page(opened.link, refusal: refusal, text: text)) }
        return HTML.response(PaymentForm.page(opened.link, text: text))
    }

    private func submitForm(_ view: LinkView, _ form: FormBody, text: PageText) -> HTTPResponse {
        if let refusal = refusal(view) { return HTML.response(LinkStatePage.page(view.link, refusal: refusal, text: text), status: 409) }
        let offer = PaymentForm.Offer(for: view.link)
        var problems = PaymentForm.Problems()
        if form["agree_terms"].isEmpty { problems.general.append(text.termsRequired) }
        let option = form.nonEmpty("payment_option")
        if let option, !offer.offers(option) { problems.general.append(text.chooseMethod) }

        // A wallet: STC Pay asks for its mobile number, then an OTP; others pay at once.
        if let option, offer.wallets.contains(option) {
            let phone = form["phone_number"]
            if option == "STCPAY", !SaudiMobileNumber.isValid(phone) { problems.fields["phone_number"] = text.invalidMobile }
            guard problems.isEmpty else { return formAgain(view, form, problems, text) }
            let details = PaymentDetails(paymentOption: option, phoneNumber: option == "STCPAY" ? phone : nil)
            return respond(option == "STCPAY" ? checkout.startWalletOTP(linkID: view.link.id, details: details)
                                              : checkout.payWithWallet(linkID: view.link.id, details: details), view, text)
        }
        // A card: the scheme picked (if any) must be offered and match the number.
        if option == nil && offer.cards.isEmpty { problems.general.append(text.chooseMethod) }
        if option != nil && CardBrand(rawValue: option ?? "") == nil { return formAgain(view, form, problems, text) }
        let entry = CardEntry(number: form["card_number"], expiryDate: form["expiry_date"],
                              securityCode: form["card_security_code"], holderName: form["card_holder_name"])
        let card: CardEntry.Checked?
        do { card = try entry.check(option: option.flatMap(CardBrand.init(rawValue:)), at: view.now) } catch {
            for problem in error.problems where problems.fields[problem.field] == nil {
                problems.fields[problem.field] = text.problems[problem.kind]
            }
            card = nil
        }
        guard problems.isEmpty, let card else { return formAgain(view, form, problems, text) }
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
            return HTML.response(FeedbackPage.page(transaction, returnURL: view.link.returnURL ?? merchant?.redirectURL, text: text))
        case .verificationRequired(let id, let kind):
            return HTML.response(VerificationPage.page(view.link, text: text, id: id, kind: kind))
        case .refused(let error):
            let current = context.engine.link(id: view.link.id)?.link ?? view.link
            return HTML.response(LinkStatePage.page(current, refusal: error, text: text), status: 409)
        case .unknownVerification:
            let body = LinkSummary.html(view.link, text: text)
                + "<div class=\"errors\" role=\"alert\">\(HTML.escape(text.verificationGone))</div>"
                + "<p><a href=\"/pay/\(HTML.escape(view.link.token))\">\(HTML.escape(text.tryAgain))</a></p>"
            return HTML.response(HostedPageFrame.document(title: text.verificationGone, text: text, body: body), status: 400)
        }
    }

    private func formAgain(_ view: LinkView, _ form: FormBody, _ problems: PaymentForm.Problems, _ text: PageText) -> HTTPResponse {
        HTML.response(PaymentForm.page(view.link, text: text, values: form, problems: problems), status: 422)
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
