import PayLinkCore
import PayLinkSupport

/// The simulated issuer's 3-D Secure challenge and the STC Pay one-time-password step: a code
/// field posting back to the sandbox with the verification's id. The page says which code
/// passes, since it is a test page.
enum VerificationPage {
    static func page(_ link: PaymentLink, text: PageText, id: String, kind: PendingVerifications.Kind, problem: String? = nil) -> String {
        page(PageSummary(link: link), base: "/pay/" + link.token, text: text, id: id, kind: kind, problem: problem)
    }

    /// `base` is the page's address; the answer posts to `base/3ds` or `base/otp`.
    static func page(_ summary: PageSummary, base: String, text: PageText, id: String, kind: PendingVerifications.Kind,
                     problem: String? = nil) -> String {
        let (title, intro, label, field, action, passing) = kind == .threeDSecure
            ? (text.challengeTitle, text.challengeIntro, text.challengeCode, "code", "3ds", TestCards.passingChallengeCode)
            : (text.otpTitle, text.otpIntro, text.otpCode, "otp", "otp", TestCards.passingWalletOTP)
        var body = summary.html(text: text)
        body += "<h2>\(HTML.escape(title))</h2><p>\(HTML.escape(intro))</p>"
        if let problem { body += "<div class=\"errors\" role=\"alert\">\(HTML.escape(problem))</div>" }
        body += """
        <form method="post" action="\(HTML.escape(base))/\(action)">
        <input type="hidden" name="verification_id" value="\(HTML.escape(id))">
        <label class="field" for="\(field)">\(HTML.escape(label))</label>
        <input type="text" id="\(field)" name="\(field)" inputmode="numeric" autocomplete="one-time-code" maxlength="8" autofocus>
        <p class="hint">\(HTML.escape(text.codeHint(passing)))</p>
        <p></p><button type="submit">\(HTML.escape(text.continueButton))</button>
        </form>
        """
        return HostedPageFrame.document(title: title, text: text, body: body)
    }
}
