import PayLinkCore

/// The wallets on a hosted checkout session, as on a link's page: Visa Checkout pays at once;
/// STC Pay takes the mobile number, "sends" an OTP, and `answerOTP` settles it
/// (`settleWalletOTP`: the documented OTP pays unless the wallet is the declining test number).
extension Checkout {
    package func payWithWallet(_ payment: SessionPayment, details: PaymentDetails) -> SessionResult {
        CheckoutSessionLedger(checkout: self, payment: payment).approve(details)
    }

    /// STC Pay: the OTP step starts (nothing is charged until it is answered).
    package func startWalletOTP(_ payment: SessionPayment, details: PaymentDetails) -> SessionResult {
        let ledger = CheckoutSessionLedger(checkout: self, payment: payment)
        if let refusal = ledger.refusalBeforeChallenge() { return refusal }
        return .verificationRequired(id: verifications.add(.init(owner: ledger.owner, kind: .walletOTP, details: details)))
    }

    /// The answer to a session's STC Pay OTP, taken once.
    package func answerOTP(_ payment: SessionPayment, id: String, otp: String) -> SessionResult {
        let ledger = CheckoutSessionLedger(checkout: self, payment: payment)
        guard let pending = verifications.take(id: id, owner: ledger.owner, kind: .walletOTP) else { return .unknownVerification }
        return settleWalletOTP(pending.details, otp: otp, in: ledger)
    }
}
