import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkAPS
import PayLinkExports
import PayLinkSupport

/// "Export results in XML, CSV, Excel, or PDF format": every link the search matches (all
/// pages), newest first, as a download named after the sandbox date
/// (`payment-links-2026-01-01.xlsx`). At most `maxRows` links: a larger search is refused
/// (422) rather than stalling the server while it writes.
enum DashboardExport {
    enum Format: String, CaseIterable, Sendable {
        case csv, xml, xlsx, pdf

        var label: String {
            switch self {
            case .csv: "CSV"
            case .xml: "XML"
            case .xlsx: "Excel"
            case .pdf: "PDF"
            }
        }

        var contentType: String {
            switch self {
            case .csv: "text/csv; charset=utf-8"
            case .xml: "application/xml; charset=utf-8"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .pdf: "application/pdf"
            }
        }
    }

    /// The most links one export holds (about a second of writing for the PDF).
    static let maxRows = 20_000

    static func response(_ format: Format, query: String?, dashboard: Dashboard) -> HTTPResponse {
        var filter: LinkFilter
        do { filter = try LinkFilter.parse(query) } catch {
            return JSONResponses.error(400, "invalid_query", "\(error.path): \(error.message)", extra: ["field": .string(error.path)])
        }
        filter.page = 1
        let now = dashboard.engine.clock.now()
        // One pass counts the matches and reads at most `maxRows` of them.
        let (views, total) = dashboard.engine.links(matching: filter.query, newestFirst: 0, limit: maxRows)
        // Bounded, so one export cannot hold the slow-work queue for long: a narrower search for more.
        guard total <= maxRows else {
            return JSONResponses.error(422, "export_too_large", "\(total) links match; an export holds at most \(maxRows): narrow the search (from, to, payment_link_status, merchant_identifier, q)",
                                       extra: ["count": .number(String(total)), "max_rows": .number(String(maxRows))])
        }
        let table = LinkTable.table(views, urls: dashboard.urls, title: "Payment links", keys: format == .pdf ? LinkTable.printedKeys : nil)
        let body: [UInt8]
        switch format {
        case .csv: body = CSVWriter.document(table)
        case .xml: body = XMLWriter.document(table, keys: LinkTable.keys)
        case .xlsx: body = XLSXWriter.workbook(table, sheetName: "Payment links")
        case .pdf: body = PDFWriter.document(table, subtitle: subtitle(filter, count: views.count, at: now))
        }
        let name = "payment-links-\(ISO8601.formatUTC(now).prefix(10)).\(format.rawValue)"
        return HTTPResponse(status: 200, headers: [
            "Content-Type": format.contentType,
            "Content-Disposition": "attachment; filename=\"\(name)\"",
            "Cache-Control": "no-store",
        ], body: body)
    }

    /// What the PDF's reader needs to know about the list: when, and which search.
    private static func subtitle(_ filter: LinkFilter, count: Int, at now: SandboxInstant) -> String {
        var parts = ["\(count) link\(count == 1 ? "" : "s")", "exported \(ISO8601.formatUTC(now)) (sandbox clock)"]
        let query = QueryParameters.parse(filter.query()).map { "\($0.name) \($0.value)" }
        if !query.isEmpty { parts.append("search: " + query.joined(separator: ", ")) }
        return parts.joined(separator: " · ")
    }
}
