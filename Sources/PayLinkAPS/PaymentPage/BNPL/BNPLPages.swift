import PayLinkCore
import PayLinkSupport

/// The simulated provider checkout's pages: sign in, one-time password, schedule and decision.
/// Each is marked as the sandbox's simulation, shows what is paid and when the session
/// expires, lists the test credentials, and has a cancel button.
enum BNPLPages {
    enum SignInProblem: Equatable {
        case phone, credentials
    }

    static func signIn(_ id: String, _ session: BNPLSessions.Session, values: FormBody?, problem: SignInProblem?) -> String {
        let words = BNPLText.forLanguage(session.language)
        let provider = session.provider
        var body = "<h2>\(HTML.escape(BNPLText.fill(words.signInTitle, provider.displayName)))</h2>"
        if let problem {
            body += "<div class=\"errors\" role=\"alert\">\(HTML.escape(problem == .phone ? words.phoneMissing : words.wrongCredentials))</div>"
        }
        body += "<form method=\"post\" action=\"\(HTML.escape(BNPLCheckout.address(provider, id)))/signin\" novalidate>"
        if provider.signsInWithEmail {
            body += field("email", words.email, type: "email", value: values?["email"] ?? "", extra: "autocomplete=\"email\" dir=\"ltr\"")
        }
        body += field("phone_number", words.phoneNumber, type: "tel", value: values?["phone_number"] ?? session.phoneNumber ?? "",
                      extra: "inputmode=\"tel\" autocomplete=\"tel\" maxlength=\"19\" dir=\"ltr\"")
        if !provider.signsInWithEmail {
            body += field("password", words.password, type: "password", value: "", extra: "autocomplete=\"current-password\"")
        }
        body += "<button type=\"submit\">\(HTML.escape(words.signIn))</button></form>"
        body += credentials(provider, words)
        return document(session, body: body, cancelFrom: id)
    }

    /// `problem`: how many wrong codes so far (the attempts left are shown).
    static func otp(_ id: String, _ session: BNPLSessions.Session, problem: Int?) -> String {
        let words = BNPLText.forLanguage(session.language)
        var body = "<h2>\(HTML.escape(words.otpTitle))</h2><p>\(HTML.escape(words.otpIntro))</p>"
        if let problem {
            let left = String(BNPLTestAccounts.otpAttempts - problem)
            body += "<div class=\"errors\" role=\"alert\">\(HTML.escape(BNPLText.fill(words.wrongOTP, left)))</div>"
        }
        body += "<form method=\"post\" action=\"\(HTML.escape(BNPLCheckout.address(session.provider, id)))/otp\" novalidate>"
        body += field("otp", words.otpCode, type: "text", value: "", extra: "inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"6\"")
        body += "<button type=\"submit\">\(HTML.escape(words.verify))</button></form>"
        body += credentials(session.provider, words)
        return document(session, body: body, cancelFrom: id)
    }

    static func decision(_ id: String, _ session: BNPLSessions.Session, now: SandboxInstant) -> String {
        let words = BNPLText.forLanguage(session.language)
        let provider = session.provider
        let schedule = BNPLSchedule(amount: session.summary.amount, count: provider.installmentCount, from: now)
        let currency = Currency(code: session.summary.currency)
        var body = "<h2>\(HTML.escape(words.scheduleTitle))</h2>"
        body += "<p>\(HTML.escape(BNPLText.fill(words.scheduleIntro, String(provider.installmentCount))))</p>"
        body += "<table class=\"params\" data-testid=\"schedule\"><tr><th>\(HTML.escape(words.payment))</th><th>\(HTML.escape(words.due))</th><th>\(HTML.escape(words.amount))</th></tr>"
        for (index, payment) in schedule.payments.enumerated() {
            let amount = (currency.map { $0.format(minorUnits: payment.amount) } ?? String(payment.amount)) + " " + session.summary.currency
            // The date stays left to right in its own isolate; "today" follows it in the page's language.
            let due = "<bdi class=\"code\" dir=\"ltr\">\(HTML.escape(BNPLSchedule.day(payment.due)))</bdi>"
                + (index == 0 ? " (\(HTML.escape(words.today)))" : "")
            body += "<tr><td>\(index + 1)</td><td>\(due)</td><td><bdi class=\"code\" dir=\"ltr\">\(HTML.escape(amount))</bdi></td></tr>"
        }
        body += "</table>"
        body += "<form method=\"post\" action=\"\(HTML.escape(BNPLCheckout.address(provider, id)))/decision\" class=\"decision\">"
        body += "<button type=\"submit\" name=\"action\" value=\"approve\">\(HTML.escape(words.approve))</button>"
        body += "<button type=\"submit\" name=\"action\" value=\"decline\" class=\"secondary\">\(HTML.escape(words.decline))</button>"
        body += "</form>"
        return document(session, body: body, cancelFrom: id)
    }

