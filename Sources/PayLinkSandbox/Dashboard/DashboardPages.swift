import PayLinkJSON
import PayLinkHTTP
import PayLinkCore
import PayLinkAPS
import PayLinkSupport

/// The dashboard's pages. Every value shown is escaped; every form posts to the dashboard.
enum DashboardPages {
    // MARK: invoice management (the list)

    static func list(_ query: String?, dashboard: Dashboard) -> HTTPResponse {
        let merchants = dashboard.merchants.all
        let filter: LinkFilter
        do { filter = try LinkFilter.parse(query) } catch {
            let body = filterForm(LinkFilter(), merchants: merchants) + DashboardHTML.errors(["\(error.path): \(error.message)"])
            return DashboardHTML.response(DashboardHTML.document(title: "Invoice management", active: Dashboard.root, body: body), status: 400)
        }
        // One pass over the index counts the matches and reads only the page shown.
        var page = filter.page
        var (shown, total) = dashboard.engine.links(matching: filter.query, newestFirst: (page - 1) * LinkFilter.pageSize, limit: LinkFilter.pageSize)
        let pageCount = max(1, (total + LinkFilter.pageSize - 1) / LinkFilter.pageSize)
        if page > pageCount {
            // Past the last page (the list shrank, or a typed URL): show the last one.
            page = pageCount
            (shown, total) = dashboard.engine.links(matching: filter.query, newestFirst: (page - 1) * LinkFilter.pageSize, limit: LinkFilter.pageSize)
        }
        let exportQuery = filter.query()
        let exports = DashboardExport.Format.allCases.map { format in
            "<a href=\"\(Dashboard.exportPrefix)\(format.rawValue)\(exportQuery.isEmpty ? "" : "?" + HTML.escape(exportQuery))\" download>\(format.label)</a>"
        }.joined()
        var body = filterForm(filter, merchants: merchants)
        body += "<div class=\"summary\"><span>\(total) payment link\(total == 1 ? "" : "s")"
        if total > LinkFilter.pageSize { body += ", \(shown.count) on page \(page) of \(pageCount)" }
        body += "</span><span class=\"exports\">Export: \(exports)</span></div>"
        if shown.isEmpty {
            body += "<p>No payment links match. Generate one, or widen the search.</p>"
        } else {
            body += linkTable(shown, urls: dashboard.urls)
        }
        if pageCount > 1 {
            body += "<nav class=\"pages\">"
            if page > 1 { body += "<a href=\"\(Dashboard.root)?\(HTML.escape(filter.query(page: page - 1)))\">Previous</a>" }
            if page < pageCount { body += "<a href=\"\(Dashboard.root)?\(HTML.escape(filter.query(page: page + 1)))\">Next</a>" }
            body += "</nav>"
        }
        return DashboardHTML.response(DashboardHTML.document(title: "Invoice management", active: Dashboard.root, body: body))
    }

    private static func filterForm(_ filter: LinkFilter, merchants: [Merchant]) -> String {
        func day(_ instant: SandboxInstant?) -> String { instant.map { String(ISO8601.formatUTC($0).prefix(10)) } ?? "" }
        let statusOptions = "<option value=\"\">Any</option>"
            + LinkState.allCases.map { "<option value=\"\($0.rawValue)\"\(filter.status == $0 ? " selected" : "")>\($0.rawValue)</option>" }.joined()
        let merchantOptions = "<option value=\"\">All</option>" + merchants.map {
            "<option value=\"\(HTML.escape($0.identifier))\"\(filter.merchant == $0.identifier ? " selected" : "")>\(HTML.escape($0.identifier))</option>"
        }.joined()
        return """
        <form class="filters" method="get" action="\(Dashboard.root)" role="search">
        <label>Created from<input type="date" name="from" value="\(day(filter.from))"></label>
        <label>to<input type="date" name="to" value="\(day(filter.toExclusive?.adding(seconds: -86_400)))"></label>
        <label>Status<select name="payment_link_status">\(statusOptions)</select></label>
        <label>Merchant<select name="merchant_identifier">\(merchantOptions)</select></label>
        <label>Invoice number, reference, e-mail or name<input type="search" name="q" value="\(HTML.escape(filter.text ?? ""))"></label>
        <button type="submit">Search</button>
        </form>
        """
    }

