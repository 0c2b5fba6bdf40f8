import PayLinkCore
import PayLinkHTTP
import PayLinkSupport

/// The `3ds_url` of a server-to-server payment on hold (`20064`): the simulated issuer's
/// challenge, under `/FortAPI/threeDSecure/{fort_id}`.
/// - `GET`: the challenge (the merchant redirects the customer's browser here);
/// - `POST` (field `code`): `1234` passes and the payment is approved, any other code fails it
///   (`45030`), as on the hosted page. Either way the order is made with the announced
///   `fort_id`, its Direct Transaction Feedback goes out, and the browser is sent to the
///   request's `return_url` with the signed transaction parameters.
package struct ThreeDSecureChallengePage: Sendable {
    package static let path = "threeDSecure"
    package let context: APSContext

    /// Adds the challenge's routes, relative to `/FortAPI/`.
    package func add(to router: inout Router) {
        router.get(Self.path + "/{fort_id}") { _, path in show(path["fort_id"]) }
        router.post(Self.path + "/{fort_id}") { request, path in answer(path["fort_id"], FormBody(request)) }
    }

    static func url(base: String, fortID: String) -> String { base + "/FortAPI/" + path + "/" + fortID }

    private func show(_ fortID: String) -> HTTPResponse {
        guard let pending = context.challenges.peek(fortID: fortID) else { return gone(fortID) }
        let text = PageText.forLanguage(pending.language)
        var response = HTML.response(HostedPageFrame.document(title: text.challengeTitle, text: text, body: form(pending, text: text)))
        response.headers.add(name: HostedPage.responseCodeHeader, value: ServerToServerCodes.threeDSecureRequested.code)
        return response
    }

    private func answer(_ fortID: String, _ form: FormBody) -> HTTPResponse {
        guard let pending = context.challenges.take(fortID: fortID) else { return gone(fortID) }
        let text = PageText.forLanguage(pending.language)
        guard let merchant = context.merchants[pending.terms.merchantIdentifier] else {
            return HTML.response(HostedPageFrame.document(title: text.verificationGone, text: text, body: "<p>\(HTML.escape(text.verificationGone))</p>"),
                                 status: 409, detail: "merchant \(pending.terms.merchantIdentifier) is no longer configured")
        }
        let passed = form["code"] == TestCards.passingChallengeCode
        let status: OrderStatus = passed ? .approved : .declined(ServerToServerCodes.threeDSecureFailed)
        let order: Order
        var terms = pending.terms
        do {
            // A card to remember is saved once the customer passed (a name taken meanwhile: 114, nothing charged).
            if passed, let token = pending.cardToSave { terms.requestFields["token_name"] = try ServerToServerPayment.save(token, context: context) }
            order = try ServerToServerPayment.record(terms, details: pending.details, status: status, fortID: pending.fortID, context: context)
        } catch {
            return HTML.response(HostedPageFrame.document(title: text.verificationGone, text: text,
                                                          body: "<p class=\"errors\" role=\"alert\">\(HTML.escape(error.detail))</p>"),
                                 status: 409, detail: error.detail)
        }
        let parameters = TransactionFeedback.parameters(order: order, merchant: merchant)
        let code = order.status.code(for: order.command)
        return ReturnForm.page(parameters, returnURL: pending.returnURL, title: passed ? text.approved : text.declined, text: text,
                               detail: APSEndpoint.detail(unexplained: code))
    }

    private func form(_ pending: ThreeDSecureChallenges.Pending, text: PageText) -> String {
        let terms = pending.terms
        let amount = Currency(code: terms.currency).map { $0.format(minorUnits: terms.amount) } ?? String(terms.amount)
        return """
        <h1>\(HTML.escape(text.challengeTitle))</h1>
        <p class="amount" data-testid="amount">\(HTML.escape(amount)) \(HTML.escape(terms.currency))</p>
        <dl class="summary"><dt>\(HTML.escape(text.merchant))</dt><dd><bdi>\(HTML.escape(terms.merchantIdentifier))</bdi></dd>\
        <dt>\(HTML.escape(text.reference))</dt><dd><bdi>\(HTML.escape(terms.merchantReference))</bdi></dd>\
        <dt>\(HTML.escape(text.cardNumber))</dt><dd><bdi dir="ltr">\(HTML.escape(pending.details.maskedCardNumber ?? ""))</bdi></dd></dl>
        <p>\(HTML.escape(text.challengeIntro))</p>
        <form method="post" action="/FortAPI/\(Self.path)/\(HTML.escape(pending.fortID))">
        <label class="field" for="code">\(HTML.escape(text.challengeCode))</label>
        <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="8" autofocus>
        <p class="hint">\(HTML.escape(text.codeHint(TestCards.passingChallengeCode)))</p>
        <p></p><button type="submit">\(HTML.escape(text.continueButton))</button>
        </form>
        """
    }

    /// Answered already, forgotten (a restart, or too many waiting), or never announced.
    private func gone(_ fortID: String) -> HTTPResponse {
        let text = PageText.english
        return HTML.response(HostedPageFrame.document(title: text.verificationGone, text: text,
                                                      body: "<p class=\"errors\" role=\"alert\">\(HTML.escape(text.verificationGone))</p>"),
                             status: 404, detail: "no 3-D Secure challenge is waiting for fort_id \(fortID): answered already, forgotten on a restart, or never announced")
    }

    package init(context: APSContext) { self.context = context }
}
