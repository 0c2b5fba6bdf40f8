import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkAPS
import PayLinkSupport

/// Whole-sandbox operations: settle, reset, state import, scenario loads.
extension ControlAPI {
    /// `POST /__sandbox/settle`: every piece of background work due now on the sandbox clock,
    /// run to the end (deliveries posted, uncertain payments settled, batch files processed,
    /// expiries recorded), with how many items each handled.
    func settle() -> HTTPResponse {
        var handled = JSONObject()
        for (service, count) in background.settle() { handled[service] = .number(String(count)) }
        return JSONResponses.ok(["settled": .object(handled)])
    }

    /// `POST /__sandbox/reset`: forgets every link, order, outbox message, delivery, journal
    /// entry and fault. The clock keeps its time. With `{"merchant_identifier": "X"}` only that
    /// merchant's links, orders, messages and deliveries go, so parallel tests can share a server.
    func resetting(_ request: HTTPRequest) -> HTTPResponse {
        let body: JSONObject
        do { body = try JSONResponses.objectBody(request) } catch { return error.response }
        if let unknown = body.keys.first(where: { $0 != "merchant_identifier" }) {
            return JSONResponses.error(400, "invalid_field", "unknown field \(unknown); send {} or {\"merchant_identifier\": …}", extra: ["field": .string(unknown)])
        }
        if let value = body["merchant_identifier"] {
            guard let merchant = value.stringValue, merchants[merchant] != nil else {
                return JSONResponses.error(400, "invalid_field", "merchant_identifier must name a merchant of this sandbox", extra: ["field": "merchant_identifier"])
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
    func importState(_ request: HTTPRequest) -> HTTPResponse {
        // The document and everything decoded from it are freed when this returns; a large one
        // leaves its pages with the allocator unless they are handed back.
        defer { if request.body.count > Self.largeImportBytes { FreedMemory.release() } }
        let body: JSONObject
        do { body = try JSONResponses.objectBody(request) } catch { return error.response }
        do {
            try state.restore(body)
        } catch {
            return JSONResponses.error(400, "invalid_state", error.description, extra: ["field": .string(error.path)])
        }
        return JSONResponses.ok(["status": "imported", "links": .number(String(engine.linkCount))])
    }

    /// Past this size, an import gives the memory its reading took back to the system.
    private static let largeImportBytes = 8 << 20

    /// `POST /__sandbox/scenarios` with a scenario file's JSON: loads its setup (clock when it
    /// sets one, links, faults) into this sandbox; its steps are not run. 201 with the links made.
    func loadScenario(_ request: HTTPRequest) -> HTTPResponse {
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
}
