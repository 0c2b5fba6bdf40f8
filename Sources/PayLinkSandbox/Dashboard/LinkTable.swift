import PayLinkCore
import PayLinkExports

/// The dashboard's columns for a list of links: what the page shows and what every export
/// holds, so the four exports of one search have the same cells as the page.
///
/// Amounts are in the currency's major unit with its ISO 4217 decimals and no grouping
/// (`1250.00` SAR, `1250.500` KWD, `125000` JPY), as a person reads them and a spreadsheet sums
/// them; the API's minor-unit integer is `amount × 10^decimals`. Times are UTC, ISO 8601.
enum LinkTable {
    struct Column: Sendable {
        /// The API's field name where there is one: the XML element, and the CSV/Excel heading's
        /// source.
        var key: String
        var heading: String
        var numeric = false
        var value: @Sendable (LinkView, LinkURLs) -> String
    }

    static let columns: [Column] = [
        Column(key: "payment_link_id", heading: "Invoice number") { view, _ in view.link.id },
        Column(key: "merchant_reference", heading: "Merchant reference") { view, _ in view.link.merchantReference },
        Column(key: "merchant_identifier", heading: "Merchant") { view, _ in view.link.merchantIdentifier },
        Column(key: "payment_link_status", heading: "Status") { view, _ in view.state.rawValue },
        Column(key: "amount", heading: "Amount", numeric: true) { view, _ in plainAmount(view.link.amount, currency: view.link.currency) },
        Column(key: "currency", heading: "Currency") { view, _ in view.link.currency },
        Column(key: "customer_email", heading: "Customer e-mail") { view, _ in view.link.customerEmail },
        Column(key: "customer_name", heading: "Customer name") { view, _ in view.link.customerName ?? "" },
        Column(key: "customer_phone", heading: "Customer phone") { view, _ in view.link.customerPhone ?? "" },
        Column(key: "notification_type", heading: "Notification") { view, _ in view.link.notificationType },
        Column(key: "created_at", heading: "Created (UTC)") { view, _ in ISO8601.formatUTC(view.link.createdAt) },
        Column(key: "request_expiry_date", heading: "Expiry (UTC)") { view, _ in ISO8601.formatUTC(view.link.expiry) },
        Column(key: "paid_at", heading: "Paid (UTC)") { view, _ in view.link.paidAt.map(ISO8601.formatUTC) ?? "" },
        Column(key: "user_attempts_count", heading: "Attempts", numeric: true) { view, _ in String(view.link.userAttemptsCount) },
        Column(key: "payment_link", heading: "Payment link") { view, urls in urls.paymentLink(token: view.link.token) },
    ]

    static var keys: [String] { columns.map(\.key) }

    /// The columns a landscape A4 page has room for: the PDF is for reading, the other
    /// exports for machines and spreadsheets, which get every column.
    static let printedKeys = ["payment_link_id", "merchant_reference", "payment_link_status", "amount", "currency", "customer_email",
                              "created_at", "request_expiry_date", "user_attempts_count"]

    /// The table of `views` with every column, or only those whose key is in `keys`.
    static func table(_ views: [LinkView], urls: LinkURLs, title: String, keys: [String]? = nil) -> ExportTable {
        let chosen = keys.map { keys in columns.filter { keys.contains($0.key) } } ?? columns
        return ExportTable(title: title, columns: chosen.map(\.heading),
                           rows: views.map { view in chosen.map { $0.value(view, urls) } },
                           numericColumns: Set(chosen.indices.filter { chosen[$0].numeric }))
    }

    /// 125000 SAR → `1250.00`: the major unit with the currency's decimals, no grouping.
    static func plainAmount(_ minorUnits: Int64, currency code: String) -> String {
        guard let currency = Currency(code: code) else { return String(minorUnits) }
        return currency.format(minorUnits: minorUnits).filter { $0 != "," }
    }
}
