import PayLinkAPS
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// The simulated Tamara and Tabby checkouts (docs/aps-bnpl.md) as the scenario browser goes
/// through them: it follows the page's 303 to `/FortAPI/bnpl/…`, signs in, enters the one-time
/// password and takes the step's `bnpl_decision`, then reads the return form as for a card.
/// Credentials not given are the documented test ones, so a step names only what it tests.
extension ScenarioBrowser {
    /// The customer's keys for the provider's checkout.
    static let bnplKeys = ["bnpl_phone", "bnpl_email", "bnpl_password", "bnpl_otp", "bnpl_decision"]
    static let bnplDecisions = ["approve", "decline", "cancel"]

    /// Load-time checks of the `bnpl_*` keys (their being strings is checked with the others).
    static func checkBNPL(_ r: JSONReader) throws(ConfigurationError) {
        if let decision = try r.optionalString("bnpl_decision"), !bnplDecisions.contains(decision) {
            throw ConfigurationError(key: "bnpl_decision", "expected approve, decline or cancel")
        }
        for key in bnplKeys where try r.optionalString(key)?.isEmpty == true {
            throw ConfigurationError(key: key, "expected a non-empty string (leave it out for the documented test value)")
        }
    }

    static func isProviderCheckout(_ location: String) -> Bool {
        path(of: location).hasPrefix("/FortAPI/bnpl/")
    }

    /// Which of the provider's steps a page is, by the form it posts to.
    static func providerPage(_ html: String) -> Page? {
        guard html.contains("data-testid=\"provider-banner\""), let action = formAction(html) else { return nil }
        if action.hasSuffix("/signin") { return .bnplSignIn }
        if action.hasSuffix("/otp") { return .bnplOTP }
        if action.hasSuffix("/decision") && html.contains("value=\"approve\"") { return .bnplDecision }
        return nil
    }

    /// The customer's answer to one of the provider's pages; nil stops the walk there (the
    /// schedule without a `bnpl_decision`).
    static func bnplAnswer(_ page: Page, _ html: String, action: String, customer: JSONObject) -> [(String, String)]? {
        let provider: BNPLProvider = action.contains("/bnpl/tabby/") ? .tabby : .tamara
        let shown = inputs(html)
        switch page {
        case .bnplSignIn:
            // The phone the page filled in (the request's), else Tabby's published test number.
            let prefilled = shown.first { $0.name == "phone_number" }?.value ?? ""
            var fields = [("phone_number", customer["bnpl_phone"]?.stringValue ?? (prefilled.isEmpty ? "+966500000001" : prefilled))]
            if shown.contains(where: { $0.name == "email" }) {
                fields.append(("email", customer["bnpl_email"]?.stringValue ?? BNPLTestAccounts.tabbySuccessEmail))
            }
            if shown.contains(where: { $0.name == "password" }) {
                fields.append(("password", customer["bnpl_password"]?.stringValue ?? BNPLTestAccounts.tamaraPassword))
            }
            return fields
        case .bnplOTP:
            let passing = provider == .tabby ? BNPLTestAccounts.tabbyOTP : BNPLTestAccounts.tamaraOTP
            return [("otp", customer["bnpl_otp"]?.stringValue ?? passing)]
        case .bnplDecision:
            guard let decision = customer["bnpl_decision"]?.stringValue else { return nil }
            return [("action", decision)]
        default:
            return nil
        }
    }

    /// A `customer` `pay` step with `bnpl_*` keys: the link's own page in the browser (its
    /// address from the control API), Tabby chosen there, then the provider's checkout.
    func linkPage(_ step: JSONObject) -> Journey {
        let id = step["link"]?.stringValue ?? ""
        let link = client.send(method: "GET", path: "/__sandbox/links/\(id)", headers: [], body: [], timeoutMilliseconds: timeout)
        guard let response = link.response, response.status == 200,
              case .object(let object)? = try? JSONParser.parse(response.body),
              let address = object["payment_link"]?.stringValue else {
            return Journey(pages: [link], result: link)
        }
        let page = client.send(method: "GET", path: Self.path(of: address), headers: [], body: [], timeoutMilliseconds: timeout)
        return walk(page, customer: step)
    }

    /// Whether a `customer` step goes through the link's page rather than the control API.
    static func walksLinkPage(_ step: JSONObject) -> Bool {
        step["customer"]?.stringValue == "pay" && bnplKeys.contains { step[$0] != nil }
    }
}
