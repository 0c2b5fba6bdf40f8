import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// `/dashboard/deliveries`: feedback to merchants, newest first. Each with its channel (Direct
/// Transaction Feedback or Notification Feedback), URL, signed payload and every attempt, and a
/// Resend button, which queues the same payload to the same URL as a new delivery
/// (`POST /__sandbox/deliveries/{id}/resend` does the same).
enum DeliveriesPage {
    static let filters = ["state", "channel", "merchant_identifier", "payment_link_id", "resent"]

    static func response(_ query: String?, console: DeveloperConsole) -> HTTPResponse {
        let filter: ConsoleQuery
        do { filter = try ConsoleQuery(query, allowed: filters) } catch {
            return page(body: form(nil) + DashboardHTML.errors(["\(error.path): \(error.message)"]), status: 400)
        }
        let state = filter["state"].map { Delivery.State(rawValue: $0.lowercased()) }
        let channel = filter["channel"].map { FeedbackChannel(rawValue: $0.lowercased()) }
        if state == .some(nil) || channel == .some(nil) {
            return page(body: form(filter) + DashboardHTML.errors([state == .some(nil) ? "state: must be pending, delivered or failed"
                                                                    : "channel: must be direct or notification"]), status: 400)
        }
        let all = console.deliveries.deliveries()
        let shown = all.filter { d in
            (state == nil || d.state == state!) && (channel == nil || d.channel == channel!)
                && (filter["merchant_identifier"] == nil || d.merchantIdentifier == filter["merchant_identifier"])
                && (filter["payment_link_id"] == nil || d.paymentLinkID == filter["payment_link_id"])
        }
        var body = ""
        if let resent = filter["resent"] {
            body += DashboardHTML.notice("Queued as delivery \(resent): the same payload goes to the same URL, attempted now and retried as usual.")
        }
        body += form(filter)
        body += "<div class=\"summary\"><span>\(shown.count) deliver\(shown.count == 1 ? "y" : "ies")</span></div>"
        if shown.isEmpty { body += "<p>No feedback was sent yet, or none matches.</p>" }
        let paging = ConsolePage(requested: filter.page, total: shown.count)
        let filters = filter.without("resent")
        for index in paging.range { body += card(shown[shown.count - 1 - index]) }
        body += paging.navigation { DeveloperConsole.deliveriesPath + "?" + filters.string(page: $0) }
        return page(body: body)
    }

    /// Resend: a new delivery of the same payload, then back to the list (POST, redirect, GET).
    static func resend(_ segment: String, console: DeveloperConsole) -> HTTPResponse {
        guard let id = Int(segment), let copy = console.deliveries.resend(id: id) else {
            return page(body: "<p>There is no delivery <code>\(HTML.escape(segment))</code> (it may have been dropped or reset).</p>", status: 404)
        }
        console.wake()
        return DashboardHTML.seeOther(DeveloperConsole.deliveriesPath + "?resent=\(copy.id)")
    }

    private static func page(body: String, status: Int = 200) -> HTTPResponse {
        DashboardHTML.response(DashboardHTML.document(title: "Deliveries", active: DeveloperConsole.deliveriesPath, body: body), status: status)
    }

    private static func form(_ filter: ConsoleQuery?) -> String {
        """
        <form class="filters" method="get" action="\(DeveloperConsole.deliveriesPath)" role="search">
        \(ConsoleText.select("State", "state", Delivery.State.allCases.map { ($0.rawValue, $0.rawValue) }, filter?["state"]?.lowercased()))
        \(ConsoleText.select("Channel", "channel", [("direct", "Direct feedback"), ("notification", "Notification")], filter?["channel"]?.lowercased()))
        \(ConsoleText.input("Merchant", "merchant_identifier", filter?["merchant_identifier"]))
        \(ConsoleText.input("Invoice number", "payment_link_id", filter?["payment_link_id"]))
        <button type="submit">Filter</button>
        </form>
        """
    }

    static func card(_ d: Delivery) -> String {
        let channel = d.channel == .direct ? "Direct transaction feedback" : "Notification feedback"
        var rows: [(String, String)] = [
            ("State", "<span class=\"state \(d.state.rawValue)\">\(d.state.rawValue)</span>"),
            ("Channel", HTML.escape(channel)),
            ("URL", "<code>\(HTML.escape(d.url))</code>"),
            ("Format", d.format == .json ? "JSON" : "form-encoded"),
            ("Merchant", HTML.escape(d.merchantIdentifier)),
            ("Created (UTC)", ISO8601.formatUTC(d.createdAt)),
            ("Next attempt (UTC)", d.nextAttemptAt.map(ISO8601.formatUTC) ?? ""),
            ("fort_id", HTML.escape(d.fortID ?? "")),
        ]
        if let link = d.paymentLinkID {
            rows.append(("Invoice", "<a href=\"\(HTML.escape(Dashboard.linkPath(link)))\">\(HTML.escape(link))</a>"))
        }
        var html = "<section class=\"record\" id=\"delivery-\(d.id)\"><h2>Delivery \(d.id): \(HTML.escape(d.event))</h2>" + ConsoleText.fields(rows)
        html += "<details><summary>Payload (\(d.payload.members.count) parameters, signed)</summary>\(ConsoleText.block(ConsoleText.pretty(.object(d.payload))))</details>"
        if d.attempts.isEmpty {
            html += "<p class=\"hint\">Not attempted yet.</p>"
        } else {
            html += "<table class=\"attempts\"><thead><tr><th>#</th><th>At (UTC, sandbox clock)</th><th>Answer</th></tr></thead><tbody>"
            for (number, attempt) in d.attempts.enumerated() {
                let answer = attempt.status.map { "HTTP \($0)" + (attempt.acknowledged ? " (acknowledged)" : " (not acknowledged)") }
                    ?? HTML.escape(attempt.error ?? "no answer")
                // Where `notifications.rewrite` sent it, when that is not the merchant's URL.
                let rewritten = attempt.deliveredTo.map { "<br><span class=\"hint\">sent to \(HTML.escape($0))</span>" } ?? ""
                html += "<tr><td class=\"num\">\(number + 1)</td><td>\(ISO8601.formatUTC(attempt.at))</td><td>\(answer)\(rewritten)</td></tr>"
            }
            html += "</tbody></table>"
        }
        html += """
        <form class="inline" method="post" action="\(DeveloperConsole.deliveriesPath)/\(d.id)/resend">\
        <button type="submit">Resend</button> <span class="hint">the same signed payload to the same URL, as a new delivery</span></form>
        """
        return html + "</section>"
    }
}
