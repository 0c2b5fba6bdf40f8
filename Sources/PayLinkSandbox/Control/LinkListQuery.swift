import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// The query string of `GET /__sandbox/links`: filters, and a bounded page.
///
/// - `payment_link_status` (or `status`): `Open`, `Paid`, `Closed`, `Expired`, the state now.
/// - `merchant_identifier`, `merchant_reference`: exactly.
/// - `created_from` (inclusive), `created_to` (exclusive): ISO 8601 date-times
///   (`2026-01-31T09:00:00Z`, `2026-01-31T12:00:00+03:00`) or dates (`2026-01-31`, that day's
///   00:00 UTC), so `created_from=2026-01-01&created_to=2026-02-01` is all of January.
/// - `q`: text found, ignoring case, in the link ID, merchant reference, customer e-mail or
///   customer name (what the dashboard's search looks in).
/// - `limit`: links per page, 1 to 10,000 (default 1,000).
/// - `after`: a `payment_link_id`; the page starts with the first match created after it.
struct LinkListQuery: Equatable {
    var filter = LinkQuery()
    var limit = LinkListQuery.defaultLimit
    var after: String?
    /// The filters as given (without `after`), for the next page's URL.
    var kept: [(name: String, value: String)] = []

    static let defaultLimit = 1_000
    static let maxLimit = 10_000
    static let names = ["payment_link_status", "status", "merchant_identifier", "merchant_reference", "created_from", "created_to", "q", "limit", "after"]

    static func == (lhs: LinkListQuery, rhs: LinkListQuery) -> Bool {
        lhs.filter == rhs.filter && lhs.limit == rhs.limit && lhs.after == rhs.after
            && lhs.kept.map(\.name) == rhs.kept.map(\.name) && lhs.kept.map(\.value) == rhs.kept.map(\.value)
    }

    /// The query for a query string, or the first problem with it (naming the parameter).
    static func parse(_ query: String?) throws(FieldProblem) -> LinkListQuery {
        var list = LinkListQuery()
        for (name, value) in QueryParameters.parse(query) {
            switch name {
            case "payment_link_status", "status":
                guard let state = LinkState(rawValue: value) else { throw FieldProblem(path: name, message: "must be Open, Paid, Closed or Expired") }
                list.filter.state = state
            case "merchant_identifier": list.filter.merchant = value
            case "merchant_reference": list.filter.reference = value
            case "created_from", "created_to":
                guard let instant = ISO8601.parseDateTime(value) ?? ISO8601.parseDate(value) else {
                    throw FieldProblem(path: name, message: "must be an ISO 8601 date-time (2026-01-31T09:00:00Z) or date (2026-01-31)")
                }
                if name == "created_from" { list.filter.createdFrom = instant } else { list.filter.createdBefore = instant }
            case "q":
                guard LinkQuery.isSearchable(value) else { throw FieldProblem(path: name, message: "must not hold control characters") }
                list.filter.text = value.isEmpty ? nil : value
            case "limit":
                guard let limit = Int(value), (1...maxLimit).contains(limit) else {
                    throw FieldProblem(path: name, message: "must be a whole number from 1 to \(maxLimit)")
                }
                list.limit = limit
            case "after":
                guard !value.isEmpty else { throw FieldProblem(path: name, message: "must be a payment_link_id") }
                list.after = value
                continue
            default:
                throw FieldProblem(path: name, message: "is not a filter; use \(names.joined(separator: ", "))")
            }
            list.kept.append((name, value))
        }
        return list
    }

    /// The `Link` header's target for the page after `last`: the same filters and limit.
    func next(after last: String) -> String {
        let pairs = kept.filter { $0.name != "after" } + [("after", last)]
        return "/__sandbox/links?" + pairs.map { "\($0.name)=\(QueryParameters.encode($0.value))" }.joined(separator: "&")
    }
}
