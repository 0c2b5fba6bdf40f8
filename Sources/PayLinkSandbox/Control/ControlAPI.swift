import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkAPS
import PayLinkSupport

/// The control API under `/__sandbox/`: what tests and scripts use to inspect and steer the
/// sandbox. JSON in and out; unknown paths answer a JSON 404 naming the path.
struct ControlAPI: Sendable {
    let engine: LinkEngine
    let merchants: MerchantDirectory
    let outbox: Outbox
    let deliveries: DeliveryQueue
    let urls: LinkURLs
    let journal: Journal
    let checkout: Checkout
    let faults: FaultRegistry
    let version: String
    /// What `GET|PUT /__sandbox/state` export and import (and a failed scenario load puts back).
    let state: SandboxState

    /// Runs background work due now (`POST /__sandbox/settle`).
    let background: BackgroundWork
    /// `POST /__sandbox/reset`.
    let reset: SandboxReset

    /// The endpoints, relative to `/__sandbox/`.
    func router() -> Router {
        var router = Router(ignoresEmptySegments: true)
        router.get("health") { _, _ in health() }
        router.get("clock") { _, _ in clockReading(engine.clock.reading()) }
        router.post("clock") { request, _ in moveClock(request) }
        router.post("reset") { request, _ in resetting(request) }
        // Off the loop: work that grows with the state, or waits on merchants (settle posts
        // notifications), or replaces everything (imports, scenario loads).
        router.post("settle", offLoop: true) { _, _ in settle() }
        router.post("scenarios", offLoop: true) { request, _ in loadScenario(request) }
        router.get("state", offLoop: true) { _, _ in JSONResponses.ok(state.export()) }
        router.put("state", offLoop: true) { request, _ in importState(request) }
        router.get("links", offLoop: true) { request, _ in listLinks(request) }
        router.get("links/{id}") { _, path in showLink(id: path["id"]) }
        router.post("links/{id}/pay") { request, path in pay(id: path["id"], request) }
        router.post("links/{id}/open") { _, path in open(id: path["id"]) }
        router.post("links/{id}/fail") { request, path in fail(id: path["id"], request) }
        router.get("outbox") { request, _ in outbox(request) }
        router.get("deliveries") { _, _ in listDeliveries() }
        router.get("journal", offLoop: true) { request, _ in journal(request) }
        router.get("faults") { _, _ in listFaults() }
        router.post("faults") { request, _ in armFaults(request) }
        router.delete("faults") { _, _ in
            faults.disarmAll()
            return listFaults()
        }
        router.delete("faults/{id}") { _, path in
            guard faults.disarm(id: path["id"]) else {
                return JSONResponses.error(404, "fault_not_found", "no armed fault \(path["id"])", extra: ["id": .string(path["id"])])
            }
            return listFaults()
        }
        return router
    }

    /// `POST /__sandbox/settle`: every piece of background work due now on the sandbox clock,
    /// run to the end (deliveries posted, uncertain payments settled, batch files processed,
    /// expiries recorded), with how many items each handled.
    private func settle() -> HTTPResponse {
        var handled = JSONObject()
        for (service, count) in background.settle() { handled[service] = .number(String(count)) }
        return JSONResponses.ok(["settled": .object(handled)])
    }

    /// `GET /__sandbox/health`: up, with the version and sandbox time.
    private func health() -> HTTPResponse {
        let reading = engine.clock.reading()
        return JSONResponses.ok([
            "status": "ok", "version": .string(version), "now": .string(ISO8601.formatUTC(reading.now)),
            "clock_mode": .string(reading.mode.rawValue),
        ])
    }

    /// What a clock move makes due is recorded before the answer (uncertain payments settled,
    /// expiries seen), so the next request sees it; notifications go out as background work.
    private func catchUp() {
        checkout.resolveDueUncertainPayments()
        engine.sweepExpiries()
    }

