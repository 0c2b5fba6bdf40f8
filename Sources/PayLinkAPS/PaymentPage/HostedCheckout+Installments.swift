import PayLinkCore
import PayLinkHTTP
import PayLinkSupport

/// Installments on the hosted checkout (`installments` on the request). Once the card is
/// taken, an eligible one (`InstallmentEligibility`: an issuer of the merchant's catalogue
/// covers its BIN and a plan in the currency takes the amount) goes to a second page listing
/// the plans; the chosen plan's `number_of_installments`, `plan_code` and `issuer_code` join the
/// order's request fields, so the return form, the feedback and CHECK_STATUS carry them. The
/// amount charged is the order's: the plan's fees are shown, not charged.
extension HostedCheckout {
    /// The card taken on the first step, waiting for the plan: its masked details and test-card
    /// outcome (never its number), the "save this card" choice, and the plans offered.
    struct PlanStep: Sendable {
        var details: PaymentDetails
        var outcome: TestCards.Outcome
        var saveCard: Bool
        var options: [InstallmentOption]
    }

    /// For an installments request, what the page does with the taken card before paying: the
    /// plan page (eligible card), the card form again with the reason (STANDALONE, ineligible
    /// card: nothing charged, another card may be tried), or nil: pay in full now.
    func installmentStep(_ id: String, _ request: HostedCheckoutRequest, form: FormBody, cardNumber: String,
                         details: PaymentDetails, outcome: TestCards.Outcome, saveCard: Bool) -> HTTPResponse? {
        guard let mode = request.installments else { return nil }
        let eligibility = InstallmentEligibility.check(context.installments, merchant: request.merchant.identifier, cardNumber: cardNumber,
                                                       amount: request.terms.amount, currency: request.terms.currency)
        guard case .eligible(let options) = eligibility else {
            guard mode.requiresPlan, let code = eligibility.messageCode else { return nil }
            var problems = PaymentForm.Problems()
            problems.fields["card_number"] = .installments(code)
            return formPage(id, request, values: form, problems: problems)
        }
        let step = PlanStep(details: details, outcome: outcome, saveCard: saveCard, options: options)
        guard sessions.claim(id, from: { if case .open = $0 { true } else { false } }) != nil else {
            return sessions.session(id).map(notOpen) ?? gone()
        }
        sessions.set(id, .choosingPlan(step))
        return planPage(id, request, step, chosen: nil, problem: false)
    }

    /// The plan page's submit: a plan of the step (or FULL when allowed) pays; anything else
    /// shows the plans again (422).
    func choosePlan(_ id: String, _ form: FormBody) -> HTTPResponse {
        guard let session = sessions.session(id) else { return gone() }
        guard case .choosingPlan(let step) = session.phase else {
            if case .open = session.phase { return formPage(id, session.request, values: nil, problems: PaymentForm.Problems()) }
            return notOpen(session)
        }
        var request = session.request
        let choice = form["installment_plan"]
        if let option = step.options.first(where: { $0.choice == choice }) {
            request.terms.requestFields.merge(option.requestFields) { _, chosen in chosen }
        } else if choice != InstallmentText.payInFullChoice || request.installments?.requiresPlan != false {
            return planPage(id, request, step, chosen: nil, problem: true)
        }
        guard sessions.claim(id, from: { if case .choosingPlan = $0 { true } else { false } }) != nil else {
            return sessions.session(id).map(notOpen) ?? gone()
        }
        sessions.set(id, request: request)
        let payment = Checkout.SessionPayment(sessionID: id, terms: request.terms, saveCard: step.saveCard)
        return respond(checkout.pay(payment, outcome: step.outcome, details: step.details), id: id, request: request,
                       saveCard: step.saveCard)
    }

    func planPage(_ id: String, _ request: HostedCheckoutRequest, _ step: PlanStep, chosen: String?, problem: Bool) -> HTTPResponse {
        let html = InstallmentPlanPage.page(request.summary, action: Self.address(id) + "/plan", maskedCard: step.details.maskedCardNumber,
                                            options: step.options, allowsFull: request.installments?.requiresPlan == false,
                                            text: PageText.forLanguage(request.language), chosen: chosen, problem: problem)
        return problem
            ? HTML.response(html, status: 422, detail: "installment_plan: choose one of the plans shown; nothing was charged")
            : HTML.response(html)
    }
}
