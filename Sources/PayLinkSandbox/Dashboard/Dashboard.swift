import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkAPS
import PayLinkSupport

/// `/dashboard`: the back office of APS's Invoice Management tab, for people.
/// Links are listed and filtered by date range, state, merchant and text, exported (CSV, XML,
/// Excel, PDF), generated one at a time or in bulk, closed, reopened and extended.
///
/// Every change goes through the same command as the API (`PAYMENT_LINK`,
/// `UPDATE_PAYMENT_LINK`), so the dashboard applies the same checks, codes, state machine and
/// outbox messages; a refusal shows the APS code and message the API would have answered.
/// Pages are plain HTML forms (no script) that follow POST with a redirect.
struct Dashboard: Sendable {
    static let root = "/dashboard"
    static let newLinkPath = "/dashboard/links/new"
    static let bulkPath = "/dashboard/bulk"
    static let linksPrefix = "/dashboard/links/"
    static let exportPrefix = "/dashboard/export."

    let engine: LinkEngine
    let merchants: MerchantDirectory
    let urls: LinkURLs
    /// Changes go through the API's own commands.
    let backOffice: APSBackOffice
    /// The developer console's pages (outbox, deliveries, journal, signatures, PayByLink).
    let console: DeveloperConsole

    /// The invoice page's path: the ID percent-encoded as a path segment (IDs may hold letters
    /// of any script, and a snapshot may hold any character).
    static func linkPath(_ id: String) -> String { linksPrefix + QueryParameters.encode(id) }

