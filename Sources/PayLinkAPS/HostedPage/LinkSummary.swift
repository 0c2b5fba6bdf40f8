import PayLinkCore
import PayLinkSupport

/// The invoice details every hosted page shows at the top: merchant, amount in the currency's
/// decimals, description, customer and expiry.
enum LinkSummary {
    static func html(_ link: PaymentLink, text: PageText) -> String {
        let amount = Currency(code: link.currency).map { $0.format(minorUnits: link.amount) } ?? String(link.amount)
        var rows: [(String, String)] = [(text.merchant, link.merchantIdentifier), (text.reference, link.merchantReference)]
        if let description = link.orderDescription { rows.append((text.orderDescription, description)) }
        if let name = link.customerName { rows.append((text.customer, name)) }
        // Each value is isolated (bdi) so Latin text keeps its order on a right-to-left page.
        var items = rows.map { "<dt>\(HTML.escape($0.0))</dt><dd><bdi>\(HTML.escape($0.1))</bdi></dd>" }.joined()
        items += "<dt>\(HTML.escape(text.expires))</dt><dd><bdi dir=\"ltr\">\(HTML.escape(humanTime(link.expiry)))</bdi></dd>"
        return """
        <h1>\(HTML.escape(text.title))</h1>
        <p class="amount" data-testid="amount">\(HTML.escape(amount)) \(HTML.escape(link.currency))</p>
        <dl class="summary">\(items)</dl>
        """
    }

    /// `2026-01-01 12:30 UTC`: the sandbox clock's time, to the minute.
    static func humanTime(_ instant: SandboxInstant) -> String {
        let iso = ISO8601.formatUTC(instant)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
    }
}
