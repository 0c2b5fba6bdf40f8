import PayLinkCore
import PayLinkSupport

/// The payment form of an Open link. It posts APS's own field names (`payment_option`,
/// `card_number`, `expiry_date` as YYMM, `card_security_code`, `card_holder_name`,
/// `phone_number`, and `agree_terms`), so a script can drive it without a browser.
enum PaymentForm {
    /// What the link offers: every card scheme and wallet, or only its `payment_option`, less
    /// what the payment-option rules and the merchant's `payment_options` refuse.
    struct Offer: Equatable {
        var cards: [CardBrand]
        var wallets: [String]

        /// `allows` drops what the option rules and the merchant refuse for this link.
        init(for link: PaymentLink, allows: (String) -> Bool = { _ in true }) {
            self.init(paymentOption: link.paymentOption, allows: allows)
        }

        /// Every option, or only `paymentOption` when the payment names one.
        init(paymentOption: String?, allows: (String) -> Bool = { _ in true }) {
            guard let option = paymentOption else {
                cards = CardBrand.allCases.filter { allows($0.rawValue) }
                wallets = ["STCPAY", "VISA_CHECKOUT"].filter(allows)
                return
            }
            if let brand = CardBrand(rawValue: option) {
                cards = allows(option) ? [brand] : []
                wallets = []
            } else {
                cards = []
                wallets = allows(option) ? [option] : []
            }
        }

        func offers(_ option: String) -> Bool {
            wallets.contains(option) || cards.contains { $0.rawValue == option }
        }
    }

    /// Problems to show: per field (APS name) and for the form as a whole, kept as what went
    /// wrong rather than as words, so the page shows them in its language and
    /// `X-Sandbox-Detail` in English.
    struct Problems {
        enum Message: Equatable {
            case termsRequired, chooseMethod, invalidMobile
            case card(CardEntry.Problem.Kind)

            func text(_ words: PageText) -> String {
                switch self {
                case .termsRequired: words.termsRequired
                case .chooseMethod: words.chooseMethod
                case .invalidMobile: words.invalidMobile
                case .card(let kind): words.problems[kind] ?? words.problems[.missing] ?? ""
                }
            }
        }

        /// By the form field they are about: the payment method is `payment_option`, the terms
        /// checkbox `agree_terms`.
        var fields: [String: Message] = [:]
        var isEmpty: Bool { fields.isEmpty }

        /// The fields in the order the form shows them.
        static let fieldOrder = ["payment_option", "card_number", "expiry_date", "card_security_code", "card_holder_name", "phone_number",
                                 "agree_terms"]

        /// The summary's lines: each field's problem, named by its label ("Card holder name:
        /// This field is required."), in the order of the form.
        func summary(_ words: PageText) -> [String] {
            orderedFields.map { "\(PaymentForm.label(of: $0.key, words)): \($0.value.text(words))" }
        }

        /// In English, with the APS field names, for `X-Sandbox-Detail`.
        var detail: String {
            let words = PageText.english
            let lines = orderedFields.map { "\($0.key): \($0.value.text(words))" }
            return "the payment form was not accepted, nothing was charged: " + lines.joined(separator: " ")
        }

        private var orderedFields: [(key: String, value: Message)] {
            func rank(_ field: String) -> Int { Self.fieldOrder.firstIndex(of: field) ?? Self.fieldOrder.count }
            return fields.sorted { (rank($0.key), $0.key) < (rank($1.key), $1.key) }
        }
    }

    /// A field's label on the page (its APS name when the form has no such field).
    static func label(of field: String, _ words: PageText) -> String {
        switch field {
        case "card_number": words.cardNumber
        case "expiry_date": words.expiryDate
        case "card_security_code": words.securityCode
        case "card_holder_name": words.cardHolderName
        case "phone_number": words.mobileNumber
        case "payment_option": words.paymentMethod
        case "agree_terms": words.termsLabel
        default: field
        }
    }

    /// What some payments add to the form (the hosted checkout's saved card and "save this
    /// card" box); a link's form has none. A new choice (an installment plan) goes here.
    struct Extras: Sendable {
        /// Paying with a saved card (`token_name`): its masked number; only the security code is asked.
        var savedCard: String?
        /// Whether the form offers to save the card, and ticked by default.
        var rememberMe: Bool?

        init(savedCard: String? = nil, rememberMe: Bool? = nil) {
            self.savedCard = savedCard
            self.rememberMe = rememberMe
        }
    }

    static func page(_ link: PaymentLink, offer: Offer, text: PageText, values: FormBody? = nil, problems: Problems = Problems()) -> String {
        page(PageSummary(link: link), action: "/pay/" + link.token, offer: offer, text: text, values: values, problems: problems)
    }

