import PayLinkJSON
import PayLinkHTTP
import PayLinkCore
import PayLinkPayByLink
import PayLinkSupport

/// `/dashboard/paybylink`: PayByLink's requests for payment, one subscription at a time (as the
/// API scopes them), filtered by status and the API's own filters, newest first; and one
/// request with its status history and the core links behind it (one per instalment).
enum PayByLinkPages {
    /// The form's names: the API's filters (`GET /requests`), and the subscription.
    static let filters = ["subscription", "Status", "CustomerName", "ClientTransactionRef", "AccountReference", "From", "To"]

    static func requests(_ query: String?, console: DeveloperConsole) -> HTTPResponse {
        let keys = console.subscriptions()
        let filter: ConsoleQuery
        do { filter = try ConsoleQuery(query, allowed: filters) } catch {
            return page("PayByLink requests", body: requestForm(nil, keys: keys) + DashboardHTML.errors(["\(error.path): \(error.message)"]), status: 400)
        }
        let subscription = filter["subscription"] ?? keys.first ?? ""
        var parameters = filters.dropFirst().compactMap { name in filter[name].map { (name: name, value: $0) } }
        // The API wants a filter; "created since the year 0" is every request.
        if parameters.isEmpty { parameters.append((name: "From", value: "0000-01-01")) }
        parameters += [(name: "Page", value: String(filter.page)), (name: "PageSize", value: String(DeveloperConsole.pageSize))]
        let listQuery: RequestListQuery
        do { listQuery = try RequestListQuery.read(parameters) } catch {
            let problems = error.json.map { "\($0.key): \($0.value.arrayValue?.compactMap(\.stringValue).joined(separator: "; ") ?? "")" }
            return page("PayByLink requests", body: requestForm(filter, keys: keys) + DashboardHTML.errors(problems), status: 400)
        }
        let (items, total) = console.payByLink.list(listQuery, subscription: subscription)
        var body = requestForm(filter, keys: keys) + subNav(subscription, active: DeveloperConsole.payByLinkPath)
        body += "<div class=\"summary\"><span>\(total) request\(total == 1 ? "" : "s") of subscription <code>\(HTML.escape(subscription))</code></span></div>"
        if items.isEmpty {
            body += "<p>No request matches.</p>"
        } else {
            body += "<div class=\"scroll\"><table><thead><tr><th>Request</th><th>ClientTransactionRef</th><th>AccountReference</th><th>Customer</th>"
                + "<th>Amount</th><th>Status</th><th>Created (UTC)</th></tr></thead><tbody>"
            for view in items {
                let request = view.request
                body += "<tr><td><a href=\"\(HTML.escape(requestPath(request)))\">\(HTML.escape(request.id))</a></td>"
                    + "<td>\(HTML.escape(request.draft.clientTransactionRef))</td><td>\(HTML.escape(request.draft.accountReference))</td>"
                    + "<td>\(HTML.escape(request.draft.customer.fullName))</td><td class=\"num\">\(pounds(request.draft.amount))</td>"
                    + "<td>\(badge(request.status))</td><td>\(ISO8601.formatUTC(request.createdAt))</td></tr>"
            }
            body += "</tbody></table></div>"
        }
        let paging = ConsolePage(requested: filter.page, total: total)
        body += paging.navigation { DeveloperConsole.payByLinkPath + "?" + filter.string(page: $0) }
        return page("PayByLink requests", body: body)
    }