    private func clockReading(_ reading: SandboxClock.Reading) -> HTTPResponse {
        JSONResponses.ok([
            "now": .string(ISO8601.formatUTC(reading.now)),
            "now_ms": .number(String(reading.now.millisecondsSince1970)),
            "mode": .string(reading.mode.rawValue),
        ])
    }

    /// `POST /__sandbox/clock` with one of `{"advance_seconds": N}`, `{"set": "2026-01-01T00:00:00Z"}`
    /// or `{"mode": "frozen"|"running"}`. Moving the clock past a link's expiry expires it at once.
    private func moveClock(_ request: HTTPRequest) -> HTTPResponse {
        let body: JSONObject
        do { body = try JSONResponses.objectBody(request) } catch { return error.response }
        let clock = engine.clock
        let known: Set<String> = ["advance_seconds", "set", "mode"]
        if let unknown = body.keys.first(where: { !known.contains($0) }) {
            return JSONResponses.error(400, "invalid_field", "unknown field \(unknown); use advance_seconds, set or mode", extra: ["field": .string(unknown)])
        }
        let actions = body.keys.filter(known.contains)
        guard actions.count == 1 else {
            return JSONResponses.error(400, "invalid_body", "send exactly one of advance_seconds, set or mode")
        }
        switch (body.members[0].key, body.members[0].value) {
        case ("advance_seconds", .number(let literal)):
            guard let seconds = Double(literal), seconds >= 0, seconds < 1e11 else {
                return JSONResponses.error(400, "invalid_field", "advance_seconds must be a non-negative number", extra: ["field": "advance_seconds"])
            }
            // Validated non-negative just above, so advancing cannot fail.
            let reading = (try? clock.advance(milliseconds: Int64((seconds * 1000).rounded()))) ?? clock.reading()
            catchUp()
            return clockReading(reading)
        case ("set", .string(let text)):
            guard let instant = ISO8601.parseDateTime(text) else {
                return JSONResponses.error(400, "invalid_field", "set must be ISO 8601 with a time zone, e.g. 2026-01-01T00:00:00Z", extra: ["field": "set"])
            }
            let reading = clock.set(instant)
            catchUp()
            return clockReading(reading)
        case ("mode", .string(let text)):
            guard let mode = SandboxClock.Mode(rawValue: text) else {
                return JSONResponses.error(400, "invalid_field", "mode must be running or frozen", extra: ["field": "mode"])
            }
            return clockReading(clock.setMode(mode))
        case (let key, _):
            return JSONResponses.error(400, "invalid_field", "\(key) has the wrong type", extra: ["field": .string(key)])
        }
    }

    /// `POST /__sandbox/reset`: forgets every link, order, outbox message, delivery, journal
    /// entry and fault. The clock keeps its time. With `{"merchant_identifier": "X"}` only that
    /// merchant's links, orders, messages and deliveries go, so parallel tests can share a server.
    private func resetting(_ request: HTTPRequest) -> HTTPResponse {
        let body: JSONObject
        do { body = try JSONResponses.objectBody(request) } catch { return error.response }
        if let unknown = body.keys.first(where: { $0 != "merchant_identifier" }) {
            return JSONResponses.error(400, "invalid_field", "unknown field \(unknown); send {} or {\"merchant_identifier\": …}", extra: ["field": .string(unknown)])
        }
        if let value = body["merchant_identifier"] {
            guard let merchant = value.stringValue, merchants[merchant] != nil else {
                return JSONResponses.error(400, "invalid_field", "merchant_identifier must name a configured merchant", extra: ["field": "merchant_identifier"])
            }
            let removed = reset(.merchant(merchant))
            return JSONResponses.ok(["status": "reset", "merchant_identifier": .string(merchant), "links_removed": .number(String(removed))])
        }
        reset(.everything)
        return JSONResponses.ok(["status": "reset"])
    }