    /// The form for `summary`, posting to `action`.
    static func page(_ summary: PageSummary, action: String, offer: Offer, text: PageText, values: FormBody? = nil,
                     problems: Problems = Problems(), extras: Extras = Extras()) -> String {
        let chosen = values?["payment_option"] ?? (offer.cards.count + offer.wallets.count == 1 ? (offer.cards.first?.rawValue ?? offer.wallets[0]) : "")
        var body = summary.html(text: text)
        if !problems.isEmpty {
            let items = problems.summary(text).map { "<li>\(HTML.escape($0))</li>" }.joined()
            body += "<div class=\"errors\" role=\"alert\">\(HTML.escape(text.problemsHeading))<ul>\(items)</ul></div>"
        }
        body += "<form method=\"post\" action=\"\(HTML.escape(action))\" novalidate>"
        if let savedCard = extras.savedCard {
            body += savedCardFields(savedCard, values: values, problems: problems, text: text)
            return finish(body, summary: summary, values: values, extras: extras, text: text)
        }
        body += "<fieldset><legend>\(HTML.escape(text.paymentMethod))</legend><div class=\"options\">"
        for brand in offer.cards { body += radio(brand.rawValue, text: text, chosen: chosen) }
        for wallet in offer.wallets { body += radio(wallet, text: text, chosen: chosen) }
        body += "</div>"
        if offer.cards.count > 1 { body += "<p class=\"hint\">\(HTML.escape(text.cardsHint))</p>" }
        body += "</fieldset>"
        if !offer.cards.isEmpty {
            body += "<fieldset><legend>\(HTML.escape(text.cards))</legend>"
            // Card numbers appear masked in every page: a re-shown form starts empty.
            body += input("card_number", text.cardNumber, values, problems, type: "text", extra: "inputmode=\"numeric\" autocomplete=\"cc-number\" maxlength=\"23\"", keepValue: false, text: text)
            body += "<div class=\"row\"><div>"
            body += input("expiry_date", text.expiryDate, values, problems, type: "text", extra: "inputmode=\"numeric\" placeholder=\"YYMM\" maxlength=\"4\"", hint: text.expiryHint, text: text)
            body += "</div><div>"
            body += input("card_security_code", text.securityCode, values, problems, type: "password", extra: "inputmode=\"numeric\" autocomplete=\"cc-csc\" maxlength=\"4\"", keepValue: false, text: text)
            body += "</div></div>"
            body += input("card_holder_name", text.cardHolderName, values, problems, type: "text", extra: "autocomplete=\"cc-name\" maxlength=\"50\"", text: text)
            body += "</fieldset>"
        }
        if offer.wallets.contains("STCPAY") {
            body += "<fieldset><legend>STC Pay</legend>"
            body += input("phone_number", text.mobileNumber, values, problems, type: "tel", extra: "inputmode=\"numeric\" autocomplete=\"tel\" maxlength=\"13\"", hint: text.mobileHint, text: text)
            body += "</fieldset>"
        }
        return finish(body, summary: summary, values: values, extras: extras, text: text)
    }

    /// The "save this card" box (when offered), the terms box and the button.
    private static func finish(_ form: String, summary: PageSummary, values: FormBody?, extras: Extras, text: PageText) -> String {
        var body = form
        if let rememberMe = extras.rememberMe {
            // Re-shown: as the customer left it; first shown: as the request asked.
            let ticked = (values.map { $0["remember_me"] == "YES" } ?? rememberMe) ? " checked" : ""
            body += "<label class=\"terms\"><input type=\"checkbox\" name=\"remember_me\" value=\"YES\"\(ticked)> <span>\(HTML.escape(text.rememberCard))</span></label>"
        }
        let ticked = values?["agree_terms"].isEmpty == false ? " checked" : ""
        body += "<label class=\"terms\"><input type=\"checkbox\" name=\"agree_terms\" value=\"yes\" required\(ticked)> <span>\(HTML.escape(text.agreeTerms))</span></label>"
        body += "<button type=\"submit\">\(HTML.escape(text.pay))</button></form>"
        return HostedPageFrame.document(title: text.title + " · " + summary.merchantIdentifier, text: text, body: body)
    }

    /// A saved card: its masked number, and the security code to type.
    private static func savedCardFields(_ masked: String, values: FormBody?, problems: Problems, text: PageText) -> String {
        var html = "<fieldset><legend>\(HTML.escape(text.savedCard))</legend>"
        html += "<p class=\"code\" data-testid=\"saved-card\" dir=\"ltr\">\(HTML.escape(masked))</p>"
        html += input("card_security_code", text.securityCode, values, problems, type: "password",
                      extra: "inputmode=\"numeric\" autocomplete=\"cc-csc\" maxlength=\"4\"", keepValue: false, text: text)
        return html + "</fieldset>"
    }

    private static func radio(_ option: String, text: PageText, chosen: String) -> String {
        let checked = option == chosen ? " checked" : ""
        return "<label class=\"option\"><input type=\"radio\" name=\"payment_option\" value=\"\(HTML.escape(option))\"\(checked)> \(HTML.escape(text.name(ofOption: option)))</label>"
    }

    private static func input(_ name: String, _ label: String, _ values: FormBody?, _ problems: Problems, type: String,
                              extra: String, hint: String? = nil, keepValue: Bool = true, text: PageText) -> String {
        let value = keepValue ? HTML.escape(values?[name] ?? "") : ""
        var html = "<label class=\"field\" for=\"\(name)\">\(HTML.escape(label))</label>"
        let invalid = problems.fields[name] != nil ? " aria-invalid=\"true\"" : ""
        html += "<input type=\"\(type)\" id=\"\(name)\" name=\"\(name)\" value=\"\(value)\" \(extra)\(invalid)>"
        if let hint { html += "<p class=\"hint\">\(HTML.escape(hint))</p>" }
        if let problem = problems.fields[name] { html += "<p class=\"error\">\(HTML.escape(problem.text(text)))</p>" }
        return html
    }
}