    private static func linkTable(_ views: [LinkView], urls: LinkURLs) -> String {
        var html = "<div class=\"scroll\"><table><thead><tr><th>Invoice number</th><th>Merchant reference</th><th>Status</th><th>Amount</th>"
            + "<th>Customer</th><th>Created (UTC)</th><th>Expiry (UTC)</th><th>Attempts</th></tr></thead><tbody>"
        for view in views {
            let link = view.link
            let amount = Currency(code: link.currency)?.format(minorUnits: link.amount) ?? String(link.amount)
            let customer = [link.customerName, link.customerEmail].compactMap { $0 }.map(HTML.escape).joined(separator: "<br>")
            html += "<tr><td><a href=\"\(HTML.escape(Dashboard.linkPath(link.id)))\">\(HTML.escape(link.id))</a></td>"
                + "<td>\(HTML.escape(link.merchantReference))</td><td>\(stateBadge(view.state))</td>"
                + "<td class=\"num\">\(amount) \(HTML.escape(link.currency))</td><td>\(customer)</td>"
                + "<td>\(ISO8601.formatUTC(link.createdAt))</td><td>\(ISO8601.formatUTC(link.expiry))</td>"
                + "<td class=\"num\">\(link.userAttemptsCount)</td></tr>"
        }
        return html + "</tbody></table></div>"
    }

    static func stateBadge(_ state: LinkState) -> String {
        "<span class=\"state \(state.rawValue)\">\(state.rawValue)</span>"
    }

    // MARK: one invoice