    /// `PUT /__sandbox/state` with a snapshot from `GET /__sandbox/state`: replaces links,
    /// orders, outbox, deliveries, clock, ID generators, PayByLink requests and batches in one step; a bad snapshot is refused
    /// (400 naming the field's path) and changes nothing.
    private func importState(_ request: HTTPRequest) -> HTTPResponse {
        let body: JSONObject
        do { body = try JSONResponses.objectBody(request) } catch { return error.response }
        do {
            try state.restore(body)
        } catch {
            return JSONResponses.error(400, "invalid_state", error.description, extra: ["field": .string(error.path)])
        }
        return JSONResponses.ok(["status": "imported", "links": .number(String(engine.links().count))])
    }

    /// `POST /__sandbox/scenarios` with a scenario file's JSON: loads its setup (clock when it
    /// sets one, links, faults) into this sandbox; its steps are not run. 201 with the links made.
    private func loadScenario(_ request: HTTPRequest) -> HTTPResponse {
        let scenario: Scenario
        do { scenario = try ScenarioLoader.load(request.body, file: "request body") } catch {
            return JSONResponses.error(400, "invalid_scenario", error.description, extra: ["field": .string(error.field)])
        }
        let loading = ScenarioLoading(engine: engine, faults: faults, merchants: merchants.all, urls: urls)
        // All or nothing: a setup that fails partway puts the state (clock included) and the
        // armed faults back as they were.
        let before = state.export()
        let armedBefore = Set(faults.list().map(\.id))
        do {
            return JSONResponses.ok(try loading.load(scenario), status: 201)
        } catch {
            try? state.restore(before)
            for armed in faults.list() where !armedBefore.contains(armed.id) { faults.disarm(id: armed.id) }
            return JSONResponses.error(400, "invalid_scenario", "\(error.path): \(error.message)", extra: ["field": .string(error.path)])
        }
    }

    /// `GET /__sandbox/links[?payment_link_status=…&merchant_identifier=…&merchant_reference=…]`:
    /// links in creation order, filtered.
    private func listLinks(_ request: HTTPRequest) -> HTTPResponse {
        var status: String?, merchant: String?, reference: String?
        for (name, value) in QueryParameters.parse(request.query) {
            switch name {
            case "payment_link_status", "status":
                guard LinkState(rawValue: value) != nil else {
                    return JSONResponses.error(400, "invalid_query", "payment_link_status must be Open, Paid, Closed or Expired", extra: ["field": .string(name)])
                }
                status = value
            case "merchant_identifier": merchant = value
            case "merchant_reference": reference = value
            default:
                return JSONResponses.error(400, "invalid_query", "unknown filter \(name); use payment_link_status, merchant_identifier or merchant_reference",
                                           extra: ["field": .string(name)])
            }
        }
        let links = engine.links().filter { view in
            (status == nil || view.state.rawValue == status) && (merchant == nil || view.link.merchantIdentifier == merchant)
                && (reference == nil || view.link.merchantReference == reference)
        }.map { JSONValue.object(LinkRepresentation.json($0, urls: urls)) }
        return JSONResponses.ok(["links": .array(links), "count": .number(String(links.count))])
    }

