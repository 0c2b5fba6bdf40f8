import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// `/dashboard/journal`: the request journal (`GET /__sandbox/journal`) with its filters as a
/// form, newest first. Each entry opens to its request and response as the journal stored
/// them (card numbers masked, security codes removed); an APS request refused with 008 links
/// to the signature debugger, filled in with it.
enum JournalPage {
    static let filters = ["path", "method", "status", "command", "payment_link_id", "merchant_reference", "merchant_identifier", "since", "until"]

    static func response(_ query: String?, console: DeveloperConsole, engine: LinkEngine) -> HTTPResponse {
        let filter: ConsoleQuery
        let journalQuery: JournalQuery
        let size = DeveloperConsole.pageSize
        do {
            filter = try ConsoleQuery(query, allowed: filters)
            // One more than the pages so far: whether there is an older page.
            let limit = min(filter.page * size, console.journal.capacity) + 1
            journalQuery = try JournalQuery(filter.values.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) } + [(name: "limit", value: String(limit))])
        } catch {
            let current = try? ConsoleQuery(query, allowed: filters)
            return page(body: form(current) + DashboardHTML.errors(["\(error.path): \(error.message)"]), status: 400)
        }
        let result = journalQuery.run(console.journal, linkOfToken: { engine.link(token: $0)?.link })
        // Oldest first from the query: the newest are at its end.
        let matched = Array((result["entries"]?.arrayValue ?? []).reversed())
        let start = min((filter.page - 1) * size, matched.count)
        let shown = matched[start..<min(start + size, matched.count)]
        var body = form(filter)
        let total = result["total_recorded"].flatMap(number) ?? "0"
        body += "<div class=\"summary\"><span>\(total) request\(total == "1" ? "" : "s") journaled since the start or the last reset; "
            + "the last \(console.journal.capacity) are kept. Control API calls are not journaled.</span></div>"
        if shown.isEmpty { body += "<p>No request matches.</p>" }
        for entry in shown { if let object = entry.objectValue { body += self.entry(object) } }
        if filter.page > 1 || matched.count > filter.page * size {
            body += "<nav class=\"pages\"><span>Page \(filter.page)</span>"
            if filter.page > 1 { body += "<a href=\"\(HTML.escape(DeveloperConsole.journalPath + "?" + filter.string(page: filter.page - 1)))\" rel=\"prev\">Newer</a>" }
            if matched.count > filter.page * size {
                body += "<a href=\"\(HTML.escape(DeveloperConsole.journalPath + "?" + filter.string(page: filter.page + 1)))\" rel=\"next\">Older</a>"
            }
            body += "</nav>"
        }
        return page(body: body)
    }

    private static func number(_ value: JSONValue) -> String? {
        if case .number(let text) = value { return text }
        return nil
    }

    private static func page(body: String, status: Int = 200) -> HTTPResponse {
        DashboardHTML.response(DashboardHTML.document(title: "Request journal", active: DeveloperConsole.journalPath, body: body), status: status)
    }

    private static func form(_ filter: ConsoleQuery?) -> String {
        """
        <form class="filters" method="get" action="\(DeveloperConsole.journalPath)" role="search">
        \(ConsoleText.input("Path starts with", "path", filter?["path"], extra: " placeholder=\"/FortAPI/\""))
        \(ConsoleText.select("Method", "method", ["GET", "POST", "PUT", "DELETE"].map { ($0, $0) }, filter?["method"]?.uppercased()))
        \(ConsoleText.input("HTTP status", "status", filter?["status"], extra: " inputmode=\"numeric\" size=\"5\""))
        \(ConsoleText.input("Command", "command", filter?["command"], extra: " placeholder=\"PAYMENT_LINK\""))
        \(ConsoleText.input("Invoice number", "payment_link_id", filter?["payment_link_id"]))
        \(ConsoleText.input("Merchant reference", "merchant_reference", filter?["merchant_reference"]))
        \(ConsoleText.input("Merchant", "merchant_identifier", filter?["merchant_identifier"]))
        \(ConsoleText.input("Since (ISO 8601)", "since", filter?["since"], extra: " placeholder=\"2026-01-01T00:00:00Z\""))
        \(ConsoleText.input("Until (ISO 8601)", "until", filter?["until"]))
        <button type="submit">Filter</button>
        </form>
        """
    }

    /// One exchange: a summary line that opens to the request and the response.
    static func entry(_ entry: JSONObject) -> String {
        let sequence = entry["sequence"].flatMap(number) ?? "?"
        let status = entry["status"].flatMap(number) ?? ""
        let request = entry["request"]?.objectValue ?? [:], response = entry["response"]?.objectValue ?? [:]
        let command = ["service_command", "query_command", "command"].lazy.compactMap { request["json"]?.objectValue?[$0]?.stringValue }.first
        let code = response["json"]?.objectValue?["response_code"]?.stringValue
        var summary = "<span class=\"seq\">#\(sequence)</span> <code>\(HTML.escape(entry["method"]?.stringValue ?? ""))"
            + " \(HTML.escape(entry["path"]?.stringValue ?? ""))</code> <span class=\"http s\(status.prefix(1))\">\(status)</span>"
        if let command { summary += " <strong>\(HTML.escape(command))</strong>" }
        if let code { summary += " <span class=\"code\">\(HTML.escape(code)) \(HTML.escape(response["json"]?.objectValue?["response_message"]?.stringValue ?? ""))</span>" }
        summary += " <span class=\"hint\">\(HTML.escape(entry["at"]?.stringValue ?? ""))</span>"
        var html = "<details class=\"entry\" id=\"entry-\(HTML.escape(sequence))\"><summary>\(summary)</summary><div class=\"exchange\">"
        var rows: [(String, String)] = [("Sandbox time", HTML.escape(entry["at"]?.stringValue ?? ""))]
        if let query = entry["query"]?.stringValue { rows.append(("Query", "<code>\(HTML.escape(query))</code>")) }
        if let micro = entry["duration_us"].flatMap(number) { rows.append(("Answered in", "\(HTML.escape(micro)) µs")) }
        // A 008's detail is the signature check, shown in full below.
        if let detail = entry["detail"]?.stringValue, entry["signature_debug"] == nil { rows.append(("Sandbox detail", HTML.escape(detail))) }
        if let fault = entry["fault"]?.stringValue { rows.append(("Fault", HTML.escape(fault))) }
        html += ConsoleText.fields(rows)
        if let debug = entry["signature_debug"]?.objectValue {
            html += "<div class=\"errors\"><p><strong>Signature mismatch (008).</strong> The sandbox expected "
                + "<code>\(HTML.escape(debug["expected_signature"]?.stringValue ?? ""))</code> (\(HTML.escape(debug["sha_type"]?.stringValue ?? ""))) over "
                + "<code>\(HTML.escape(debug["expected_canonical_string"]?.stringValue ?? ""))</code>; the request carried "
                + "<code>\(HTML.escape(debug["provided_signature"]?.stringValue ?? ""))</code>.</p>"
                + "<p><a class=\"button\" href=\"\(DeveloperConsole.signaturePath)?journal=\(HTML.escape(sequence))\">Open in the signature debugger</a></p></div>"
        } else if request["json"]?.objectValue?["signature"] != nil {
            html += "<p><a href=\"\(DeveloperConsole.signaturePath)?journal=\(HTML.escape(sequence))\">Check this request's signature</a></p>"
        }
        html += "<div class=\"pair\"><section><h3>Request</h3>\(body(request))</section><section><h3>Response</h3>\(body(response))</section></div>"
        return html + "</div></details>"
    }

    private static func body(_ body: JSONObject) -> String {
        var html = "<p class=\"hint\">\(HTML.escape(body["content_type"]?.stringValue ?? "no content type")), \(body["bytes"].flatMap(number) ?? "0") bytes"
        if body["truncated"] == .bool(true) { html += ", cut at \(Journal.maxKeptBodyBytes) bytes" }
        html += "</p>"
        if let json = body["json"] {
            html += ConsoleText.block(ConsoleText.pretty(json))
        } else if let text = body["text"]?.stringValue {
            html += ConsoleText.block(text)
        }
        return html
    }
}
