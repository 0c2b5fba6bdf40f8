import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkAPS

/// `GET /__sandbox/journal?…`: the journal filtered by `path` (prefix), `method`, `status`,
/// `command` (APS `service_command`/`query_command`/`command`), `payment_link_id`,
/// `merchant_reference`, `merchant_identifier` (in the request or the response), `since` and
/// `until` (ISO 8601, sandbox time), newest `limit` (default 100), oldest first.
struct JournalQuery {
    var path: String?
    var method: String?
    var status: Int?
    var command: String?
    var paymentLinkID: String?
    var merchantReference: String?
    var merchantIdentifier: String?
    var since: SandboxInstant?
    var until: SandboxInstant?
    var limit = 100

    init(_ parameters: [(name: String, value: String)]) throws(FieldProblem) {
        for (name, value) in parameters {
            switch name {
            case "path": path = value
            case "method": method = value.uppercased()
            case "status":
                guard let n = Int(value) else { throw FieldProblem(path: name, message: "status must be an HTTP status code") }
                status = n
            case "command": command = value
            case "payment_link_id": paymentLinkID = value
            case "merchant_reference": merchantReference = value
            case "merchant_identifier": merchantIdentifier = value
            case "since", "until":
                guard let instant = ISO8601.parseDateTime(value) else {
                    throw FieldProblem(path: name, message: "\(name) must be ISO 8601 with a time zone, e.g. 2026-01-01T00:00:00Z")
                }
                if name == "since" { since = instant } else { until = instant }
            case "limit":
                guard let n = Int(value), n > 0 else { throw FieldProblem(path: name, message: "limit must be a positive whole number") }
                limit = n
            default:
                throw FieldProblem(path: name, message: "unknown filter \(name); use path, method, status, command, payment_link_id, merchant_reference, merchant_identifier, since, until or limit")
            }
        }
    }

    /// The matching entries as JSON, with APS bodies parsed and 008 refusals diagnosed.
    /// `linkOfToken` finds the link behind a hosted page (`/pay/{token}`, its 3-D Secure and
    /// OTP steps), whose requests name no link themselves: the link filters take them in too.
    func run(_ journal: Journal, linkOfToken: (String) -> PaymentLink? = { _ in nil }) -> JSONObject {
        var matched: [JSONObject] = []
        for entry in journal.entries().reversed() {
            guard matched.count < limit else { break }
            if let path, !entry.path.hasPrefix(path) { continue }
            if let method, entry.method != method { continue }
            if let status, entry.status != status { continue }
            if let since, entry.at < since { continue }
            if let until, until < entry.at { continue }
            let request = Self.object(entry.requestBody), response = Self.object(entry.responseBody)
            if let command, ![request?["service_command"], request?["query_command"], request?["command"]].contains(.string(command)) { continue }
            let page = paymentLinkID == nil && merchantReference == nil && merchantIdentifier == nil ? nil : Self.hostedPageLink(entry, linkOfToken)
            if !Self.matches(paymentLinkID, "payment_link_id", request, response, page?.id) { continue }
            if !Self.matches(merchantReference, "merchant_reference", request, response, page?.merchantReference) { continue }
            if !Self.matches(merchantIdentifier, "merchant_identifier", request, response, page?.merchantIdentifier) { continue }
            matched.append(Self.json(entry, request: request, response: response))
        }
        return ["entries": .array(matched.reversed().map { .object($0) }), "count": .number(String(matched.count)),
                "total_recorded": .number(String(journal.totalRecorded)), "capacity": .number(String(journal.capacity))]
    }

    private static func matches(_ wanted: String?, _ field: String, _ request: JSONObject?, _ response: JSONObject?, _ page: String?) -> Bool {
        guard let wanted else { return true }
        return page == wanted || request?[field]?.stringValue == wanted || response?[field]?.stringValue == wanted
    }

    /// The link whose hosted page the entry is a request to, if it is one.
    private static func hostedPageLink(_ entry: Journal.Entry, _ linkOfToken: (String) -> PaymentLink?) -> PaymentLink? {
        guard entry.path.hasPrefix(LinkURLs.hostedPagePrefix),
              let token = entry.path.dropFirst(LinkURLs.hostedPagePrefix.count).split(separator: "/").first else { return nil }
        return linkOfToken(String(token))
    }

    static func object(_ body: [UInt8]) -> JSONObject? {
        guard body.first == UInt8(ascii: "{"), let value = try? JSONParser.parse(body), case .object(let object) = value else { return nil }
        return object
    }

    private static func json(_ entry: Journal.Entry, request: JSONObject?, response: JSONObject?) -> JSONObject {
        var item: JSONObject = [
            "sequence": .number(String(entry.sequence)), "at": .string(ISO8601.formatUTC(entry.at)),
            "method": .string(entry.method), "path": .string(entry.path),
        ]
        if let query = entry.query { item["query"] = .string(query) }
        item["status"] = .number(String(entry.status))
        item["duration_us"] = .number(String(entry.durationMicroseconds))
        item["request"] = .object(body(entry.requestBody, size: entry.requestBytes, parsed: request, contentType: entry.contentType))
        item["response"] = .object(body(entry.responseBody, size: entry.responseBytes, parsed: response, contentType: entry.responseContentType))
        if let detail = entry.detail { item["detail"] = .string(detail) }
        if let fault = entry.fault { item["fault"] = .string(fault) }
        if let check = entry.failedSignature { item["signature_debug"] = .object(check.json) }
        return item
    }

    private static func body(_ bytes: [UInt8], size: Int, parsed: JSONObject?, contentType: String?) -> JSONObject {
        var object: JSONObject = [:]
        if let contentType { object["content_type"] = .string(contentType) }
        if let parsed {
            object["json"] = .object(parsed)
        } else if !bytes.isEmpty {
            // Text bodies (HTML pages, forms) are kept up to 4 KiB in the listing.
            let text = String(decoding: bytes.prefix(4_096), as: UTF8.self)
            object["text"] = .string(bytes.count > 4_096 ? text + "…" : text)
        }
        object["bytes"] = .number(String(size))
        // Cut at the journal's cap; a body shorter only because card data was masked is whole.
        if size > Journal.maxKeptBodyBytes { object["truncated"] = .bool(true) }
        return object
    }
}
