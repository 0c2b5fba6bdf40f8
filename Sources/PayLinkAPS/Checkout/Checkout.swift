import PayLinkCore
import PayLinkJSON

/// The customer's side of a payment, shared by the hosted page and the control API's
/// `/links/{id}/pay`: what a test card or wallet does (README, test-card table), the
/// transaction it leaves, and the merchant's notification of it.
package struct Checkout: Sendable {
    package let context: APSContext
    package let verifications: PendingVerifications

    /// How an attempt ended.
    package enum Outcome: String, Sendable {
        case approved, declined, uncertain
        case threeDSFailed = "3ds_failed"
    }

    /// A transaction the attempt created, and the §2.4 parameters that report it (nil when the
    /// link's merchant is no longer configured).
    package struct Transaction: Sendable {
        package var view: LinkView
        package var order: Order
        package var outcome: Outcome
        package var feedback: JSONObject?
    }

    package enum Result: Sendable {
        case completed(Transaction)
        /// The customer must answer a 3-D Secure challenge (`20064`) or a wallet OTP first.
        case verificationRequired(id: String, kind: PendingVerifications.Kind)
        /// The link's state refuses payment (Paid 125, Expired 115, Closed 773, pending 784).
        case refused(LinkError)
        /// The verification id is unknown, already answered or of another link.
        case unknownVerification
    }

    /// A checked card. With `challengeAnswer`, a 3-D Secure card's challenge is answered in the
    /// same step (the control API's `3ds_code`); without it a challenge is left pending.
    package func payWithCard(linkID: String, card: CardEntry.Checked, challengeAnswer: String? = nil) -> Result {
        pay(TestCards.outcome(for: card.number), card.details, challengeAnswer: challengeAnswer, in: LinkLedger(checkout: self, linkID: linkID))
    }

    /// The answer to a pending 3-D Secure challenge: the documented code passes, any other
    /// fails with status 45 (`45030`, authentication failed).
    package func answerChallenge(linkID: String, id: String, code: String) -> Result {
        answerChallenge(id: id, code: code, in: LinkLedger(checkout: self, linkID: linkID))
    }

    /// A wallet without a one-time password step (Visa Checkout; STC Pay from the control API).
    package func payWithWallet(linkID: String, details: PaymentDetails) -> Result {
        approve(linkID, details)
    }

    /// STC Pay: the mobile number is taken and an OTP is "sent"; `answerOTP` completes it.
    package func startWalletOTP(linkID: String, details: PaymentDetails) -> Result {
        if let refusal = refusal(linkID) { return .refused(refusal) }
        return .verificationRequired(id: verifications.add(.init(owner: .link(linkID), kind: .walletOTP, details: details)), kind: .walletOTP)
    }

    /// The documented OTP pays; any other fails with 787 (failed to authenticate the user).
    package func answerOTP(linkID: String, id: String, otp: String) -> Result {
        guard let pending = verifications.take(id: id, owner: .link(linkID), kind: .walletOTP) else { return .unknownVerification }
        return settleOTP(linkID, pending.details, otp: otp)
    }

    package func settleOTP(_ linkID: String, _ details: PaymentDetails, otp: String) -> Result {
        settleWalletOTP(details, otp: otp, in: LinkLedger(checkout: self, linkID: linkID))
    }

    /// The documented OTP pays, unless the wallet is the declining test number (747); any
    /// other OTP fails with 787 (failed to authenticate the user).
    func settleWalletOTP<L: PaymentLedger>(_ details: PaymentDetails, otp: String, in ledger: L) -> L.Result {
        guard otp == TestCards.passingWalletOTP else {
            return ledger.decline(details, outcome: .declined) { APSResponseCode(status: $0.failureStatus, message: "787") }
        }
        if let message = StcPayTestNumbers.declineMessage(for: details.phoneNumber) {
            return ledger.decline(details, outcome: .declined) { APSResponseCode(status: $0.failureStatus, message: message) }
        }
        return ledger.approve(details)
    }

    /// Settles the uncertain payments that are due (their merchants hear of it through the
    /// engine's events); returns how many were settled. Background work calls it on every
    /// tick, the control API after moving the clock.
    @discardableResult
    package func resolveDueUncertainPayments() -> Int {
        context.engine.resolveDueUncertainPayments().count
    }

    // MARK: - What a test card does, wherever the payment is recorded

    /// What the card does (`TestCards`): approved, declined with its code, uncertain, or a
    /// 3-D Secure challenge, answered now (`challengeAnswer`) or left pending.
    func pay<L: PaymentLedger>(_ outcome: TestCards.Outcome, _ details: PaymentDetails, challengeAnswer: String?, in ledger: L) -> L.Result {
        switch outcome {
        case .approved:
            return ledger.approve(details)
        case .challenge:
            if let challengeAnswer { return settleChallenge(details, answer: challengeAnswer, in: ledger) }
            if let refusal = ledger.refusalBeforeChallenge() { return refusal }
            return ledger.challenge(id: verifications.add(.init(owner: ledger.owner, kind: .threeDSecure, details: details)))
        case .declined(let message):
            return ledger.decline(details, outcome: .declined) { APSResponseCode(status: $0.failureStatus, message: message) }
        case .uncertain(let approves):
            return ledger.uncertain(details, approves: approves)
        }
    }

    /// A pending challenge's answer, taken once.
    func answerChallenge<L: PaymentLedger>(id: String, code: String, in ledger: L) -> L.Result {
        guard let pending = verifications.take(id: id, owner: ledger.owner, kind: .threeDSecure) else { return ledger.unknownVerification }
        return settleChallenge(pending.details, answer: code, in: ledger)
    }

    private func settleChallenge<L: PaymentLedger>(_ details: PaymentDetails, answer: String, in ledger: L) -> L.Result {
        answer == TestCards.passingChallengeCode
            ? ledger.approve(details)
            : ledger.decline(details, outcome: .threeDSFailed) { _ in APSResponseCode(status: "45", message: "030") }
    }

    // MARK: - Outcomes of a link's payment

    func approve(_ linkID: String, _ details: PaymentDetails) -> Result {
        record(linkID, outcome: .approved) { engine throws(LinkError) in try engine.payment(id: linkID, details: details) }
    }

    func decline(_ linkID: String, _ details: PaymentDetails, outcome: Outcome, code: (TransactionCommand) -> APSResponseCode) -> Result {
        record(linkID, outcome: outcome) { engine throws(LinkError) in
            let command = engine.link(id: linkID)?.link.transactionCommand ?? .purchase
            return try engine.declinedPayment(id: linkID, details: details, code: code(command))
        }
    }

    func uncertain(_ linkID: String, _ details: PaymentDetails, approves: Bool) -> Result {
        record(linkID, outcome: .uncertain) { engine throws(LinkError) in
            // On the clock of the link's merchant, which settles it.
            let now = engine.link(id: linkID)?.now ?? engine.clock.now()
            let due = now.adding(seconds: TestCards.uncertainResolutionSeconds)
            return try engine.uncertainPayment(id: linkID, details: details, resolvesAt: due, approves: approves)
        }
    }

    /// Runs one engine transition (the merchant's notification follows from its event) and
    /// returns the feedback for the customer's browser.
    private func record(_ linkID: String, outcome: Outcome,
                        _ body: (LinkEngine) throws(LinkError) -> (link: LinkView, order: Order)) -> Result {
        let view: LinkView, order: Order
        do { (view, order) = try body(context.engine) } catch { return .refused(error) }
        let merchant = context.merchants[view.link.merchantIdentifier]
        let feedback = merchant.map { TransactionFeedback.parameters(link: view.link, order: order, merchant: $0) }
        return .completed(Transaction(view: view, order: order, outcome: outcome, feedback: feedback))
    }

    func refusal(_ linkID: String) -> LinkError? {
        guard let view = context.engine.link(id: linkID) else { return .notFound }
        do { try LinkStateMachine.requirePayable(view.link, at: view.now) } catch { return error }
        return nil
    }

    /// Why the link cannot be paid with `option` (`LinkPaymentOptions`: the option's rules, the
    /// merchant's `payment_options`, Tamara, Tabby's fields), as a request problem (status `00`);
    /// nil when it can, or when the link's merchant is no longer configured.
    package func optionRefusal(_ option: String, for link: PaymentLink) -> APSFailure? {
        guard let merchant = context.merchants[link.merchantIdentifier] else { return nil }
        do { try LinkPaymentOptions.check(option, terms: link.terms, merchant: merchant, rules: context.paymentOptionRules) } catch {
            return error
        }
        return nil
    }

    package init(context: APSContext, verifications: PendingVerifications) {
        self.context = context
        self.verifications = verifications
    }
}
