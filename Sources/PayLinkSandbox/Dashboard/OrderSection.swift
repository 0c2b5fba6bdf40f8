import PayLinkCore
import PayLinkSupport

/// The invoice page's "Order" section: the APS order (transaction) paying the link created,
/// as CHECK_STATUS and the feedback report it: fort_id, authorization code, payment option,
/// masked card, and every capture, refund and void with its amount and time.
enum OrderSection {
    /// The link's order: the one still settling, else the newest for its merchant reference
    /// (a declined attempt's until the link is paid), if it belongs to this link.
    static func order(of link: PaymentLink, engine: LinkEngine) -> Order? {
        if let pending = link.pendingFortID, let order = engine.order(fortID: pending) { return order }
        guard let order = engine.order(merchant: link.merchantIdentifier, reference: link.merchantReference),
              order.paymentLinkID == link.id else { return nil }
        return order
    }

    static func html(_ link: PaymentLink, engine: LinkEngine) -> String {
        let id = HTML.escape(QueryParameters.encode(link.id))
        let related = "<p class=\"related\"><a href=\"\(DeveloperConsole.deliveriesPath)?payment_link_id=\(id)\">Feedback sent for this link</a> · "
            + "<a href=\"\(DeveloperConsole.outboxPath)?payment_link_id=\(id)\">Messages sent for it</a> · "
            + "<a href=\"\(DeveloperConsole.journalPath)?payment_link_id=\(id)\">Its requests</a></p>"
        guard let order = order(of: link, engine: engine) else { return related }
        func money(_ amount: Int64) -> String {
            (Currency(code: order.currency)?.format(minorUnits: amount) ?? String(amount)) + " " + HTML.escape(order.currency)
        }
        let status: String = switch order.status {
        case .approved: "Approved"
        case .declined(let code): "Declined (\(code.code) \(code.responseMessage))"
        case .uncertain(let at, _): "Uncertain (15777), resolves \(ISO8601.formatUTC(at))"
        }
        let payment = order.payment
        let rows: [(String, String)] = [
            ("fort_id", "<code class=\"fort-id\">\(HTML.escape(order.fortID))</code>"),
            ("Status", HTML.escape(status)),
            ("Command", order.command.rawValue),
            ("Authorization code", HTML.escape(order.authorizationCode)),
            ("Payment option", HTML.escape(payment.paymentOption ?? "")),
            ("Digital wallet", HTML.escape(payment.digitalWallet ?? "")),
            ("Card number", HTML.escape(payment.maskedCardNumber ?? "")),
            ("Card expiry (YYMM)", HTML.escape(payment.expiryDate ?? "")),
            ("Card holder", HTML.escape(payment.cardHolderName ?? "")),
            ("Phone number", HTML.escape(payment.phoneNumber ?? "")),
            ("Customer IP", HTML.escape(payment.customerIP ?? "")),
            ("Authorized", money(order.authorizedAmount)),
            ("Captured", money(order.capturedAmount)),
            ("Refunded", money(order.refundedAmount)),
            ("Voided", order.voided ? "yes" : ""),
            ("Created (UTC)", ISO8601.formatUTC(order.createdAt)),
        ]
        var html = "<h2 id=\"order\">Order</h2>" + ConsoleText.fields(rows)
        html += "<table class=\"operations\"><thead><tr><th>Operation</th><th>Amount</th><th>At (UTC)</th><th>Maintenance reference</th></tr></thead><tbody>"
        for operation in order.operations {
            html += "<tr><td>\(operation.command.rawValue)</td><td class=\"num\">\(money(operation.amount))</td>"
                + "<td>\(ISO8601.formatUTC(operation.at))</td><td>\(HTML.escape(operation.maintenanceReference ?? ""))</td></tr>"
        }
        html += "</tbody></table>"
        html += related
        return html
    }
}