    static func detail(_ view: LinkView, dashboard: Dashboard, done: String?, problems: [String]) -> String {
        let link = view.link
        var body = DashboardHTML.errors(problems)
        if let done, problems.isEmpty {
            let said = done.split(whereSeparator: { $0 == "+" || $0 == " " }).compactMap { doneText[String($0)] }
            if !said.isEmpty { body += DashboardHTML.notice(said.joined(separator: " ")) }
        }
        let url = dashboard.urls.paymentLink(token: link.token)
        var rows: [(String, String)] = [
            ("Status", stateBadge(view.state)),
            ("Payment link", "<a href=\"\(HTML.escape(url))\">\(HTML.escape(url))</a>"),
        ]
        for column in LinkTable.columns where !["payment_link_status", "payment_link", "amount"].contains(column.key) {
            let value = column.value(view, dashboard.urls)
            if !value.isEmpty { rows.append((column.heading, HTML.escape(value))) }
        }
        let amount = Currency(code: link.currency)?.format(minorUnits: link.amount) ?? String(link.amount)
        rows.insert(("Amount", "\(amount) \(HTML.escape(link.currency)) <span class=\"hint\">(API amount \(link.amount))</span>"), at: 2)
        for (heading, value) in [("Language", link.language), ("Order description", link.orderDescription ?? ""),
                                 ("Payment option", link.paymentOption ?? ""), ("Link command", link.linkCommand)] where !value.isEmpty {
            rows.append((heading, HTML.escape(value)))
        }
        body += "<dl class=\"fields\">" + rows.map { "<dt>\(HTML.escape($0.0))</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"
        if !link.failedAttempts.isEmpty {
            body += "<h2>Failed attempts</h2><table><thead><tr><th>At (UTC)</th><th>Response code</th><th>Card</th></tr></thead><tbody>"
            for attempt in link.failedAttempts {
                body += "<tr><td>\(ISO8601.formatUTC(attempt.at))</td><td>\(HTML.escape(attempt.responseCode)) "
                    + "\(HTML.escape(APSResponseCode(attempt.responseCode)?.responseMessage ?? ""))</td><td>\(HTML.escape(attempt.maskedCardNumber ?? ""))</td></tr>"
            }
            body += "</tbody></table>"
        }
        body += OrderSection.html(link, engine: dashboard.engine)
        body += "<h2>Change</h2>"
        if view.state == .paid {
            body += "<p>A paid link cannot be changed (APS message 125, Invoice already paid).</p>"
        } else {
            let toggle = view.state == .closed
                ? "<label class=\"check\"><input type=\"checkbox\" name=\"reopen\"> Reopen (only before its expiry)</label>"
                : view.state == .open ? "<label class=\"check\"><input type=\"checkbox\" name=\"close\"> Close</label>" : ""
            body += """
            <form class="card" method="post" action="\(HTML.escape(Dashboard.linkPath(link.id)))">
            \(toggle)
            <label>New expiry date (UTC)<input type="datetime-local" name="request_expiry_date"></label>
            <p class="hint">\(view.state == .expired ? "A new expiry date in the future opens the link again." : "Sets when the link expires.") The sandbox clock reads \(ISO8601.formatUTC(dashboard.engine.clock.now())).</p>
            <div><button type="submit">Save</button></div>
            </form>
            """
        }
        return DashboardHTML.document(title: "Invoice \(link.id)", active: "", body: body)
    }

    private static let doneText = ["created": "Payment link generated.", "closed": "Link closed.", "reopened": "Link reopened.",
                                   "extended": "Expiry date updated."]

    // MARK: generate

    static func newLink(_ form: LinkForm, merchants: [Merchant], problems: [String]) -> String {
        func field(_ label: String, _ name: String, _ value: String, type: String = "text", required: Bool = false, extra: String = "") -> String {
            "<label>\(HTML.escape(label))<input type=\"\(type)\" name=\"\(name)\" value=\"\(HTML.escape(value))\"\(required ? " required" : "")\(extra)></label>"
        }
        func select(_ label: String, _ name: String, _ options: [(String, String)], _ chosen: String) -> String {
            "<label>\(HTML.escape(label))<select name=\"\(name)\">" + options.map { value, text in
                "<option value=\"\(HTML.escape(value))\"\(value == chosen ? " selected" : "")>\(HTML.escape(text))</option>"
            }.joined() + "</select></label>"
        }
        let merchantOptions = merchants.map { ($0.identifier, $0.identifier) }
        let body = DashboardHTML.errors(problems) + """
        <form class="card" method="post" action="\(Dashboard.root)/links">
        <div class="grid">
        \(select("Merchant", "merchant_identifier", merchantOptions, form.merchant))
        \(field("Merchant reference", "merchant_reference", form.reference, required: true, extra: " maxlength=\"40\""))
        \(field("Amount", "amount", form.amount, required: true, extra: " inputmode=\"decimal\" placeholder=\"1250.00\""))
        \(field("Currency", "currency", form.currency, required: true, extra: " maxlength=\"3\""))
        \(field("Customer e-mail", "customer_email", form.email, type: "email", required: true))
        \(field("Expiry date (UTC)", "request_expiry_date", form.expiry, type: "datetime-local", required: true))
        \(select("Notification type", "notification_type", [("EMAIL", "E-mail"), ("SMS", "SMS"), ("EMAIL,SMS", "E-mail and SMS"), ("NONE", "None")], form.notification))
        \(select("Language", "language", [("en", "English"), ("ar", "Arabic")], form.language))
        \(field("Customer name", "customer_name", form.name))
        \(field("Customer phone", "customer_phone", form.phone, type: "tel", extra: " placeholder=\"00966500000000\""))
        \(field("Order description", "order_description", form.description))
        \(select("Payment option", "payment_option", [("", "Any")] + APSFields.paymentOptions.sorted().map { ($0, $0) }, form.paymentOption))
        </div>
        <p class="hint">The amount is in the currency's main unit (1250.00 SAR is the API's 125000). The link is generated with PAYMENT_LINK, as the API would, and the customer is notified in the outbox.</p>
        <div><button type="submit">Generate link</button></div>
        </form>
        """
        return DashboardHTML.document(title: "Generate payment link", active: Dashboard.newLinkPath, body: body)
    }

    // MARK: bulk

    static func bulk(text: String, merchants: [Merchant], selected: String?, problems: [String]) -> String {
        let options = merchants.map { "<option value=\"\(HTML.escape($0.identifier))\"\($0.identifier == selected ? " selected" : "")>\(HTML.escape($0.identifier))</option>" }.joined()
        let example = "merchant_reference,amount,currency,customer_email,request_expiry_date,notification_type,customer_name\n"
            + "inv-1001,125000,SAR,ann@example.com,2026-12-31T23:59:59+03:00,EMAIL,Ann Lee"
        let body = DashboardHTML.errors(problems) + """
        <form class="card" method="post" action="\(Dashboard.bulkPath)">
        <label>Merchant<select name="merchant_identifier">\(options)</select></label>
        <label>Links, as CSV (the batch file's columns; amounts as the API sends them, in minor units)<textarea name="csv" spellcheck="false" placeholder="\(HTML.escape(example))">\(HTML.escape(text))</textarea></label>
        <p class="hint">Required columns: \(APSBatchFile.required.joined(separator: ", ")). Optional: \(APSBatchFile.optional.joined(separator: ", ")). Up to \(Dashboard.maxBulkRecords) lines; each runs PAYMENT_LINK.</p>
        <div><button type="submit">Generate links</button></div>
        </form>
        """
        return DashboardHTML.document(title: "Bulk generate payment links", active: Dashboard.bulkPath, body: body)
    }

    static func bulkResults(_ results: [[String]], merchant: Merchant) -> String {
        let succeeded = results.filter { $0.count > 1 && $0[1].hasPrefix("48") }.count
        var body = DashboardHTML.notice("\(succeeded) of \(results.count) link\(results.count == 1 ? "" : "s") generated for \(merchant.identifier).")
        body += "<table><thead><tr>" + APSBatchFile.resultHeader.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in results {
            body += "<tr>" + row.enumerated().map { index, cell in
                index == 5 && !cell.isEmpty ? "<td><a href=\"\(HTML.escape(Dashboard.linkPath(cell)))\">\(HTML.escape(cell))</a></td>" : "<td>\(HTML.escape(cell))</td>"
            }.joined() + "</tr>"
        }
        body += "</tbody></table><p><a href=\"\(Dashboard.bulkPath)\">Generate more</a></p>"
        return DashboardHTML.document(title: "Bulk generate: results", active: Dashboard.bulkPath, body: body)
    }
}
