import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkAPS
import PayLinkSupport

/// What the sandbox recorded: links listed, outbox, deliveries, journal.
extension ControlAPI {
    /// `GET /__sandbox/links[?payment_link_status=…&merchant_identifier=…&merchant_reference=…&created_from=…&created_to=…&q=…&limit=…&after=…]`:
    /// one page of the links matching the filters, in creation order (`LinkListQuery`); when more
    /// match, `Link: <…>; rel="next"` gives the next page.
    func listLinks(_ request: HTTPRequest) -> HTTPResponse {
        let query: LinkListQuery
        do { query = try LinkListQuery.parse(request.query) } catch {
            return JSONResponses.error(400, "invalid_query", "\(error.path) \(error.message)", extra: ["field": .string(error.path)])
        }
        guard let page = engine.links(matching: query.filter, after: query.after, limit: query.limit) else {
            return JSONResponses.error(400, "invalid_query", "after names no link (\(query.after ?? ""))", extra: ["field": "after"])
        }
        let links = page.links.map { JSONValue.object(LinkRepresentation.json($0, urls: urls)) }
        var response = JSONResponses.ok(array: links)
        if page.more, let last = page.links.last {
            response.headers.add(name: "Link", value: "<\(query.next(after: last.link.id))>; rel=\"next\"")
        }
        return response
    }

    /// `GET /__sandbox/outbox[?channel=EMAIL|SMS&payment_link_id=…&recipient=…&merchant_identifier=…]`:
    /// the e-mails and SMS "sent", oldest first.
    func outbox(_ request: HTTPRequest) -> HTTPResponse {
        var channel: OutboxMessage.Channel?, link: String?, recipient: String?, merchant: String?
        for (name, value) in QueryParameters.parse(request.query) {
            switch name {
            case "channel":
                guard let parsed = OutboxMessage.Channel(rawValue: value.uppercased()) else {
                    return JSONResponses.error(400, "invalid_query", "channel must be EMAIL or SMS", extra: ["field": "channel"])
                }
                channel = parsed
            case "payment_link_id": link = value
            case "recipient": recipient = value
            case "merchant_identifier": merchant = value
            default:
                return JSONResponses.error(400, "invalid_query", "unknown filter \(name); use channel, payment_link_id, recipient or merchant_identifier",
                                           extra: ["field": .string(name)])
            }
        }
        let messages = outbox.messages(channel: channel, paymentLinkID: link, recipient: recipient, merchant: merchant)
        let items: [JSONValue] = messages.map { m in
            var item: JSONObject = [
                "sequence": .number(String(m.sequence)), "channel": .string(m.channel.rawValue), "recipient": .string(m.recipient),
                "text": .string(m.text), "merchant_identifier": .string(m.merchantIdentifier), "sent_at": .string(ISO8601.formatUTC(m.sentAt)),
            ]
            if let subject = m.subject { item["subject"] = .string(subject) }
            if let id = m.paymentLinkID { item["payment_link_id"] = .string(id) }
            return .object(item)
        }
        return JSONResponses.ok(["messages": .array(items), "count": .number(String(items.count)),
                                 "dropped": .number(String(outbox.droppedCount))])
    }

    /// `GET /__sandbox/journal[?path=…&command=…&payment_link_id=…&merchant_reference=…&since=…&limit=…]`:
    /// the requests and responses the sandbox answered (not the control API's), card numbers
    /// masked; a 008 refusal carries `signature_debug`. The link filters take in the link's
    /// hosted-page requests too.
    func journal(_ request: HTTPRequest) -> HTTPResponse {
        do {
            let query = try JournalQuery(QueryParameters.parse(request.query))
            return JSONResponses.ok(query.run(journal, linkOfToken: { engine.link(token: $0)?.link }))
        } catch {
            return JSONResponses.error(400, "invalid_query", error.message, extra: ["field": .string(error.path)])
        }
    }

    /// `GET /__sandbox/deliveries`: every notification to a merchant, oldest first, with its
    /// feedback `channel` (`direct` or `notification`), each attempt (sandbox time, HTTP status
    /// or error, and `delivered_to` when a `notifications.rewrite` rule sent it elsewhere) and
    /// when the next is due.
    func listDeliveries() -> HTTPResponse {
        let items: [JSONValue] = deliveries.deliveries().map { .object(Self.deliveryJSON($0)) }
        return JSONResponses.ok(["deliveries": .array(items), "count": .number(String(items.count))])
    }
}