    /// The frame: the simulation's banner, what is paid, the page's body, when the session
    /// expires, and (while it may) the cancel button.
    static func document(_ session: BNPLSessions.Session, body: String, cancelFrom id: String? = nil) -> String {
        let text = PageText.forLanguage(session.language)
        let words = BNPLText.forLanguage(session.language)
        let name = session.provider.displayName
        let banner = BNPLText.fill(words.banner, name)
        var html = "<p class=\"status uncertain\" data-testid=\"provider-banner\">\(HTML.escape(banner))</p>"
        html += session.summary.html(text: text) + body
        html += "<p class=\"hint\">\(HTML.escape(words.expiresAt)) <bdi dir=\"ltr\">\(HTML.escape(LinkSummary.humanTime(session.expiresAt)))</bdi></p>"
        if let id {
            html += "<form method=\"post\" action=\"\(HTML.escape(BNPLCheckout.address(session.provider, id)))/decision\">"
            html += "<button type=\"submit\" name=\"action\" value=\"cancel\" class=\"secondary\">\(HTML.escape(words.cancel))</button></form>"
        }
        return HostedPageFrame.document(title: name + " · " + session.summary.merchantIdentifier, text: text,
                                        body: "<style>\(style)</style>" + html)
    }

    private static let style = "input[type=email]{width:100%;padding:.55rem .65rem;border:1px solid #b9c3cf;border-radius:6px;font:inherit}"
        + ".decision{display:flex;flex-direction:column;gap:.5rem;margin:1rem 0}"
        + "button.secondary{background:#fff;color:#232f3e;border:1px solid #232f3e;margin-top:.5rem}"
        + "button.secondary:hover{background:#eef1f5}table.params th{text-align:start;font-weight:600;padding:.2rem .3rem}"
        // The submit button is not to touch the field above it; a left-to-right field (phone,
        // e-mail) still lines up with the right-to-left page's other fields.
        + "input+button{margin-top:1rem}[dir=rtl] input[dir=ltr]{text-align:right}"
        + ".credentials{margin:.3rem 0;padding-inline-start:1.2rem}"

    /// The test credentials, labelled in the page's language; the values (codes, e-mails,
    /// numbers) stay left to right.
    private static func credentials(_ provider: BNPLProvider, _ words: BNPLText) -> String {
        let lines: [(label: String, value: String?)] = switch provider {
        case .tamara:
            [(words.phoneNumber, nil), (words.password, BNPLTestAccounts.tamaraPassword), (words.otpCode, BNPLTestAccounts.tamaraOTP)]
        case .tabby:
            [(words.approvedBy, BNPLTestAccounts.tabbySuccessEmail), (words.rejectedBy, BNPLTestAccounts.tabbyRejectedEmail),
             (words.phoneNumber, "+966500000001 / +971500000001"), (words.otpCode, BNPLTestAccounts.tabbyOTP)]
        }
        let items = lines.map { line in
            let value = line.value.map { "<bdi class=\"code\" dir=\"ltr\">\(HTML.escape($0))</bdi>" } ?? HTML.escape(words.anyPhone)
            return "<li>\(HTML.escape(line.label)): \(value)</li>"
        }.joined()
        return "<div class=\"hint\" data-testid=\"test-credentials\"><p>\(HTML.escape(words.testCredentials))</p><ul class=\"credentials\">\(items)</ul></div>"
    }

    private static func field(_ name: String, _ label: String, type: String, value: String, extra: String) -> String {
        "<label class=\"field\" for=\"\(name)\">\(HTML.escape(label))</label>"
            + "<input type=\"\(type)\" id=\"\(name)\" name=\"\(name)\" value=\"\(HTML.escape(value))\" \(extra)>"
    }
}
