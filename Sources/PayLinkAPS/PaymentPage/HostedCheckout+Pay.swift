import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
import PayLinkSupport

/// Paying a checkout session: the form's card (or the saved card's security code), then the
/// test card's outcome through `Checkout`, ending at the return URL.
extension HostedCheckout {
    func submit(_ id: String, _ form: FormBody) -> HTTPResponse {
        guard let session = sessions.session(id) else { return gone() }
        if case .choosingPlan(let step) = session.phase { return planPage(id, session.request, step, chosen: nil, problem: false) }
        guard case .open = session.phase else { return notOpen(session) }
        let request = session.request
        var problems = PaymentForm.Problems()
        if form["agree_terms"].isEmpty { problems.fields["agree_terms"] = .termsRequired }
        var details: PaymentDetails
        var outcome: TestCards.Outcome
        let cardNumber: String
        if let token = request.token {
            if let problem = Self.securityCodeProblem(form["card_security_code"], brand: token.brand) {
                problems.fields["card_security_code"] = .card(problem)
            }
            guard problems.isEmpty else { return formPage(id, request, values: form, problems: problems) }
            (details, outcome, cardNumber) = (token.paymentDetails, token.outcome, token.maskedCardNumber)
        } else {
            let offer = offer(request)
            let option = form.nonEmpty("payment_option")
            if let option, !offer.offers(option) { problems.fields["payment_option"] = .chooseMethod }
            if let option, offer.wallets.contains(option), let provider = BNPLProvider(paymentOption: option) {
                guard problems.isEmpty else { return formPage(id, request, values: form, problems: problems) }
                guard sessions.claim(id, from: { if case .open = $0 { true } else { false } }) != nil else {
                    return sessions.session(id).map(notOpen) ?? gone()
                }
                sessions.set(id, .withProvider(provider))
                return bnpl.start(provider, request: request, returnURL: returnURL(request), pageSession: id)
            }
            if let option, offer.wallets.contains(option) {
                return payWithWallet(id, request, option: option, form: form, problems: problems)
            }
            let now = context.engine.now(for: request.merchant.identifier)
            guard let card = CardSubmission.check(form, option: option, offer: offer, now: now, problems: &problems) else {
                return formPage(id, request, values: form, problems: problems)
            }
            (details, outcome, cardNumber) = (card.details, TestCards.outcome(for: card.number), card.number)
        }
        details.customerIP = request.customerIP
        // eci MOTO: the merchant's agent keys in a card taken by phone or mail; no customer is
        // there to answer a 3-D Secure challenge, so a 3-D Secure card is charged as it is.
        if outcome == .challenge, request.terms.requestFields["eci"] == "MOTO" { outcome = .approved }
        let saveCard = request.token == nil && request.rememberMe != nil && form["remember_me"] == "YES"
        if let step = installmentStep(id, request, form: form, cardNumber: cardNumber, details: details, outcome: outcome,
                                      saveCard: saveCard) {
            return step
        }
        // One submit pays: a second one (double click, back button) finds the session taken.
        guard sessions.claim(id, from: { if case .open = $0 { true } else { false } }) != nil else {
            return sessions.session(id).map(notOpen) ?? gone()
        }
        let payment = Checkout.SessionPayment(sessionID: id, terms: request.terms, saveCard: saveCard)
        return respond(checkout.pay(payment, outcome: outcome, details: details), id: id, request: request, saveCard: saveCard)
    }

    func answerChallenge(_ id: String, _ form: FormBody) -> HTTPResponse {
        guard let session = sessions.session(id) else { return gone() }
        guard case .challenge(let saveCard) = session.phase,
              sessions.claim(id, from: { if case .challenge = $0 { true } else { false } }) != nil else { return notOpen(session) }
        let payment = Checkout.SessionPayment(sessionID: id, terms: session.request.terms, saveCard: saveCard)
        let result = checkout.answerChallenge(payment, id: form["verification_id"], code: form["code"])
        return respond(result, id: id, request: session.request, saveCard: saveCard)
    }

    func respond(_ result: Checkout.SessionResult, id: String, request: HostedCheckoutRequest, saveCard: Bool) -> HTTPResponse {
        let text = PageText.forLanguage(request.language)
        let merchant = context.merchants[request.merchant.identifier] ?? request.merchant
        switch result {
        case .completed(let order, let outcome, _):
            // The same parameters as the Direct Transaction Feedback the engine's event sends.
            let parameters = TransactionFeedback.parameters(order: order, merchant: merchant)
            let title = switch outcome {
            case .approved: text.approved
            case .declined, .threeDSFailed: text.declined
            case .uncertain: text.uncertain
            }
            sessions.set(id, .finished(parameters: parameters, title: title))
            let code = order.status.code(for: order.command)
            return ReturnForm.page(parameters, returnURL: returnURL(request), title: title, text: text,
                                   detail: APSEndpoint.detail(unexplained: code))
        case .verificationRequired(let verification):
            sessions.set(id, .challenge(saveCard: saveCard))
            var response = HTML.response(VerificationPage.page(request.summary, base: Self.address(id), text: text, id: verification,
                                                               kind: .threeDSecure))
            // APS's "3-D Secure check requested", so a fault can aim at the challenge.
            response.headers.add(name: HostedPage.responseCodeHeader, value: "20064")
            return response
        case .refused(let error):
            let failure = switch error {
            case .duplicateReference:
                APSFailure(message: "066", detail: "merchant_reference \(request.terms.merchantReference) was used meanwhile; nothing was charged")
            case .fortIDTaken: APSFailure(message: "006", detail: "the reserved fort_id was taken; nothing was charged")
            }
            let sent = request.terms.requestFields.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: .string($0.value)) }
            // Kept signed, so a later submit shows the same refusal with its parameters again.
            let parameters = HostedCheckoutRefusal.signed(failure, echoing: sent, merchant: merchant)
            sessions.set(id, .finished(parameters: parameters, title: failure.code.responseMessage))
            return HostedCheckoutRefusal.page(failure, parameters: parameters, returnURL: returnURL(request), language: request.language)
        case .unknownVerification:
            sessions.set(id, .challenge(saveCard: saveCard))
            let body = request.summary.html(text: text) + "<div class=\"errors\" role=\"alert\">\(HTML.escape(text.verificationGone))</div>"
            return HTML.response(HostedPageFrame.document(title: text.verificationGone, text: text, body: body), status: 400,
                                 detail: "this verification is unknown or was already answered")
        }
    }

    /// A saved card's security code: 4 digits for American Express, 3 for the others.
    static func securityCodeProblem(_ code: String, brand: String) -> CardEntry.Problem.Kind? {
        if code.isEmpty { return .missing }
        let length = brand == CardBrand.amex.rawValue ? 4 : 3
        return code.count == length && code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) ? nil : .invalidSecurityCode
    }
}
