import PayLinkAPS
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// `/dashboard/signature`: the signature debugger. Paste a request, pick a merchant (its
/// request phrase, or its response phrase to check the sandbox's answers and feedback) or type
/// a phrase and `sha_type`, and see the canonical string (phrase redacted), the signature
/// expected and whether the given one matches. `?journal=N` fills it in with journal entry N
/// (a 008 refusal links here); the form posts back to the page, which changes nothing.
enum SignatureDebuggerPage {
    static let customMerchant = "custom"

    /// What the form holds.
    struct Form {
        var request = ""
        var merchant = ""
        var phrase = "request"
        var customPhrase = ""
        var shaType = SignatureAlgorithm.sha256.rawValue
        var signature = ""
    }

    static func prefilled(_ query: String?, console: DeveloperConsole, merchants: MerchantDirectory) -> HTTPResponse {
        var form = Form()
        let parameters = QueryParameters.parse(query)
        guard let wanted = parameters.first(where: { $0.name == "journal" })?.value else {
            return page(form, report: nil, problems: [], merchants: merchants.all)
        }
        guard let sequence = UInt64(wanted), let entry = console.journal.entries().first(where: { $0.sequence == sequence }) else {
            return page(form, report: nil, problems: ["The journal no longer holds request #\(wanted) (it keeps the last \(console.journal.capacity))."],
                        merchants: merchants.all, status: 404)
        }
        if let object = JournalQuery.object(entry.requestBody) {
            form.request = ConsoleText.pretty(.object(object))
            form.merchant = entry.failedSignature?.merchantIdentifier ?? object["merchant_identifier"]?.stringValue ?? ""
        } else {
            form.request = String(decoding: entry.requestBody, as: UTF8.self)
        }
        return checked(form, console: console, merchants: merchants)
    }

    static func checked(_ body: FormBody, console: DeveloperConsole, merchants: MerchantDirectory) -> HTTPResponse {
        let form = Form(request: body["request"], merchant: body["merchant_identifier"], phrase: body["phrase"].isEmpty ? "request" : body["phrase"],
                        customPhrase: body["custom_phrase"], shaType: body["sha_type"].isEmpty ? SignatureAlgorithm.sha256.rawValue : body["sha_type"],
                        signature: body["signature"])
        return checked(form, console: console, merchants: merchants)
    }

    private static func checked(_ form: Form, console: DeveloperConsole, merchants: MerchantDirectory) -> HTTPResponse {
        var form = form
        let all = merchants.all
        let parameters: JSONObject
        do { parameters = try SignatureDebugger.parameters(form.request) } catch {
            return page(form, report: nil, problems: [error.message], merchants: all, status: 422)
        }
        let key: SignatureDebugger.Key
        if form.merchant == customMerchant {
            guard let algorithm = SignatureAlgorithm(name: form.shaType) else {
                return page(form, report: nil, problems: ["sha_type: SHA-256, SHA-512, HMAC-SHA256 or HMAC-SHA512."], merchants: all, status: 422)
            }
            guard !form.customPhrase.isEmpty else {
                return page(form, report: nil, problems: ["Give the phrase, or pick a merchant."], merchants: all, status: 422)
            }
            key = SignatureDebugger.Key(label: "the phrase given", phrase: form.customPhrase, algorithm: algorithm)
        } else {
            // The merchant picked, else the one the request names, else the first configured.
            let named = parameters["merchant_identifier"]?.stringValue
            guard let merchant = merchants[form.merchant] ?? named.flatMap({ merchants[$0] }) ?? (form.merchant.isEmpty ? all.first : nil) else {
                return page(form, report: nil, problems: ["Merchant \(form.merchant) is not configured: pick one, or give a phrase."], merchants: all, status: 422)
            }
            form.merchant = merchant.identifier
            let response = form.phrase == "response"
            key = SignatureDebugger.Key(label: "\(merchant.identifier)'s \(response ? "response" : "request") phrase",
                                        phrase: response ? merchant.responsePhrase : merchant.requestPhrase, algorithm: merchant.shaType)
        }
        let report = SignatureDebugger(emptyValues: console.emptyValues).check(parameters, key: key, signature: form.signature.isEmpty ? nil : form.signature)
        return page(form, report: (report, key.label), problems: [], merchants: all)
    }