    static func request(_ id: String, query: String?, console: DeveloperConsole) throws(HTTPErrorResponse) -> HTTPResponse {
        let named = QueryParameters.parse(query).first { $0.name == "subscription" }?.value
        let candidates = named.map { [$0] } ?? console.subscriptions()
        guard let view = candidates.lazy.compactMap({ console.payByLink.request(id: id, subscription: $0) }).first else {
            throw HTTPErrorResponse(page("No such request", body: "<p>No subscription has a PayByLink request <code>\(HTML.escape(id))</code>.</p>", status: 404))
        }
        let request = view.request, draft = request.draft
        var rows: [(String, String)] = [
            ("Status", badge(request.status)),
            ("Subscription", "<code>\(HTML.escape(request.subscription))</code>"),
            ("ClientTransactionRef", HTML.escape(draft.clientTransactionRef)),
            ("AccountReference", HTML.escape(draft.accountReference)),
            ("Amount", pounds(draft.amount)),
            ("Paid so far", request.amountPaid > 0 ? pounds(request.amountPaid) : ""),
            ("Reason", HTML.escape(draft.reason ?? "")),
            ("Customer", HTML.escape(draft.customer.fullName)),
            ("Mobile number", HTML.escape(draft.customer.mobileNumber)),
            ("E-mail", HTML.escape(draft.customer.email ?? "")),
            ("Channel", HTML.escape(draft.channel.rawValue)),
            ("Message", request.deliveryFailed ? "not delivered" : request.sent ? "sent" : "not sent yet"),
            ("Delivery note", HTML.escape(request.deliveryNote ?? "")),
            ("Callback URL", HTML.escape(draft.callbackURL ?? "")),
            ("Short URL", ConsoleText.linkified(console.payByLink.shortURL(request))),
            ("Payment page", ConsoleText.linkified(console.payByLink.longURL(view.link))),
            ("Created (UTC)", ISO8601.formatUTC(request.createdAt)),
            ("Updated (UTC)", ISO8601.formatUTC(request.updatedAt)),
            ("Expiry (UTC)", ISO8601.formatUTC(request.expiry)),
        ]
        if let plan = draft.plan {
            rows.append(("Repayment plan", "\(plan.numberOfInstalments) × \(pounds(plan.instalmentAmount)), \(HTML.escape(plan.frequency.rawValue)) from "
                         + "\(ISO8601.formatUTC(plan.firstPaymentDate)); \(request.instalmentsPaid) paid"))
        }
        var body = subNav(request.subscription, active: "") + ConsoleText.fields(rows)
        body += "<h2>Status history</h2><table class=\"history\"><thead><tr><th>Status</th><th>At (UTC)</th><th>Note</th></tr></thead><tbody>"
        for change in request.history {
            body += "<tr><td>\(badge(change.status))</td><td>\(ISO8601.formatUTC(change.at))</td><td>\(HTML.escape(change.note ?? ""))</td></tr>"
        }
        body += "</tbody></table>"
        body += "<h2>Payment links</h2><p class=\"hint\">Each instalment is a payment link of the sandbox's core, in pounds; its page shows its order once paid.</p>"
        body += "<table class=\"links\"><thead><tr><th>#</th><th>Link</th><th>State</th><th>Amount</th><th>Expiry (UTC)</th></tr></thead><tbody>"
        for (number, linkID) in request.linkIDs.enumerated() {
            let link = console.payByLink.engine.link(id: linkID)
            body += "<tr><td class=\"num\">\(number + 1)</td><td><a href=\"\(HTML.escape(Dashboard.linkPath(linkID)))\">\(HTML.escape(linkID))</a></td>"
                + "<td>\(link.map { DashboardPages.stateBadge($0.state) } ?? "gone")</td><td class=\"num\">\(link.map { pounds($0.link.amount) } ?? "")</td>"
                + "<td>\(link.map { ISO8601.formatUTC($0.link.expiry) } ?? "")</td></tr>"
        }
        body += "</tbody></table>"
        return page("PayByLink request \(request.id)", body: body)
    }

    static func requestPath(_ request: RequestForPayment) -> String {
        DeveloperConsole.payByLinkPath + "/requests/" + QueryParameters.encode(request.id) + "?subscription=" + QueryParameters.encode(request.subscription)
    }

    static func pounds(_ pence: Int64) -> String {
        "£" + (Currency(code: "GBP")?.format(minorUnits: pence) ?? String(pence))
    }

    static func badge(_ status: PayByLinkStatus) -> String {
        "<span class=\"state \(status.rawValue)\">\(status.rawValue)</span>"
    }

    /// Requests and batches of one subscription.
    static func subNav(_ subscription: String, active: String) -> String {
        let query = "?subscription=" + HTML.escape(QueryParameters.encode(subscription))
        func link(_ path: String, _ label: String) -> String {
            "<a href=\"\(path)\(query)\"\(path == active ? " aria-current=\"page\"" : "")>\(label)</a>"
        }
        return "<nav class=\"tabs\">\(link(DeveloperConsole.payByLinkPath, "Requests"))\(link(DeveloperConsole.batchesPath, "Batches"))</nav>"
    }

    /// The subscription field: any key, the configured ones offered.
    static func subscriptionField(_ chosen: String?, keys: [String]) -> String {
        "<label>Subscription key<input type=\"text\" name=\"subscription\" list=\"subscriptions\" value=\"\(HTML.escape(chosen ?? keys.first ?? ""))\">"
            + "<datalist id=\"subscriptions\">" + keys.map { "<option value=\"\(HTML.escape($0))\">" }.joined() + "</datalist></label>"
    }

    private static func requestForm(_ filter: ConsoleQuery?, keys: [String]) -> String {
        """
        <form class="filters" method="get" action="\(DeveloperConsole.payByLinkPath)" role="search">
        \(subscriptionField(filter?["subscription"], keys: keys))
        \(ConsoleText.select("Status", "Status", PayByLinkStatus.allCases.map { ($0.rawValue, $0.rawValue) }, filter?["Status"]))
        \(ConsoleText.input("Customer name", "CustomerName", filter?["CustomerName"]))
        \(ConsoleText.input("ClientTransactionRef", "ClientTransactionRef", filter?["ClientTransactionRef"]))
        \(ConsoleText.input("AccountReference", "AccountReference", filter?["AccountReference"]))
        \(ConsoleText.input("Created from", "From", filter?["From"], type: "date"))
        \(ConsoleText.input("to", "To", filter?["To"], type: "date"))
        <button type="submit">Filter</button>
        </form>
        """
    }

    static func page(_ title: String, body: String, status: Int = 200) -> HTTPResponse {
        DashboardHTML.response(DashboardHTML.document(title: title, active: DeveloperConsole.payByLinkPath, body: body), status: status)
    }
}
