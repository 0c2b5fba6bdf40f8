import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
import PayLinkSupport

/// The simulated Tamara and Tabby checkouts, one flow for both (`BNPLProvider` says how they
/// differ). A hosted checkout request with `payment_option` TAMARA or TABBY, the customer
/// choosing one on the payment page, or a link's customer choosing Tabby, is sent (303) here:
///
/// - `GET  /FortAPI/bnpl/{provider}/{id}`: the current step, or the outcome once finished;
/// - `POST /FortAPI/bnpl/{provider}/{id}/signin`: the test credentials (`BNPLTestAccounts`);
/// - `POST /FortAPI/bnpl/{provider}/{id}/otp`: the one-time password;
/// - `POST /FortAPI/bnpl/{provider}/{id}/decision`: `action` approve or decline (once the
///   schedule is shown) or cancel (at any step).
///
/// The outcome is one order (a checkout's, or the link's attempt) whose feedback goes to the
/// merchant's feedback URLs by the engine's event, and the same parameters go to the return URL.
/// A session nobody finishes expires after `BNPLTestAccounts.sessionLifetimeSeconds` on the
/// merchant's clock: at the next request of its pages, or when background work runs `expireDue`.
package struct BNPLCheckout: Sendable {
    package let context: APSContext
    package let checkout: Checkout

    var sessions: BNPLSessions { checkout.verifications.bnplSessions }
    static let routePrefix = "bnpl/"

    package init(context: APSContext, checkout: Checkout) {
        self.context = context
        self.checkout = checkout
    }

    /// Routes of the providers' pages, relative to `/FortAPI/`.
    package func add(to router: inout Router) {
        let base = Self.routePrefix + "{provider}/{session}"
        router.get(base) { _, path in touch(path) { show($0, $1) } }
        router.post(base + "/signin") { request, path in touch(path) { signIn($0, $1, FormBody(request)) } }
        router.post(base + "/otp") { request, path in touch(path) { answerOTP($0, $1, FormBody(request)) } }
        router.post(base + "/decision") { request, path in touch(path) { decide($0, $1, FormBody(request)) } }
    }

    static func address(_ provider: BNPLProvider, _ id: String) -> String {
        "/FortAPI/" + routePrefix + provider.rawValue + "/" + id
    }

    // MARK: - Starting

    /// A checked hosted checkout request paying with `provider`; `pageSession` is the payment
    /// page's session when the customer chose the provider there.
    func start(_ provider: BNPLProvider, request: HostedCheckoutRequest, returnURL: String?, pageSession: String?) -> HTTPResponse {
        start(provider, origin: .checkout(request, pageSession: pageSession), merchant: request.merchant.identifier,
              summary: request.summary, language: request.language, returnURL: returnURL,
              phone: request.terms.requestFields["phone_number"], customerIP: request.customerIP)
    }

    /// A payment link's customer paying with `provider`.
    func start(_ provider: BNPLProvider, link: PaymentLink, returnURL: String?, customerIP: String) -> HTTPResponse {
        start(provider, origin: .link(id: link.id), merchant: link.merchantIdentifier, summary: PageSummary(link: link),
              language: link.language, returnURL: returnURL, phone: link.customerPhone, customerIP: customerIP)
    }

    private func start(_ provider: BNPLProvider, origin: BNPLSessions.Origin, merchant: String, summary: PageSummary,
                       language: String, returnURL: String?, phone: String?, customerIP: String?) -> HTTPResponse {
        let id = context.engine.drawTokenName()
        let now = context.engine.now(for: merchant)
        sessions.add(BNPLSessions.Session(
            provider: provider, origin: origin, merchantIdentifier: merchant, summary: summary, language: language == "ar" ? "ar" : "en",
            returnURL: returnURL, phoneNumber: phone, customerIP: customerIP, startedAt: now,
            expiresAt: now.adding(seconds: BNPLTestAccounts.sessionLifetimeSeconds), step: .signIn), id: id)
        let location = Self.address(provider, id)
        var response = HTML.response(HostedPageFrame.document(
            title: provider.displayName, text: PageText.forLanguage(language),
            body: "<p><a href=\"\(HTML.escape(location))\">\(HTML.escape(provider.displayName))</a></p>"), status: 303)
        response.headers.add(name: "Location", value: location)
        return response
    }

    // MARK: - The steps

    /// The session behind the path (expired first if its time is up), or the page's 404.
    private func touch(_ path: PathParameters, _ body: (String, BNPLSessions.Session) -> HTTPResponse) -> HTTPResponse {
        let id = path["session"]
        guard let session = sessions.session(id), session.provider.rawValue == path["provider"] else { return gone() }
        if context.engine.now(for: session.merchantIdentifier) >= session.expiresAt, case .conclusion(let done) = conclude(id, .expired) {
            return respond(done)
        }
        guard let current = sessions.session(id) else { return gone() }
        return body(id, current)
    }

    /// The session's current step; `detail` (with 409) when the customer posted another step.
    private func show(_ id: String, _ session: BNPLSessions.Session, outOfStep detail: String? = nil) -> HTTPResponse {
        let status = detail == nil ? 200 : 409
        switch session.step {
        case .signIn: return HTML.response(BNPLPages.signIn(id, session, values: nil, problem: nil), status: status, detail: detail)
        case .otp(_, let failures):
            return HTML.response(BNPLPages.otp(id, session, problem: failures > 0 ? failures : nil), status: status, detail: detail)
        case .decision:
            return HTML.response(BNPLPages.decision(id, session, now: context.engine.now(for: session.merchantIdentifier)),
                                 status: status, detail: detail)
        case .recording: return busy(session)
        case .finished(let parameters, let title): return returnPage(session, parameters, title: title, again: true)
        }
    }

    /// A step posted out of order (an OTP before signing in, a decision before the schedule, a
    /// second sign-in): nothing is recorded, and the current step is shown again, saying which.
    private func outOfStep(_ id: String, _ session: BNPLSessions.Session, posted: String) -> HTTPResponse {
        let current = switch session.step {
        case .signIn: "signing in"
        case .otp: "the one-time password"
        case .decision: "the schedule (approve, decline or cancel)"
        case .recording, .finished: "its end"
        }
        return show(id, session, outOfStep: "\(posted) is not this checkout's step now: it is at \(current), shown again; nothing was recorded")
    }

    private func signIn(_ id: String, _ session: BNPLSessions.Session, _ form: FormBody) -> HTTPResponse {
        guard case .signIn = session.step else { return outOfStep(id, session, posted: "signing in") }
        let phone = form.nonEmpty("phone_number")
        let email = form.nonEmpty("email") ?? ""
        let problem: BNPLPages.SignInProblem?
        let account = session.provider.account(email: email, password: form["password"])
        if phone == nil || !(phone.map(Self.isPhoneNumber) ?? false) {
            problem = .phone
        } else if account == nil {
            problem = .credentials
        } else {
            problem = nil
        }
        guard problem == nil, let account else {
            return HTML.response(BNPLPages.signIn(id, session, values: form, problem: problem), status: 422,
                                 detail: "not the simulated \(session.provider.displayName) checkout's test credentials (docs/aps-bnpl.md)")
        }
        guard sessions.advance(id, to: .otp(account, failures: 0)), let moved = sessions.session(id) else { return showCurrent(id) }
        return show(id, moved)
    }

    private func answerOTP(_ id: String, _ session: BNPLSessions.Session, _ form: FormBody) -> HTTPResponse {
        guard case .otp(let account, let failures) = session.step else { return outOfStep(id, session, posted: "a one-time password") }
        if form["otp"] == session.provider.passingOTP {
            if account == .rejectedAfterOTP { return respond(id, conclude(id, .declined)) }
            guard sessions.advance(id, to: .decision), let moved = sessions.session(id) else { return showCurrent(id) }
            return show(id, moved)
        }
        if failures + 1 >= BNPLTestAccounts.otpAttempts { return respond(id, conclude(id, .authenticationFailed)) }
        guard sessions.advance(id, to: .otp(account, failures: failures + 1)) else { return showCurrent(id) }
        return HTML.response(BNPLPages.otp(id, session, problem: failures + 1), status: 422,
                             detail: "wrong one-time password (the simulated \(session.provider.displayName) checkout's is \(session.provider.passingOTP))")
    }

    private func decide(_ id: String, _ session: BNPLSessions.Session, _ form: FormBody) -> HTTPResponse {
        switch (form["action"], session.step) {
        case ("cancel", .signIn), ("cancel", .otp), ("cancel", .decision): return respond(id, conclude(id, .cancelled))
        case ("approve", .decision): return respond(id, conclude(id, .approved))
        case ("decline", .decision): return respond(id, conclude(id, .declined))
        case ("approve", _), ("decline", _), ("cancel", _):
            return outOfStep(id, session, posted: "\(form["action"]) before the schedule")
        default:
            return HTML.response(BNPLPages.document(session, body: "<p class=\"errors\" role=\"alert\">action must be approve, decline or cancel</p>"),
                                 status: 400, detail: "action must be approve, decline or cancel")
        }
    }

    private func showCurrent(_ id: String) -> HTTPResponse {
        sessions.session(id).map { show(id, $0) } ?? gone()
    }

    // MARK: - Pages that end a flow

    func respond(_ id: String, _ conclusion: Conclusion) -> HTTPResponse {
        switch conclusion {
        case .conclusion(let done): respond(done)
        case .notClaimed: showCurrent(id)
        }
    }

    private func respond(_ done: Concluded) -> HTTPResponse {
        switch done.result {
        case .returned(let parameters, let title): return returnPage(done.session, parameters, title: title, again: false)
        case .linkRefused(let error, let link):
            let text = PageText.forLanguage(done.session.language)
            guard let link else { return gone() }
            return HTML.response(LinkStatePage.page(link, refusal: error, text: text), status: 409, detail: error.explanation)
        }
    }

    private func returnPage(_ session: BNPLSessions.Session, _ parameters: JSONObject, title: String, again: Bool) -> HTTPResponse {
        let code = parameters["response_code"]?.stringValue.flatMap(APSResponseCode.init)
        let detail = again ? "this \(session.provider.displayName) checkout has ended already; its outcome is shown again"
                           : code.flatMap(APSEndpoint.detail(unexplained:))
        return ReturnForm.page(parameters, returnURL: session.returnURL, title: title, text: PageText.forLanguage(session.language),
                               detail: detail)
    }

    private func busy(_ session: BNPLSessions.Session) -> HTTPResponse {
        let text = BNPLText.forLanguage(session.language)
        return HTML.response(BNPLPages.document(session, body: "<div class=\"errors\" role=\"alert\">\(HTML.escape(text.busy))</div>"),
                             status: 409, detail: "this checkout's outcome is being recorded")
    }

    func gone() -> HTTPResponse {
        let text = PageText.english
        let words = BNPLText.english
        let body = "<div class=\"errors\" role=\"alert\">\(HTML.escape(words.gone))</div>"
        return HTML.response(HostedPageFrame.document(title: words.gone, text: text, body: body), status: 404,
                             detail: "no simulated provider checkout has this id (unknown, forgotten past the sessions kept, or lost in a restart)")
    }

    /// Digits and the field table's `+ - ( )` and space, at most 19 (`phone_number`).
    static func isPhoneNumber(_ value: String) -> Bool {
        value.count <= 19 && value.contains(where: \.isNumber)
            && value.allSatisfy { ("0"..."9").contains($0) || "+-() ".contains($0) }
    }
}
