import PayLinkSupport
import PayLinkCore
import PayLinkJSON

/// A customer's browser with JavaScript off, for `payment_page` steps, the `customer` `3ds`
/// action and a `customer` `pay` through Tabby: it posts the merchant's form to
/// `/FortAPI/paymentPage` (or opens the link's page), then answers each page the sandbox shows as
/// a customer would (the card form, the installment plans, the 3-D Secure challenge, the
/// simulated Tamara and Tabby checkouts: `ScenarioBrowser+BNPL`), and stops at the form that
/// posts the signed result to `return_url`. That form's fields become the step's response, so
/// `expect.fields`, `signature` and `${step.field}` work on them as on a JSON answer. A flow
/// that stops elsewhere (a card refused on the page with 422, a challenge without a `3ds_code`,
/// a wrong one-time password) answers with that page as it is.
struct ScenarioBrowser {
    let client: ScenarioClient
    let timeout: Int

    /// The customer's keys of a `payment_page` step.
    static let customerKeys = ["card_number", "expiry_date", "card_security_code", "card_holder_name", "payment_option",
                               "3ds_code", "remember_me", "installments_plan"] + bnplKeys
    /// Fields the Merchant Page's own card form posts unsigned (payfortdoc `merchantpageparameters.md`).
    static let merchantPageUnsigned: Set<String> = ["card_number", "expiry_date", "card_security_code", "card_holder_name", "remember_me"]

    /// Every page the browser saw, in order, and the step's outcome.
    struct Journey {
        var pages: [ScenarioClient.Outcome] = []
        var result: ScenarioClient.Outcome = .failed("no page")
    }

    /// The merchant's form for a `payment_page` step: credentials added unless `"credentials":
    /// false`, signed with the request phrase unless it has a `signature`. A TOKENIZATION form
    /// also carries the customer's card, left out of the signature.
    static func merchantForm(_ step: JSONObject, merchants: [Merchant]) -> [(String, String)] {
        var params = step["payment_page"]?.objectValue ?? [:]
        let identifier = step["merchant"]?.stringValue ?? params["merchant_identifier"]?.stringValue
        let merchant = merchants.first { $0.identifier == identifier } ?? merchants[0]
        if step["credentials"] != .bool(false) {
            if params["merchant_identifier"] == nil { params["merchant_identifier"] = .string(merchant.identifier) }
            if params["access_code"] == nil { params["access_code"] = .string(merchant.accessCode) }
        }
        let tokenization = params["service_command"]?.stringValue == "TOKENIZATION"
        if params["signature"] == nil {
            let signed = JSONObject(params.members.filter { !(tokenization && merchantPageUnsigned.contains($0.key)) })
            params["signature"] = .string(merchant.signer.sign(signed, phrase: merchant.requestPhrase))
        }
        var form = params.members.map { ($0.key, $0.value.stringValue ?? String(decoding: $0.value.serialized(), as: UTF8.self)) }
        if tokenization { form += card(step, savedCard: false).filter { key, _ in !form.contains { $0.0 == key } } }
        return form
    }

    /// The card fields the customer types: the step's, with a test card's usual expiry, code and
    /// holder filled in when a number is given (the code 4 digits for a 15-digit AMEX number).
    static func card(_ step: JSONObject, savedCard: Bool) -> [(String, String)] {
        var fields: [(String, String)] = []
        let number = step["card_number"]?.stringValue
        if let option = step["payment_option"]?.stringValue { fields.append(("payment_option", option)) }
        if let number, !savedCard { fields.append(("card_number", number)) }
        if number != nil, !savedCard { fields.append(("expiry_date", step["expiry_date"]?.stringValue ?? "3005")) }
        let code = step["card_security_code"]?.stringValue ?? (number?.count == 15 ? "1234" : "123")
        if number != nil || savedCard || step["card_security_code"] != nil { fields.append(("card_security_code", code)) }
        if let holder = step["card_holder_name"]?.stringValue ?? (number != nil && !savedCard ? "Test Customer" : nil) {
            fields.append(("card_holder_name", holder))
        }
        if let remember = step["remember_me"]?.stringValue { fields.append(("remember_me", remember)) }
        return fields
    }

    /// Posts the merchant's form and walks the pages that follow.
    func paymentPage(_ step: JSONObject, merchants: [Merchant]) -> Journey {
        walk(post("/FortAPI/paymentPage", Self.merchantForm(step, merchants: merchants)), customer: step)
    }

    /// A server-to-server payment's `3ds_url`: opens it and answers the challenge.
    func challenge(_ step: JSONObject) -> Journey {
        let url = step["url"]?.stringValue ?? "/"
        return walk(client.send(method: "GET", path: Self.path(of: url), headers: [], body: [], timeoutMilliseconds: timeout), customer: step)
    }

