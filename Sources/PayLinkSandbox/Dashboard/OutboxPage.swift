import PayLinkJSON
import PayLinkHTTP
import PayLinkCore
import PayLinkPayByLink
import PayLinkSupport

/// `/dashboard/outbox`: every e-mail and SMS the sandbox "sent", as the customer would see it,
/// newest first, with the filters `GET /__sandbox/outbox` has (`channel`, `payment_link_id`,
/// `recipient`, `merchant_identifier`).
///
/// The sandbox keeps no sender address (APS does not publish the one its e-mails come from), so
/// an e-mail's From names the service and the merchant it writes for.
enum OutboxPage {
    static let filters = ["channel", "payment_link_id", "recipient", "merchant_identifier"]

    static func response(_ query: String?, console: DeveloperConsole) -> HTTPResponse {
        let filter: ConsoleQuery
        do { filter = try ConsoleQuery(query, allowed: filters) } catch {
            return page(body: form(nil) + DashboardHTML.errors(["\(error.path): \(error.message)"]), status: 400)
        }
        var channel: OutboxMessage.Channel?
        if let wanted = filter["channel"] {
            guard let parsed = OutboxMessage.Channel(rawValue: wanted.uppercased()) else {
                return page(body: form(filter) + DashboardHTML.errors(["channel: must be EMAIL or SMS"]), status: 400)
            }
            channel = parsed
        }
        let messages = console.outbox.messages(channel: channel, paymentLinkID: filter["payment_link_id"], recipient: filter["recipient"],
                                               merchant: filter["merchant_identifier"])
        let paging = ConsolePage(requested: filter.page, total: messages.count)
        var body = form(filter)
        body += "<div class=\"summary\"><span>\(messages.count) message\(messages.count == 1 ? "" : "s")"
        let dropped = console.outbox.droppedCount
        if dropped > 0 { body += "; the \(dropped) oldest were dropped to keep the outbox within \(console.outbox.capacity)" }
        body += "</span></div>"
        if messages.isEmpty { body += "<p>Nothing was sent yet, or nothing matches.</p>" }
        body += "<ol class=\"outbox\">"
        for index in paging.range {
            let message = messages[messages.count - 1 - index]
            body += "<li>" + (message.channel == .email ? email(message) : sms(message)) + "</li>"
        }
        body += "</ol>" + paging.navigation { DeveloperConsole.outboxPath + "?" + filter.string(page: $0) }
        return page(body: body)
    }

    private static func page(body: String, status: Int = 200) -> HTTPResponse {
        DashboardHTML.response(DashboardHTML.document(title: "Outbox", active: DeveloperConsole.outboxPath, body: body), status: status)
    }

    private static func form(_ filter: ConsoleQuery?) -> String {
        """
        <form class="filters" method="get" action="\(DeveloperConsole.outboxPath)" role="search">
        \(ConsoleText.select("Channel", "channel", [("EMAIL", "E-mail"), ("SMS", "SMS")], filter?["channel"]?.uppercased()))
        \(ConsoleText.input("Invoice number", "payment_link_id", filter?["payment_link_id"]))
        \(ConsoleText.input("Recipient (exactly)", "recipient", filter?["recipient"]))
        \(ConsoleText.input("Merchant", "merchant_identifier", filter?["merchant_identifier"]))
        <button type="submit">Filter</button>
        </form>
        """
    }

    /// Who an e-mail says it is from: the service, for the merchant.
    private static func sender(_ message: OutboxMessage) -> String {
        message.merchantIdentifier == PayByLinkStore.ownerName
            ? "PayByLink (PayPoint)" : "Amazon Payment Services, for \(message.merchantIdentifier)"
    }

    private static func meta(_ message: OutboxMessage) -> String {
        var html = "<p class=\"meta\">#\(message.sequence) · sent \(ISO8601.formatUTC(message.sentAt)) (sandbox clock)"
        if let link = message.paymentLinkID {
            html += " · invoice <a href=\"\(HTML.escape(Dashboard.linkPath(link)))\">\(HTML.escape(link))</a>"
        }
        return html + "</p>"
    }

    static func email(_ message: OutboxMessage) -> String {
        """
        <article class="email" data-sequence="\(message.sequence)">
        <header><dl>
        <dt>From</dt><dd>\(HTML.escape(sender(message)))</dd>
        <dt>To</dt><dd>\(HTML.escape(message.recipient))</dd>
        <dt>Subject</dt><dd class="subject">\(HTML.escape(message.subject ?? ""))</dd>
        </dl></header>
        <div class="body" dir="auto">\(ConsoleText.linkified(message.text))</div>
        \(meta(message))
        </article>
        """
    }

    static func sms(_ message: OutboxMessage) -> String {
        """
        <article class="sms" data-sequence="\(message.sequence)">
        <div class="phone"><p class="to">To \(HTML.escape(message.recipient))</p>
        <p class="bubble" dir="auto">\(ConsoleText.linkified(message.text))</p></div>
        \(meta(message))
        </article>
        """
    }
}
