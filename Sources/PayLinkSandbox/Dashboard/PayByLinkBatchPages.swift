import PayLinkJSON
import PayLinkHTTP
import PayLinkCore
import PayLinkSupport

/// `/dashboard/paybylink/batches`: one subscription's batch files, newest first, and one batch
/// with its record counts, times and failed records (paged: a file may hold 100,000).
enum PayByLinkBatchPages {
    static func list(_ query: String?, console: DeveloperConsole) -> HTTPResponse {
        let keys = console.subscriptions()
        let filter: ConsoleQuery
        do { filter = try ConsoleQuery(query, allowed: ["subscription"]) } catch {
            return page("PayByLink batches", body: form(nil, keys: keys) + DashboardHTML.errors(["\(error.path): \(error.message)"]), status: 400)
        }
        let subscription = filter["subscription"] ?? keys.first ?? ""
        let batches = console.batches.batches(owner: .payByLink(subscription: subscription))
        var body = form(subscription, keys: keys) + PayByLinkPages.subNav(subscription, active: DeveloperConsole.batchesPath)
        body += "<div class=\"summary\"><span>\(batches.count) batch\(batches.count == 1 ? "" : "es") of subscription <code>\(HTML.escape(subscription))</code></span></div>"
        let paging = ConsolePage(requested: filter.page, total: batches.count)
        if batches.isEmpty {
            body += "<p>No batch file was uploaded for this subscription.</p>"
        } else {
            body += "<div class=\"scroll\"><table><thead><tr><th>Batch</th><th>File</th><th>Status</th><th>Records</th><th>Succeeded</th>"
                + "<th>Failed</th><th>Created (UTC)</th></tr></thead><tbody>"
            for batch in batches[paging.range] {
                let counts = batch.lifecycle
                body += "<tr><td><a href=\"\(HTML.escape(path(batch)))\">\(HTML.escape(batch.id))</a></td><td>\(HTML.escape(batch.fileName))</td>"
                    + "<td>\(badge(batch.status))</td><td class=\"num\">\(counts.totalRecords)</td><td class=\"num\">\(counts.succeededRecords)</td>"
                    + "<td class=\"num\">\(counts.failedRecords)</td><td>\(ISO8601.formatUTC(batch.createdAt))</td></tr>"
            }
            body += "</tbody></table></div>"
        }
        body += paging.navigation { DeveloperConsole.batchesPath + "?" + filter.string(page: $0) }
        return page("PayByLink batches", body: body)
    }

    static func detail(_ id: String, query: String?, console: DeveloperConsole) throws(HTTPErrorResponse) -> HTTPResponse {
        let parameters = QueryParameters.parse(query)
        let requested = parameters.first { $0.name == "page" }.flatMap { Int($0.value) } ?? 1
        let named = parameters.first { $0.name == "subscription" }?.value
        let candidates = named.map { [$0] } ?? console.subscriptions()
        guard let batch = candidates.lazy.compactMap({ console.batches.batch(id: id, owner: .payByLink(subscription: $0)) }).first,
              case .payByLink(let subscription) = batch.owner else {
            throw HTTPErrorResponse(page("No such batch", body: "<p>No subscription has a PayByLink batch <code>\(HTML.escape(id))</code>.</p>", status: 404))
        }
        let counts = batch.lifecycle
        let rows: [(String, String)] = [
            ("Status", badge(batch.status)),
            ("Subscription", "<code>\(HTML.escape(subscription))</code>"),
            ("File", HTML.escape(batch.fileName)),
            ("File size", batch.fileByteCount > 0 ? "\(batch.fileByteCount) bytes" : ""),
            ("Records", String(counts.totalRecords)),
            ("Processed", String(counts.processedRecords)),
            ("Succeeded", String(counts.succeededRecords)),
            ("Failed", String(counts.failedRecords)),
            ("Why the file was refused", HTML.escape(counts.failureReason ?? "")),
            ("Created (UTC)", ISO8601.formatUTC(batch.createdAt)),
            ("Uploaded (UTC)", batch.uploadedAt.map(ISO8601.formatUTC) ?? ""),
            ("Confirmed (UTC)", batch.confirmedAt.map(ISO8601.formatUTC) ?? ""),
            ("Finished (UTC)", batch.finishedAt.map(ISO8601.formatUTC) ?? ""),
        ]
        var body = PayByLinkPages.subNav(subscription, active: "") + ConsoleText.fields(rows)
        body += "<h2>Failed records</h2>"
        if batch.failures.isEmpty {
            body += "<p>None\(batch.status.isFinished ? "" : " so far").</p>"
        } else {
            // Shown in file order: fixing a file goes from its top.
            let paging = ConsolePage(requested: requested, total: batch.failures.count)
            body += "<table class=\"failures\"><thead><tr><th>Line</th><th>Record</th><th>Errors</th></tr></thead><tbody>"
            for failure in batch.failures[paging.range] {
                let errors = failure.errors.map { "<li><code>\(HTML.escape($0.path))</code> \(HTML.escape($0.message))</li>" }.joined()
                body += "<tr><td class=\"num\">\(failure.line)</td><td><code>\(HTML.escape(failure.raw))</code></td><td><ul>\(errors)</ul></td></tr>"
            }
            body += "</tbody></table>"
            body += paging.navigation(previous: "Previous", next: "Next") { "\(path(batch))&page=\($0)" }
        }
        return page("PayByLink batch \(batch.id)", body: body)
    }

    static func path(_ batch: Batch) -> String {
        guard case .payByLink(let subscription) = batch.owner else { return DeveloperConsole.batchesPath }
        return DeveloperConsole.batchesPath + "/" + QueryParameters.encode(batch.id) + "?subscription=" + QueryParameters.encode(subscription)
    }

    private static func badge(_ status: BatchStatus) -> String {
        "<span class=\"state \(status.rawValue)\">\(status.rawValue)</span>"
    }

    private static func form(_ subscription: String?, keys: [String]) -> String {
        """
        <form class="filters" method="get" action="\(DeveloperConsole.batchesPath)" role="search">
        \(PayByLinkPages.subscriptionField(subscription, keys: keys))
        <button type="submit">Show</button>
        </form>
        """
    }

    private static func page(_ title: String, body: String, status: Int = 200) -> HTTPResponse {
        DashboardHTML.response(DashboardHTML.document(title: title, active: DeveloperConsole.payByLinkPath, body: body), status: status)
    }
}
