import PayLinkCore

extension Checkout {
    /// A hosted checkout session's payment: what it charges and whether the customer asked to
    /// save the card.
    package struct SessionPayment: Sendable {
        package var sessionID: String
        package var terms: CheckoutTerms
        /// `remember_me` ticked: an approved payment saves the card as a token.
        package var saveCard: Bool

        package init(sessionID: String, terms: CheckoutTerms, saveCard: Bool) {
            self.sessionID = sessionID
            self.terms = terms
            self.saveCard = saveCard
        }
    }

    /// How a session's attempt ended.
    package enum SessionResult: Sendable {
        /// The order made, and the token saved for it (`remember_me`).
        case completed(order: Order, outcome: Outcome, token: CardToken?)
        case verificationRequired(id: String)
        /// The merchant reference was used meanwhile: nothing charged.
        case refused(CheckoutError)
        case unknownVerification
    }

    /// A card (or a saved card's details) paying a checkout session; `outcome` is what its test card does.
    package func pay(_ payment: SessionPayment, outcome: TestCards.Outcome, details: PaymentDetails) -> SessionResult {
        pay(outcome, details, challengeAnswer: nil, in: CheckoutSessionLedger(checkout: self, payment: payment))
    }

    /// The answer to a session's pending 3-D Secure challenge (`1234` passes, else `45030`).
    package func answerChallenge(_ payment: SessionPayment, id: String, code: String) -> SessionResult {
        answerChallenge(id: id, code: code, in: CheckoutSessionLedger(checkout: self, payment: payment))
    }
}

/// A checkout session's attempts: each makes one order without a link (`engine.checkoutPayment`),
/// whose feedback the engine's event sends.
struct CheckoutSessionLedger: PaymentLedger {
    let checkout: Checkout
    let payment: Checkout.SessionPayment

    private var engine: LinkEngine { checkout.context.engine }
    var owner: PendingVerifications.Owner { .checkoutSession(payment.sessionID) }

    func approve(_ details: PaymentDetails) -> Checkout.SessionResult {
        guard payment.saveCard else { return record(details, .approved, outcome: .approved) }
        // The token's name is in the request fields before the order exists, so every
        // feedback of the order (Direct, the browser's, CHECK_STATUS) carries it.
        let name = engine.drawTokenName()
        var terms = payment.terms
        terms.requestFields["token_name"] = name
        terms.requestFields["remember_me"] = "YES"
        let merchant = terms.merchantIdentifier
        let token = CardToken(name: name, merchantIdentifier: merchant, maskedCardNumber: details.maskedCardNumber ?? "",
                              brand: details.paymentOption ?? "", expiryDate: details.expiryDate ?? "",
                              cardHolderName: details.cardHolderName, createdAt: engine.now(for: merchant))
        let result = record(details, .approved, outcome: .approved, terms: terms)
        guard case .completed(let order, let outcome, _) = result else { return result }
        // Drawn names are 32 random hex digits: taken only if a merchant chose the same name.
        do { try checkout.context.tokens.add(token) } catch { return .completed(order: order, outcome: outcome, token: nil) }
        return .completed(order: order, outcome: outcome, token: token)
    }

    func decline(_ details: PaymentDetails, outcome: Checkout.Outcome, code: (TransactionCommand) -> APSResponseCode) -> Checkout.SessionResult {
        record(details, .declined(code(payment.terms.command)), outcome: outcome)
    }

    func uncertain(_ details: PaymentDetails, approves: Bool) -> Checkout.SessionResult {
        // On the clock of the merchant, which settles it. An uncertain payment saves no card.
        let due = engine.now(for: payment.terms.merchantIdentifier).adding(seconds: TestCards.uncertainResolutionSeconds)
        return record(details, .uncertain(resolvesAt: due, approves: approves), outcome: .uncertain)
    }

    func refusalBeforeChallenge() -> Checkout.SessionResult? {
        engine.hasReference(merchant: payment.terms.merchantIdentifier, reference: payment.terms.merchantReference)
            ? .refused(.duplicateReference) : nil
    }

    func challenge(id: String) -> Checkout.SessionResult { .verificationRequired(id: id) }
    var unknownVerification: Checkout.SessionResult { .unknownVerification }

    private func record(_ details: PaymentDetails, _ status: OrderStatus, outcome: Checkout.Outcome,
                        terms: CheckoutTerms? = nil) -> Checkout.SessionResult {
        do {
            let order = try engine.checkoutPayment(terms ?? payment.terms, details: details, status: status)
            return .completed(order: order, outcome: outcome, token: nil)
        } catch {
            return .refused(error)
        }
    }
}