    /// A path segment percent-decoded (`+` stays a plus: that is a query-string rule).
    static func decodePathSegment(_ segment: String) -> String? {
        guard segment.contains("%") else { return segment }
        var bytes: [UInt8] = []
        var input = Array(segment.utf8)[...]
        while let byte = input.popFirst() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard input.count >= 2, let value = UInt8(String(decoding: input.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
            input = input.dropFirst(2)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The pages, relative to `/dashboard/`.
    func router() -> Router {
        var router = Router()
        // The list, its exports and bulk generation grow with the links: off the loop.
        router.getOrHead("", offLoop: true) { request, _ in DashboardPages.list(request.query, dashboard: self) }
        router.getOrHead("links/new") { _, _ in
            DashboardHTML.response(DashboardPages.newLink(LinkForm(), merchants: merchants.all, problems: []))
        }
        router.post("links") { request, _ in create(FormBody(request)) }
        router.getOrHead("bulk") { _, _ in
            DashboardHTML.response(DashboardPages.bulk(text: "", merchants: merchants.all, selected: nil, problems: []))
        }
        router.post("bulk", offLoop: true) { request, _ in bulk(FormBody(request)) }
        for format in DashboardExport.Format.allCases {
            router.getOrHead("export.\(format.rawValue)", offLoop: true) { request, _ in
                DashboardExport.response(format, query: request.query, dashboard: self)
            }
        }
        router.getOrHead("links/{id}") { request, path in
            let view = try link(path["id"])
            let done = QueryParameters.parse(request.query).first { $0.name == "done" }?.value
            return DashboardHTML.response(DashboardPages.detail(view, dashboard: self, done: done, problems: []))
        }
        router.post("links/{id}") { request, path in update(try link(path["id"]), FormBody(request)) }
        console.register(in: &router, dashboard: self)
        return router
    }

    /// The link an invoice page's path names, or the page saying there is none.
    private func link(_ segment: String) throws(HTTPErrorResponse) -> LinkView {
        let id = Self.decodePathSegment(segment) ?? segment
        guard let view = engine.link(id: id) else {
            throw HTTPErrorResponse(DashboardHTML.response(DashboardHTML.document(
                title: "No such payment link", active: "",
                body: "<p>There is no payment link with the invoice number <code>\(HTML.escape(id))</code>.</p>"), status: 404))
        }
        return view
    }

    // MARK: actions

    /// "Generate link": `PAYMENT_LINK` for the chosen merchant.
    private func create(_ body: FormBody) -> HTTPResponse {
        let form = LinkForm(body)
        let all = merchants.all
        guard let merchant = merchants[form.merchant] ?? (form.merchant.isEmpty ? all.first : nil) else {
            return DashboardHTML.response(DashboardPages.newLink(form, merchants: all, problems: ["Choose one of the configured merchants."]), status: 422)
        }
        let parameters: JSONObject
        do { parameters = try form.parameters(currency: form.currency) } catch {
            return DashboardHTML.response(DashboardPages.newLink(form, merchants: all, problems: [error.message]), status: 422)
        }
        do {
            let result = try backOffice.createLink(parameters, merchant: merchant)
            let id = result.fields.first { $0.0 == "payment_link_id" }?.1 ?? ""
            return DashboardHTML.seeOther(Self.linkPath(id) + "?done=created")
        } catch {
            return DashboardHTML.response(DashboardPages.newLink(form, merchants: all, problems: [Self.describe(error)]), status: 422)
        }
    }

    /// The invoice page's form: "select the Close checkbox, and save" / "update the expiry
    /// date, and save" (and reopen a closed link): `UPDATE_PAYMENT_LINK`.
    private func update(_ view: LinkView, _ body: FormBody) -> HTTPResponse {
        guard let merchant = merchants[view.link.merchantIdentifier] else {
            return DashboardHTML.response(DashboardPages.detail(view, dashboard: self, done: nil, problems: ["The link's merchant is no longer configured."]), status: 409)
        }
        var parameters: JSONObject = [
            "service_command": "UPDATE_PAYMENT_LINK", "payment_link_id": .string(view.link.id), "language": .string(view.link.language),
        ]
        var done: [String] = []
        if body.nonEmpty("close") != nil {
            parameters["payment_link_status"] = "Closed"
            done.append("closed")
        } else if body.nonEmpty("reopen") != nil {
            parameters["payment_link_status"] = "Open"
            done.append("reopened")
        }
        if let expiry = body.nonEmpty("request_expiry_date") {
            guard let iso = LinkForm.expiry(expiry) else {
                return DashboardHTML.response(DashboardPages.detail(view, dashboard: self, done: nil, problems: ["Expiry date: use a date and time such as 2026-12-31T23:59 (UTC)."]), status: 422)
            }
            parameters["request_expiry_date"] = .string(iso)
            done.append("extended")
        }
        guard !done.isEmpty else {
            return DashboardHTML.response(DashboardPages.detail(view, dashboard: self, done: nil, problems: ["Nothing to save: tick Close or Reopen, or give a new expiry date."]), status: 422)
        }
        do {
            _ = try backOffice.updateLink(parameters, merchant: merchant)
            return DashboardHTML.seeOther(Self.linkPath(view.link.id) + "?done=" + done.joined(separator: "+"))
        } catch {
            let current = engine.link(id: view.link.id) ?? view
            // The link's state refused it (409), or what was typed is wrong (422).
            let status = Self.stateRefusals.contains(error.code.message) ? 409 : 422
            return DashboardHTML.response(DashboardPages.detail(current, dashboard: self, done: nil, problems: [Self.describe(error)]), status: status)
        }
    }

    /// "Bulk generate": CSV in the APS batch file's format (`APSBatchFile`), one
    /// `PAYMENT_LINK` per record, answered at once with a result per line.
    private func bulk(_ body: FormBody) -> HTTPResponse {
        let all = merchants.all
        let text = body["csv"]
        guard let merchant = merchants[body["merchant_identifier"]] ?? (body["merchant_identifier"].isEmpty ? all.first : nil) else {
            return DashboardHTML.response(DashboardPages.bulk(text: text, merchants: all, selected: nil, problems: ["Choose one of the configured merchants."]), status: 422)
        }
        var reader = CSVReader(Array(text.utf8))
        guard let header = reader.next(), !header.fields.allSatisfy({ $0.isEmpty }) else {
            return DashboardHTML.response(DashboardPages.bulk(text: text, merchants: all, selected: merchant.identifier,
                                                              problems: ["Paste a CSV whose first line names the columns."]), status: 422)
        }
        let columns: [String]
        switch APSBatchFile.columns(header) {
        case .failure(let rejection):
            return DashboardHTML.response(DashboardPages.bulk(text: text, merchants: all, selected: merchant.identifier,
                                                              problems: ["Header line: \(rejection.reason)."]), status: 422)
        case .success(let names): columns = names
        }
        var records: [CSVRecord] = []
        while let record = reader.next() {
            if record.fields.allSatisfy({ $0.isEmpty }) { continue }
            // Counted before any runs: a refused form creates nothing.
            guard records.count < Self.maxBulkRecords else {
                return DashboardHTML.response(DashboardPages.bulk(text: text, merchants: all, selected: merchant.identifier,
                                                                  problems: ["At most \(Self.maxBulkRecords) links at once; use a batch file for more."]), status: 422)
            }
            records.append(record)
        }
        var results: [[String]] = []
        for record in records {
            let outcome = backOffice.createFromBatchRecord(record, columns: columns, merchant: merchant, language: "en")
            results.append(outcome.result ?? [String(record.line)])
        }
        return DashboardHTML.response(DashboardPages.bulkResults(results, merchant: merchant))
    }

    /// Message codes that mean the link's state refused a change (rather than the input being
    /// wrong): expired 115, already processed 117, paid 125, already open 150, closed 773, a
    /// payment pending 784.
    static let stateRefusals: Set<String> = ["115", "117", "125", "150", "773", "784"]

    /// Records per bulk form; larger files go through the batch API, which runs in the background.
    static let maxBulkRecords = 5_000

    static func describe(_ failure: APSFailure) -> String {
        "\(failure.code.code) \(failure.code.responseMessage) (\(failure.detail))"
    }
}
