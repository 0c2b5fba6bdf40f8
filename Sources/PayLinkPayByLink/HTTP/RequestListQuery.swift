import PayLinkCore
import PayLinkHTTP

/// The filters and paging of `GET /requests`. At least one filter is required; parameter
/// names match case-insensitively.
///
/// - `CustomerName`: part of "FirstName LastName", any case.
/// - `Amount`: the total, exactly (`12.50`).
/// - `AccountReference`: exactly, any case. `ClientTransactionRef`: exactly.
/// - `Status`: one of the statuses.
/// - `From`, `To`: creation time, inclusive; ISO dates (`To` a date means the end of that day) or date-times.
/// - `Page` from 1 (default 1), `PageSize` 1 to 100 (default 20).
package struct RequestListQuery: Sendable {
    package var customerName: String?
    package var amount: Int64?
    package var accountReference: String?
    package var clientTransactionRef: String?
    package var status: PayByLinkStatus?
    package var from: SandboxInstant?
    package var to: SandboxInstant?
    package var page = 1
    package var pageSize = 20

    package static let filters = ["CustomerName", "Amount", "AccountReference", "ClientTransactionRef", "Status", "From", "To"]
    package static let known = filters + ["Page", "PageSize"]

    package static func read(_ parameters: [(name: String, value: String)]) throws(FieldErrors) -> RequestListQuery {
        var errors = FieldErrors()
        var query = RequestListQuery()
        var seen = Set<String>()
        var anyFilter = false
        for (rawName, value) in parameters {
            guard let name = known.first(where: { $0.lowercased() == rawName.lowercased() }) else {
                if rawName.lowercased() != "subscription-key" {
                    errors.add(rawName, "is not a known parameter; use \(known.joined(separator: ", "))")
                }
                continue
            }
            guard seen.insert(name).inserted else { errors.add(name, "appears more than once"); continue }
            if filters.contains(name) { anyFilter = true }
            switch name {
            case "CustomerName":
                if value.isEmpty { errors.add(name, "must not be empty") } else { query.customerName = value.lowercased() }
            case "Amount":
                if let pence = PoundAmount.pence(value), pence > 0 { query.amount = pence } else { errors.add(name, "must be an amount in pounds, e.g. 12.50") }
            case "AccountReference":
                if value.isEmpty { errors.add(name, "must not be empty") } else { query.accountReference = value.lowercased() }
            case "ClientTransactionRef":
                if value.isEmpty { errors.add(name, "must not be empty") } else { query.clientTransactionRef = value }
            case "Status":
                if let status = PayByLinkStatus(name: value) { query.status = status }
                else { errors.add(name, "must be one of \(PayByLinkStatus.allCases.map(\.rawValue).joined(separator: ", "))") }
            case "From":
                if let instant = ISO8601.parseDateTime(value) ?? ISO8601.parseDate(value) { query.from = instant }
                else { errors.add(name, "must be an ISO date (2026-04-01) or date-time (2026-04-01T09:00:00Z)") }
            case "To":
                if let instant = ISO8601.parseDateTime(value) { query.to = instant }
                else if let day = ISO8601.parseDate(value) { query.to = day.adding(milliseconds: 86_400_000 - 1) }
                else { errors.add(name, "must be an ISO date (2026-04-01) or date-time (2026-04-01T09:00:00Z)") }
            case "Page":
                if let page = Int(value), page >= 1, page <= 1_000_000 { query.page = page } else { errors.add(name, "must be a whole number from 1") }
            default:  // PageSize
                if let size = Int(value), (1...100).contains(size) { query.pageSize = size } else { errors.add(name, "must be a whole number from 1 to 100") }
            }
        }
        if !anyFilter && errors.isEmpty {
            errors.add("Filters", "give at least one of \(filters.joined(separator: ", "))")
        }
        if let from = query.from, let to = query.to, to < from { errors.add("To", "must not be before From") }
        guard errors.isEmpty else { throw errors }
        return query
    }

    /// The filters that need no link: everything but `Status`.
    package func matchesStored(_ request: RequestForPayment) -> Bool {
        let draft = request.draft
        if let name = customerName, !draft.customer.fullName.lowercased().contains(name) { return false }
        if let amount, draft.amount != amount { return false }
        if let reference = accountReference, draft.accountReference.lowercased() != reference { return false }
        if let reference = clientTransactionRef, draft.clientTransactionRef != reference { return false }
        if let from, request.createdAt < from { return false }
        if let to, request.createdAt > to { return false }
        return true
    }
}
