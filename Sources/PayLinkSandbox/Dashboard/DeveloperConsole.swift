import PayLinkJSON
import PayLinkHTTP
import PayLinkCore
import PayLinkPayByLink
import PayLinkSupport

/// The dashboard's developer console: what the sandbox sent and recorded, for the person
/// integrating with it (the real back office has no such pages). The outbox as the customer
/// sees it, feedback deliveries with a resend button, the request journal with a signature
/// debugger, and PayByLink's requests and batches. A paid link's order is on its invoice page.
///
/// Read-only but for Resend; pages that grow with the state are built off the event loop and
/// paged, so a large state never stalls the API.
struct DeveloperConsole: Sendable {
    static let outboxPath = "/dashboard/outbox"
    static let deliveriesPath = "/dashboard/deliveries"
    static let journalPath = "/dashboard/journal"
    static let signaturePath = "/dashboard/signature"
    static let payByLinkPath = "/dashboard/paybylink"
    static let batchesPath = "/dashboard/paybylink/batches"

    /// Rows per page of every console list.
    static let pageSize = 50

    let outbox: Outbox
    let deliveries: DeliveryQueue
    let journal: Journal
    let payByLink: PayByLinkStore
    let batches: BatchEngine
    /// How the APS endpoint treats empty values in signatures; the debugger checks the same way.
    let emptyValues: EmptyValuePolicy
    /// The PayByLink subscription keys to offer (read when a page is built: they may change).
    let subscriptions: @Sendable () -> [String]
    /// Starts background work now, so a resent delivery goes out without waiting for a tick.
    let wake: @Sendable () -> Void

    /// The console's pages, relative to `/dashboard/`.
    func register(in router: inout Router, dashboard: Dashboard) {
        router.getOrHead("outbox", offLoop: true) { request, _ in OutboxPage.response(request.query, console: self) }
        router.getOrHead("deliveries", offLoop: true) { request, _ in DeliveriesPage.response(request.query, console: self) }
        router.post("deliveries/{id}/resend") { _, path in DeliveriesPage.resend(path["id"], console: self) }
        router.getOrHead("journal", offLoop: true) { request, _ in JournalPage.response(request.query, console: self, engine: dashboard.engine) }
        // Filling the form in from the journal reads the whole ring: off the loop.
        router.getOrHead("signature", offLoop: true) { request, _ in
            SignatureDebuggerPage.prefilled(request.query, console: self, merchants: dashboard.merchants)
        }
        router.post("signature") { request, _ in
            SignatureDebuggerPage.checked(FormBody(request), console: self, merchants: dashboard.merchants)
        }
        router.getOrHead("paybylink", offLoop: true) { request, _ in PayByLinkPages.requests(request.query, console: self) }
        router.getOrHead("paybylink/requests/{id}") { request, path in
            try PayByLinkPages.request(Dashboard.decodePathSegment(path["id"]) ?? path["id"], query: request.query, console: self)
        }
        router.getOrHead("paybylink/batches", offLoop: true) { request, _ in PayByLinkBatchPages.list(request.query, console: self) }
        router.getOrHead("paybylink/batches/{id}", offLoop: true) { request, path in
            try PayByLinkBatchPages.detail(Dashboard.decodePathSegment(path["id"]) ?? path["id"], query: request.query, console: self)
        }
    }
}

/// One page of a list, newest first, and the links to the pages beside it.
struct ConsolePage {
    var number: Int
    var count: Int
    var total: Int

    /// Page `requested` (from 1) of `total` rows; past the last page shows the last.
    init(requested: Int, total: Int, size: Int = DeveloperConsole.pageSize) {
        self.total = total
        count = max(1, (total + size - 1) / size)
        number = min(max(1, requested), count)
    }

    /// The rows of this page, when `total` rows are numbered 0 (the newest) onwards.
    var range: Range<Int> {
        let start = (number - 1) * DeveloperConsole.pageSize
        return min(start, total)..<min(start + DeveloperConsole.pageSize, total)
    }

    /// Links to the pages before and after ("Newer" and "Older" unless named); `link(page)`
    /// gives each page's URL.
    func navigation(previous: String = "Newer", next: String = "Older", _ link: (Int) -> String) -> String {
        guard count > 1 else { return "" }
        var html = "<nav class=\"pages\"><span>Page \(number) of \(count)</span>"
        if number > 1 { html += "<a href=\"\(HTML.escape(link(number - 1)))\" rel=\"prev\">\(previous)</a>" }
        if number < count { html += "<a href=\"\(HTML.escape(link(number + 1)))\" rel=\"next\">\(next)</a>" }
        return html + "</nav>"
    }
}

/// The filters of a console page: the query string's parameters, each name once, unknown
/// names refused (a typo should not silently show everything).
struct ConsoleQuery {
    private(set) var values: [String: String] = [:]
    var page = 1

    init(_ query: String?, allowed: [String]) throws(FieldProblem) {
        for (name, value) in QueryParameters.parse(query) {
            if name == "page" {
                guard let number = Int(value), number >= 1, number <= 1_000_000 else {
                    throw FieldProblem(path: name, message: "must be a whole number from 1")
                }
                page = number
                continue
            }
            guard allowed.contains(name) else {
                throw FieldProblem(path: name, message: "is not a filter here; use \(allowed.joined(separator: ", "))")
            }
            if !value.isEmpty { values[name] = value }
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// The same filters without `name` (a notice's parameter, not a filter to carry along).
    func without(_ name: String) -> ConsoleQuery {
        var copy = self
        copy.values[name] = nil
        return copy
    }

    /// The query string of these filters and `page`, for links to other pages.
    func string(page: Int? = nil) -> String {
        var pairs = values.sorted { $0.key < $1.key }.map { "\($0.key)=\(QueryParameters.encode($0.value))" }
        if let page, page > 1 { pairs.append("page=\(page)") }
        return pairs.joined(separator: "&")
    }
}
