import PayLinkJSON
import PayLinkCore
import PayLinkSupport

/// The dashboard's search (APS's Invoice Management: "filter the desired date range and click
/// Search"), read from the query string so a filtered list, its pages and its exports are
/// plain links that can be bookmarked and scripted:
///
/// `?from=2026-01-01&to=2026-01-31&payment_link_status=Open&merchant_identifier=CycHZxVj&q=order-7&page=2`
///
/// - `from`, `to`: the creation date range, whole UTC days, both ends included.
/// - `payment_link_status`: `Open`, `Paid`, `Closed` or `Expired` (the state now, on the
///   sandbox clock).
/// - `merchant_identifier`: one merchant's links.
/// - `q`: text found, ignoring case, in the link ID (the invoice number), merchant reference,
///   customer e-mail or customer name (no control characters).
/// - `page`: which 100 of the matches the page shows (exports hold them all).
///
/// Empty values mean "any". Unknown names and bad values are refused, naming the field, rather
/// than ignored: a typo should not silently show every link.
struct LinkFilter: Sendable, Equatable {
    var from: SandboxInstant?
    /// The start of the day after `to`: creation must be before it.
    var toExclusive: SandboxInstant?
    var status: LinkState?
    var merchant: String?
    var text: String?
    var page = 1

    static let pageSize = 100
    static let names = ["from", "to", "payment_link_status", "merchant_identifier", "q", "page"]

    /// The filter for a query string, or the first problem with it.
    static func parse(_ query: String?) throws(FieldProblem) -> LinkFilter {
        var filter = LinkFilter()
        for (name, raw) in QueryParameters.parse(query) {
            let value = raw.trimmingWhitespace
            guard names.contains(name) else {
                throw FieldProblem(path: name, message: "is not a filter; use \(names.joined(separator: ", "))")
            }
            guard !value.isEmpty else { continue }
            switch name {
            case "from", "to":
                guard let day = ISO8601.parseDate(value), value.utf8.count == 10 else {
                    throw FieldProblem(path: name, message: "must be a date such as 2026-01-31")
                }
                if name == "from" { filter.from = day } else { filter.toExclusive = day.adding(seconds: 86_400) }
            case "payment_link_status":
                guard let state = LinkState(rawValue: value) else {
                    throw FieldProblem(path: name, message: "must be Open, Paid, Closed or Expired")
                }
                filter.status = state
            case "merchant_identifier":
                filter.merchant = value
            case "q":
                guard LinkQuery.isSearchable(value) else { throw FieldProblem(path: name, message: "must not hold control characters") }
                filter.text = value
            default:
                guard let page = Int(value), page >= 1, page <= 1_000_000 else {
                    throw FieldProblem(path: name, message: "must be a whole number from 1")
                }
                filter.page = page
            }
        }
        if let from = filter.from, let to = filter.toExclusive, to <= from {
            throw FieldProblem(path: "to", message: "must not be before from")
        }
        return filter
    }

    /// The search the engine's index answers (newest first, as a back office lists invoices).
    var query: LinkQuery {
        LinkQuery(merchant: merchant, state: status, createdFrom: from, createdBefore: toExclusive, text: text)
    }

    /// The query string for this filter, for links to other pages and to the exports.
    func query(page: Int? = nil) -> String {
        var pairs: [(String, String)] = []
        if let from { pairs.append(("from", String(ISO8601.formatUTC(from).prefix(10)))) }
        if let toExclusive { pairs.append(("to", String(ISO8601.formatUTC(toExclusive.adding(seconds: -86_400)).prefix(10)))) }
        if let status { pairs.append(("payment_link_status", status.rawValue)) }
        if let merchant { pairs.append(("merchant_identifier", merchant)) }
        if let text { pairs.append(("q", text)) }
        if let page, page > 1 { pairs.append(("page", String(page))) }
        return pairs.map { "\($0.0)=\(QueryParameters.encode($0.1))" }.joined(separator: "&")
    }
}