    private static func page(_ form: Form, report: (SignatureDebugger.Report, String)?, problems: [String], merchants: [Merchant],
                             status: Int = 200) -> HTTPResponse {
        let merchantOptions = merchants.map { ($0.identifier, "\($0.identifier) (\($0.shaType.rawValue))") } + [(customMerchant, "A phrase I give")]
        func option(_ value: String, _ label: String, _ chosen: String) -> String {
            "<option value=\"\(HTML.escape(value))\"\(value == chosen ? " selected" : "")>\(HTML.escape(label))</option>"
        }
        var body = DashboardHTML.errors(problems)
        if let (report, label) = report { body += result(report, keyLabel: label) }
        body += """
        <form class="card wide" method="post" action="\(DeveloperConsole.signaturePath)">
        <label>Request: a JSON object, or form parameters (name=value joined by &amp; or one a line)<textarea name="request" spellcheck="false">\(HTML.escape(form.request))</textarea></label>
        <div class="grid">
        <label>Merchant<select name="merchant_identifier">\(merchantOptions.map { option($0.0, $0.1, form.merchant) }.joined())</select></label>
        <label>Phrase<select name="phrase">\(option("request", "Request phrase (requests)", form.phrase))\(option("response", "Response phrase (answers, feedback)", form.phrase))</select></label>
        <label>Or a phrase (with &quot;A phrase I give&quot;)<input type="text" name="custom_phrase" value="\(HTML.escape(form.customPhrase))" autocomplete="off"></label>
        <label>sha_type (with a phrase given)<select name="sha_type">\(SignatureAlgorithm.allCases.map { option($0.rawValue, $0.rawValue, form.shaType) }.joined())</select></label>
        <label>Signature to check (default: the request's own)<input type="text" name="signature" value="\(HTML.escape(form.signature))" spellcheck="false"></label>
        </div>
        <p class="hint">Computed as the sandbox's APS endpoint checks requests: every parameter but signature, sorted by name, name=value joined with nothing, the phrase at both ends, hashed with the merchant's sha_type. The phrase is never shown. Card numbers in the journal are masked, so a request that carried one does not re-check from there.</p>
        <div><button type="submit">Check signature</button></div>
        </form>
        """
        return DashboardHTML.response(DashboardHTML.document(title: "Signature debugger", active: DeveloperConsole.signaturePath, body: body), status: status)
    }

    private static func result(_ report: SignatureDebugger.Report, keyLabel: String) -> String {
        var html = "<section class=\"record\" id=\"signature-result\">"
        if let matches = report.matches {
            html += matches
                ? "<p class=\"notice verdict\" role=\"status\">The given signature matches.</p>"
                : "<div class=\"errors verdict\" role=\"alert\">The given signature does NOT match: APS would refuse it with 008 (Signature mismatch).</div>"
        } else {
            html += "<p class=\"hint\">The request carries no signature: below is the one it should carry.</p>"
        }
        var rows: [(String, String)] = [
            ("Parameters", "\(report.parameters.members.count) (\(report.parameters.members.filter { $0.key != "signature" }.count) signed)"),
            ("Signed with", HTML.escape(keyLabel) + ", " + report.algorithm.rawValue),
        ]
        for convention in report.conventions {
            rows.append(("Canonical string (\(convention.name))", "<code class=\"canonical\">\(HTML.escape(convention.canonical))</code>"))
            rows.append(("Expected signature (\(convention.name))", "<code class=\"expected\">\(HTML.escape(convention.signature))</code>"))
        }
        if let given = report.given { rows.append(("Given signature", "<code class=\"given\">\(HTML.escape(given))</code>")) }
        return html + ConsoleText.fields(rows) + "</section>"
    }
}