    /// `GET /__sandbox/outbox[?channel=EMAIL|SMS&payment_link_id=…&recipient=…&merchant_identifier=…]`:
    /// the e-mails and SMS "sent", oldest first.
    private func outbox(_ request: HTTPRequest) -> HTTPResponse {
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
    /// masked; a 008 refusal carries `signature_debug`.
    private func journal(_ request: HTTPRequest) -> HTTPResponse {
        do {
            let query = try JournalQuery(QueryParameters.parse(request.query))
            return JSONResponses.ok(query.run(journal))
        } catch {
            return JSONResponses.error(400, "invalid_query", error.message, extra: ["field": .string(error.path)])
        }
    }

    /// `GET /__sandbox/faults`: the armed faults, with their hits and what remains.
    private func listFaults() -> HTTPResponse {
        let items = faults.list().map { JSONValue.object(FaultJSON.json($0)) }
        return JSONResponses.ok(["faults": .array(items), "count": .number(String(items.count))])
    }

    /// `POST /__sandbox/faults` with one fault object or `{"faults": [...]}` (see `FaultJSON`):
    /// arms them all or, if any is invalid, none. 201 with their ids.
    private func armFaults(_ request: HTTPRequest) -> HTTPResponse {
        let body: JSONObject
        do { body = try JSONResponses.objectBody(request) } catch { return error.response }
        let objects: [JSONObject]
        if let list = body["faults"] {
            guard case .array(let items) = list, body.members.count == 1 else {
                return JSONResponses.error(400, "invalid_field", "faults must be an array of fault objects, alone in the body", extra: ["field": "faults"])
            }
            objects = items.compactMap(\.objectValue)
            guard objects.count == items.count else {
                return JSONResponses.error(400, "invalid_field", "every item of faults must be an object", extra: ["field": "faults"])
            }
        } else {
            objects = [body]
        }
        var parsed: [Fault] = []
        for (index, object) in objects.enumerated() {
            do { parsed.append(try FaultJSON.fault(object)) } catch {
                let field = body["faults"] == nil ? error.path : "faults[\(index)].\(error.path)"
                return JSONResponses.error(400, "invalid_fault", "\(field): \(error.message)", extra: ["field": .string(field)])
            }
        }
        let ids = parsed.map { faults.arm($0) }
        return JSONResponses.ok(["armed": .array(ids.map { .string($0) }), "count": .number(String(ids.count))], status: 201)
    }

    /// `GET /__sandbox/deliveries`: every notification to a merchant, oldest first, with each
    /// attempt (sandbox time, HTTP status or error) and when the next is due.
    private func listDeliveries() -> HTTPResponse {
        let items: [JSONValue] = deliveries.deliveries().map { d in
            var item: JSONObject = [
                "id": .number(String(d.id)), "event": .string(d.event), "url": .string(d.url), "format": .string(d.format.rawValue),
                "state": .string(d.state.rawValue), "merchant_identifier": .string(d.merchantIdentifier),
                "created_at": .string(ISO8601.formatUTC(d.createdAt)), "payload": .object(d.payload),
                "attempts": .array(d.attempts.map { a in
                    var attempt: JSONObject = ["at": .string(ISO8601.formatUTC(a.at)), "acknowledged": .bool(a.acknowledged)]
                    if let status = a.status { attempt["status"] = .number(String(status)) }
                    if let error = a.error { attempt["error"] = .string(error) }
                    return .object(attempt)
                }),
            ]
            if let next = d.nextAttemptAt { item["next_attempt_at"] = .string(ISO8601.formatUTC(next)) }
            if let fortID = d.fortID { item["fort_id"] = .string(fortID) }
            if let link = d.paymentLinkID { item["payment_link_id"] = .string(link) }
            return .object(item)
        }
        return JSONResponses.ok(["deliveries": .array(items), "count": .number(String(items.count))])
    }

    /// `GET /__sandbox/links/{payment_link_id}`.
    private func showLink(id: String) -> HTTPResponse {
        guard let view = engine.link(id: id) else { return linkNotFound(id) }
        return JSONResponses.ok(LinkRepresentation.json(view, urls: urls))
    }

    /// `POST /__sandbox/links/{id}/open`: the customer opened the link (counts an attempt while Open).
    private func open(id: String) -> HTTPResponse {
        do {
            let view = try engine.recordOpening(id: id)
            return JSONResponses.ok(LinkRepresentation.json(view, urls: urls))
        } catch {
            return linkNotFound(id)
        }
    }

    /// `POST /__sandbox/links/{id}/pay`: a payment without a browser, with the test cards'
    /// outcomes. Body: `{"card_number": "4005550000000001"}` (the default; `expiry_date` YYMM,
    /// `card_security_code` and `card_holder_name` are optional and checked when given), or
    /// `{"payment_option": "STCPAY", "phone_number": "0501234567", "otp": "1234"}` (OTP optional);
    /// a 3-D Secure card takes `"3ds_code"`.
    /// 200 when an attempt took place (`outcome`: approved, declined, uncertain,
    /// 3ds_required, 3ds_failed); 409 with the APS code when the link's state refuses it; 400
    /// for a card the form would refuse (016 for the number) or an unknown payment option.
    private func pay(id: String, _ request: HTTPRequest) -> HTTPResponse {
        let body: JSONObject
        do { body = try JSONResponses.objectBody(request) } catch { return error.response }
        for (key, value) in body {
            guard Self.payFields.contains(key) else {
                return JSONResponses.error(400, "invalid_field", "unknown field \(key); use \(Self.payFields.sorted().joined(separator: ", "))",
                                           extra: ["field": .string(key)])
            }
            guard value.stringValue != nil else {
                return JSONResponses.error(400, "invalid_field", "\(key) must be a string", extra: ["field": .string(key)])
            }
        }
        guard let current = engine.link(id: id) else { return linkNotFound(id) }
        let command = current.link.transactionCommand
        do { try LinkStateMachine.requirePayable(current.link, at: current.now) } catch { return notPayable(id, command, error) }
        let required = current.link.paymentOption
        func wrongOption(_ message: String) -> HTTPResponse {
            let code = APSResponseCode(status: command.failureStatus, message: "080")
            return JSONResponses.error(400, "invalid_payment_option", message, extra: [
                "field": "payment_option", "response_code": .string(code.code), "response_message": .string(code.responseMessage)])
        }

        if body["card_number"] == nil, let option = body["payment_option"]?.stringValue {
            guard APSFields.paymentOptions.contains(option) || option == "VISA_CHECKOUT" else { return wrongOption("\(option) is not a payment option") }
            if let required, required != option { return wrongOption("the link takes \(required) only") }
            let phone = body["phone_number"]?.stringValue
            if option == "STCPAY" {
                // As on the page: STC Pay needs the wallet's Saudi mobile number.
                guard let phone, SaudiMobileNumber.isValid(phone) else {
                    return JSONResponses.error(400, "invalid_field", "STC Pay needs phone_number, a Saudi mobile number such as 0501234567",
                                               extra: ["field": "phone_number"])
                }
                let details = PaymentDetails(paymentOption: option, phoneNumber: phone)
                if let otp = body["otp"]?.stringValue { return respond(id, command, checkout.settleOTP(id, details, otp: otp)) }
                return respond(id, command, checkout.payWithWallet(linkID: id, details: details))
            }
            return respond(id, command, checkout.payWithWallet(linkID: id, details: PaymentDetails(paymentOption: option)))
        }
        let cardNumber = body["card_number"]?.stringValue ?? "4005550000000001"
        var card: CardEntry.Checked
        do { card = try ControlCard.check(body, number: cardNumber, at: current.now) } catch {
            let code = APSResponseCode(status: command.failureStatus, message: error.apsMessage)
            return JSONResponses.error(400, "invalid_card", error.explanation, extra: [
                "field": .string(error.field), "response_code": .string(code.code), "response_message": .string(code.responseMessage)])
        }
        if let required {
            // A link limited to one card scheme takes only cards that run under it (mada is co-badged).
            guard let scheme = CardBrand(rawValue: required), card.brand.isAccepted(as: scheme, number: card.number) else {
                return wrongOption("the link takes \(required) only; this is a \(card.brand.rawValue) card")
            }
            card.details.paymentOption = required
        }
        return respond(id, command, checkout.payWithCard(linkID: id, card: card, challengeAnswer: body["3ds_code"]?.stringValue))
    }

    static let payFields: Set<String> = ["card_number", "expiry_date", "card_security_code", "card_holder_name", "payment_option",
                                         "phone_number", "otp", "3ds_code"]

    private func respond(_ id: String, _ command: TransactionCommand, _ result: Checkout.Result) -> HTTPResponse {
        switch result {
        case .completed(let transaction):
            let order = transaction.order
            let code = order.status.code(for: order.command)
            var object = LinkRepresentation.json(transaction.view, urls: urls)
            object["outcome"] = .string(transaction.outcome.rawValue)
            object["command"] = .string(order.command.rawValue)
            object["response_code"] = .string(code.code)
            object["response_message"] = .string(code.responseMessage)
            object["fort_id"] = .string(order.fortID)
            if !order.authorizationCode.isEmpty { object["authorization_code"] = .string(order.authorizationCode) }
            if let card = order.maskedCardNumber { object["card_number"] = .string(card) }
            if let option = order.paymentOption { object["payment_option"] = .string(option) }
            if case .uncertain(let due, _) = order.status { object["resolves_at"] = .string(ISO8601.formatUTC(due)) }
            return JSONResponses.ok(object)
        case .verificationRequired:
            guard let view = engine.link(id: id) else { return linkNotFound(id) }
            let code = APSResponseCode(status: "20", message: "064")
            var object = LinkRepresentation.json(view, urls: urls)
            object["outcome"] = "3ds_required"
            object["response_code"] = .string(code.code)
            object["response_message"] = .string(code.responseMessage)
            object["message"] = .string("send the same request with \"3ds_code\" (\(TestCards.passingChallengeCode) passes)")
            return JSONResponses.ok(object)
        case .refused(let error):
            return notPayable(id, command, error)
        case .unknownVerification:
            return JSONResponses.error(400, "unknown_verification", "no pending verification with that id")
        }
    }

    /// `POST /__sandbox/links/{id}/fail`: the customer's attempt failed or was abandoned
    /// (default `072`, cancelled by the consumer; `{"message_code": "666"}` picks another).
    private func fail(id: String, _ request: HTTPRequest) -> HTTPResponse {
        let body: JSONObject
        do { body = try JSONResponses.objectBody(request) } catch { return error.response }
        guard let current = engine.link(id: id) else { return linkNotFound(id) }
        let command = current.link.transactionCommand
        let message = body["message_code"]?.stringValue ?? "072"
        guard message.count == 3, APSCatalog.isKnownMessage(message) else {
            return JSONResponses.error(400, "invalid_field", "message_code must be a three-digit APS message code", extra: ["field": "message_code"])
        }
        return attemptResult(id, outcome: "failed", code: APSResponseCode(status: command.failureStatus, message: message), masked: nil)
    }

    /// An attempt that did not pay: recorded on the link (which stays Open) and answered 200.
    private func attemptResult(_ id: String, outcome: String, code: APSResponseCode, masked: String?) -> HTTPResponse {
        let view: LinkView
        do {
            view = try engine.recordFailedAttempt(id: id, responseCode: code.code, maskedCardNumber: masked)
        } catch {
            let command = engine.link(id: id)?.link.transactionCommand ?? .purchase
            return notPayable(id, command, error)
        }
        var result = LinkRepresentation.json(view, urls: urls)
        result["outcome"] = .string(outcome)
        result["response_code"] = .string(code.code)
        result["response_message"] = .string(code.responseMessage)
        if let masked { result["card_number"] = .string(masked) }
        return JSONResponses.ok(result)
    }

    private func notPayable(_ id: String, _ command: TransactionCommand, _ error: LinkError) -> HTTPResponse {
        if error == .notFound { return linkNotFound(id) }
        let code = APSResponseCode(status: command.failureStatus, message: error.apsMessageCode)
        let state = engine.link(id: id)?.state.rawValue ?? "unknown"
        return JSONResponses.error(409, "link_not_payable", error.explanation, extra: [
            "response_code": .string(code.code), "response_message": .string(code.responseMessage),
            "payment_link_id": .string(id), "payment_link_status": .string(state),
        ])
    }

    private func linkNotFound(_ id: String) -> HTTPResponse {
        JSONResponses.error(404, "link_not_found", "no payment link \(id)", extra: [
            "payment_link_id": .string(id), "response_message": .string(APSCatalog.messageText("149")),
        ])
    }
}
