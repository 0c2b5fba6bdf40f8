import PayLinkCore
import PayLinkHTTP
import PayLinkSupport

/// STC Pay and Visa Checkout on the hosted checkout's page, as on a link's page: offered when
/// the request names no card scheme (or names the wallet), has no saved card and asks for no
/// installments, and the option rules allow them (STC Pay is SAR only). Visa Checkout pays at
/// once; STC Pay asks for the mobile number, then the OTP at `paymentPage/checkout/{id}/otp`.
/// The feedback carries `digital_wallet` (`PaymentDetails.wallet`).
extension HostedCheckout {
    static let walletOptions: Set<String> = ["STCPAY", "VISA_CHECKOUT"]

    /// The wallets the form may offer, of those the option rules left in `allowed`.
    func wallets(_ request: HostedCheckoutRequest, allowed: [String]) -> [String] {
        guard request.token == nil, request.installments == nil else { return [] }
        return allowed.filter(Self.walletOptions.contains)
    }

    /// The form's wallet choice: Visa Checkout pays, STC Pay starts its OTP step.
    func payWithWallet(_ id: String, _ request: HostedCheckoutRequest, option: String, form: FormBody,
                       problems: PaymentForm.Problems) -> HTTPResponse {
        var problems = problems
        let phone = form["phone_number"]
        if option == "STCPAY", !SaudiMobileNumber.isValid(phone) { problems.fields["phone_number"] = .invalidMobile }
        guard problems.isEmpty else { return formPage(id, request, values: form, problems: problems) }
        // One submit pays: a second one (double click, back button) finds the session taken.
        guard sessions.claim(id, from: { if case .open = $0 { true } else { false } }) != nil else {
            return sessions.session(id).map(notOpen) ?? gone()
        }
        let details = PaymentDetails.wallet(option, phoneNumber: option == "STCPAY" ? phone : nil, customerIP: request.customerIP)
        let payment = Checkout.SessionPayment(sessionID: id, terms: request.terms, saveCard: false)
        guard option == "STCPAY" else { return respond(checkout.payWithWallet(payment, details: details), id: id, request: request, saveCard: false) }
        let result = checkout.startWalletOTP(payment, details: details)
        guard case .verificationRequired(let verification) = result else { return respond(result, id: id, request: request, saveCard: false) }
        // Under way, as while a 3-D Secure challenge waits: nothing is charged until the OTP comes.
        sessions.set(id, .challenge(saveCard: false))
        return HTML.response(VerificationPage.page(request.summary, base: Self.address(id), text: PageText.forLanguage(request.language),
                                                   id: verification, kind: .walletOTP))
    }

    /// `POST paymentPage/checkout/{id}/otp`: the STC Pay OTP's answer.
    func answerWalletOTP(_ id: String, _ form: FormBody) -> HTTPResponse {
        guard let session = sessions.session(id) else { return gone() }
        guard case .challenge = session.phase,
              sessions.claim(id, from: { if case .challenge = $0 { true } else { false } }) != nil else { return notOpen(session) }
        let payment = Checkout.SessionPayment(sessionID: id, terms: session.request.terms, saveCard: false)
        return respond(checkout.answerOTP(payment, id: form["verification_id"], otp: form["otp"]), id: id, request: session.request, saveCard: false)
    }
}