    /// The path of a URL the sandbox handed out under its public URL (the runner's sandbox
    /// listens elsewhere).
    static func path(of url: String) -> String {
        guard let scheme = url.firstRange(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        return rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
    }

    enum Page: Equatable { case card, plans, challenge, bnplRedirect, bnplSignIn, bnplOTP, bnplDecision, result, other }

    /// Answers pages until the result (or a page the customer cannot or should not answer).
    /// Each kind of page is answered once: a page shown again (a card refused with 422) ends it.
    func walk(_ first: ScenarioClient.Outcome, customer: JSONObject) -> Journey {
        var journey = Journey()
        var outcome = first
        var answered: [Page] = []
        while true {
            journey.pages.append(outcome)
            journey.result = outcome
            guard let response = outcome.response else { return journey }
            let html = String(decoding: response.body, as: UTF8.self)
            let page = Self.kind(of: html, response: response)
            if page == .result {
                let fields = Self.resultFields(html)
                var result = response
                result.body = JSONObject(fields.map { JSONObject.Member(key: $0.0, value: .string($0.1)) }).serialized()
                journey.result = .response(result)
                return journey
            }
            if page == .bnplRedirect, !answered.contains(page), let location = response.header("Location") {
                answered.append(page)
                outcome = client.send(method: "GET", path: Self.path(of: location), headers: [], body: [], timeoutMilliseconds: timeout)
                continue
            }
            guard page != .other, !answered.contains(page), let action = Self.formAction(html) else { return journey }
            answered.append(page)
            var fields = Self.inputs(html).filter { $0.type == "hidden" }.map { ($0.name, $0.value) }
            switch page {
            case .card:
                fields += Self.card(customer, savedCard: !html.contains("name=\"card_number\"")) + [("agree_terms", "yes")]
            case .plans:
                guard let plan = customer["installments_plan"]?.stringValue else { return journey }
                fields.append(("installment_plan", plan))
            case .challenge:
                guard let code = customer["3ds_code"]?.stringValue else { return journey }
                fields.append(("code", code))
            case .bnplSignIn, .bnplOTP, .bnplDecision:
                guard let answer = Self.bnplAnswer(page, html, action: action, customer: customer) else { return journey }
                fields += answer
            case .bnplRedirect, .result, .other: return journey
            }
            outcome = post(action, fields)
        }
    }

    private func post(_ path: String, _ fields: [(String, String)]) -> ScenarioClient.Outcome {
        let body = fields.map { ScenarioRequests.formEscape($0.0) + "=" + ScenarioRequests.formEscape($0.1) }.joined(separator: "&")
        return client.send(method: "POST", path: path, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                           body: Array(body.utf8), timeoutMilliseconds: timeout)
    }

    private static func kind(of html: String, response: HTTPClient.Response) -> Page {
        if response.status == 303, response.header("Location").map(isProviderCheckout) == true { return .bnplRedirect }
        if html.contains("<form id=\"return\"") || html.contains("<table class=\"params\">") { return .result }
        if let provider = providerPage(html) { return provider }
        if html.contains("name=\"installment_plan\"") { return .plans }
        if html.contains("name=\"code\"") { return .challenge }
        if html.contains("name=\"card_security_code\"") { return .card }
        return .other
    }

    /// The result's parameters: the return form's hidden fields, or the table shown without a return URL.
    static func resultFields(_ html: String) -> [(String, String)] {
        if html.contains("<form id=\"return\"") { return inputs(html).filter { $0.type == "hidden" }.map { ($0.name, $0.value) } }
        var fields: [(String, String)] = []
        var rest = Substring(html)
        while let row = rest.firstRange(of: "<td class=\"code name\" dir=\"ltr\">") {
            rest = rest[row.upperBound...]
            guard let nameEnd = rest.firstRange(of: "</td>") else { break }
            let name = rest[..<nameEnd.lowerBound]
            rest = rest[nameEnd.upperBound...]
            guard let valueStart = rest.firstRange(of: "<td class=\"code value\" dir=\"ltr\">"),
                  let valueEnd = rest[valueStart.upperBound...].firstRange(of: "</td>") else { break }
            fields.append((unescape(String(name)), unescape(String(rest[valueStart.upperBound..<valueEnd.lowerBound]))))
            rest = rest[valueEnd.upperBound...]
        }
        return fields
    }

    /// The first form's `action`.
    static func formAction(_ html: String) -> String? {
        guard let form = html.firstRange(of: "<form "), let end = html[form.upperBound...].firstIndex(of: ">") else { return nil }
        return attributes(html[form.upperBound..<end])["action"].map(unescape)
    }

    struct Input { var type: String, name: String, value: String }

    /// Every `<input>` with a name, in page order.
    static func inputs(_ html: String) -> [Input] {
        var found: [Input] = []
        var rest = Substring(html)
        while let start = rest.firstRange(of: "<input ") {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            let attributes = attributes(rest[start.upperBound..<end])
            if let name = attributes["name"] {
                found.append(Input(type: attributes["type"] ?? "text", name: unescape(name), value: unescape(attributes["value"] ?? "")))
            }
            rest = rest[end...]
        }
        return found
    }

    /// `key="value"` pairs of a tag (the sandbox's pages quote every attribute with `"`).
    private static func attributes(_ tag: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var rest = tag
        while let equals = rest.firstRange(of: "=\"") {
            let key = rest[..<equals.lowerBound].split(separator: " ").last.map(String.init) ?? ""
            let afterQuote = rest[equals.upperBound...]
            guard let close = afterQuote.firstIndex(of: "\"") else { break }
            result[key] = String(afterQuote[..<close])
            rest = afterQuote[afterQuote.index(after: close)...]
        }
        return result
    }

    /// Undoes `HTML.escape`.
    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacing("&quot;", with: "\"").replacing("&#39;", with: "'").replacing("&lt;", with: "<")
            .replacing("&gt;", with: ">").replacing("&amp;", with: "&")
    }
}
