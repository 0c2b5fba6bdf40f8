import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// Every field of a real snapshot, changed one at a time (removed, null, the wrong type, an
/// edge value): the import either refuses it and changes nothing, or accepts it and the
/// sandbox then works on it (pages, payments, operations, resolution, export) without trapping
/// and exports a state that imports again.
struct StateImportMutationTests {
    enum Step { case key(String), index(Int) }

    /// Paths to every member and element, except inside notification payloads (opaque to the
    /// sandbox: posted as they are).
    func paths(_ value: JSONValue, _ prefix: [Step] = []) -> [[Step]] {
        switch value {
        case .object(let object):
            if case .key("payload")? = prefix.last { return [] }
            return object.flatMap { key, child in [prefix + [.key(key)]] + paths(child, prefix + [.key(key)]) }
        case .array(let array):
            return array.enumerated().flatMap { i, child in [prefix + [.index(i)]] + paths(child, prefix + [.index(i)]) }
        default:
            return []
        }
    }

    func replacing(_ path: ArraySlice<Step>, with value: JSONValue?, in root: JSONValue) -> JSONValue {
        guard let step = path.first else { return value ?? .null }
        switch (step, root) {
        case (.key(let key), .object(var object)):
            object[key] = path.count == 1 ? value : replacing(path.dropFirst(), with: value, in: object[key] ?? .null)
            return .object(object)
        case (.index(let i), .array(var array)):
            if path.count == 1, value == nil { array.remove(at: i) } else { array[i] = replacing(path.dropFirst(), with: value, in: array[i]) }
            return .array(array)
        default:
            return root
        }
    }

    func get(_ path: [Step], in root: JSONValue) -> JSONValue? {
        var current: JSONValue? = root
        for step in path {
            switch (step, current) {
            case (.key(let key), .object(let object)?): current = object[key]
            case (.index(let i), .array(let array)?): current = array[i]
            default: return nil
            }
        }
        return current
    }

    func mutations(of value: JSONValue?) -> [JSONValue?] {
        var out: [JSONValue?] = [nil, .null, .number("-1"), .number("9223372036854775807"), ""]
        // Another string for a string (a near miss: `SAR0`, `open0`), a string for anything else.
        if case .string(let text)? = value { out.append(.string(text + "0")) } else { out.append("x") }
        if case .array(let array)? = value, let first = array.first { out.append(.array(array + [first])) }
        return out
    }

    func request(_ service: SandboxService, _ method: String, _ target: String, _ body: String = "") -> HTTPResponse {
        service.handleInline(HTTPRequest(method: method, target: target, version: .http1_1,
                                   headers: ["Content-Type": "application/json"], body: Array(body.utf8)))
    }

    /// Uses everything the snapshot holds; a trap here fails the whole test run.
    func exercise(_ service: SandboxService) {
        for view in service.engine.links() {
            for path in ["/__sandbox/links/\(view.link.id)", "/pay/\(view.link.token)"] { _ = request(service, "GET", path) }
            _ = request(service, "POST", "/__sandbox/links/\(view.link.id)/open")
            _ = request(service, "POST", "/__sandbox/links/\(view.link.id)/pay", #"{"card_number":"4005550000000001"}"#)
        }
        for order in service.engine.snapshot().orders {
            _ = try? service.engine.capture(fortID: order.fortID, amount: 1, currency: nil)
            _ = try? service.engine.refund(fortID: order.fortID, amount: 1, currency: nil, maintenanceReference: nil)
            _ = try? service.engine.voidAuthorization(fortID: order.fortID)
        }
        for path in ["/__sandbox/links", "/__sandbox/outbox", "/__sandbox/deliveries", "/__sandbox/health"] { _ = request(service, "GET", path) }
        _ = request(service, "POST", "/__sandbox/clock", #"{"advance_seconds": 3600}"#)
        service.checkout.resolveDueUncertainPayments()
    }

    @Test func everyFieldChanged_isRefusedCleanly_orWorks() async throws {
        var merchant = Merchant.demo
        merchant.notificationURL = "http://127.0.0.1:1/nobody-listens"
        let snapshot = try await withPopulatedSandbox(merchant: merchant)
        let service = SandboxService(configuration: .testing(merchants: [merchant]))
        var refused = 0, accepted = 0
        guard case .object(let good) = snapshot else { return }
        try service.importState(good)
        // Compared as values: cheaper than exporting after each of thousands of refusals.
        func parts() -> (EngineSnapshot, SandboxClock.Reading, Outbox.Snapshot, DeliveryQueue.Snapshot) {
            (service.engine.snapshot(), service.clock.reading(), service.outbox.snapshot(), service.deliveries.snapshot())
        }
        let before = parts()
        for path in paths(snapshot) {
            for mutation in mutations(of: get(path, in: snapshot)) {
                guard case .object(let bad) = replacing(path[...], with: mutation, in: snapshot) else { continue }
                do {
                    try service.importState(bad)
                    accepted += 1
                } catch {
                    refused += 1
                    let now = parts()
                    #expect(now.0 == before.0 && now.1 == before.1 && now.2 == before.2 && now.3 == before.3, "\(error)")
                    continue
                }
                exercise(service)
                let after = service.exportState()
                #expect(throws: Never.self, "\(path) = \(String(describing: mutation))") { try service.importState(after) }
                try service.importState(good)
            }
        }
        #expect(refused > 1_000 && accepted > 100)
    }

    func withPopulatedSandbox(merchant: Merchant) async throws -> JSONValue {
        var result: JSONValue = .null
        try await withSandbox(.testing(merchants: [merchant])) { sandbox, aps in
            try await StateSnapshotTests().populate(sandbox, aps)
            var state = sandbox.service.exportState()
            // Deliveries all have one shape: two are enough, and each case decodes the whole
            // document, so a smaller one keeps the test quick.
            if case .object(var notifications)? = state["notifications"], let deliveries = notifications["deliveries"]?.arrayValue {
                notifications["deliveries"] = .array(Array(deliveries.prefix(2)))
                state["notifications"] = .object(notifications)
            }
            result = .object(state)
        }
        return result
    }
}
