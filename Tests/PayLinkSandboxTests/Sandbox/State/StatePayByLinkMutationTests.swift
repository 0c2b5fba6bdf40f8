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

/// Every field of the PayByLink and batch parts of a real snapshot, changed one at a time: the
/// import either refuses it and changes nothing, or accepts it and the sandbox then serves those
/// requests and batches (reads, short URLs, updates, payments, confirmations, expiry sweeps)
/// without trapping and exports a state that imports again.
struct StatePayByLinkMutationTests {
    let helpers = StateImportMutationTests()

    func request(_ service: SandboxService, _ method: String, _ target: String, _ body: String = "") -> HTTPResponse {
        service.handleInline(HTTPRequest(method: method, target: target, version: .http1_1,
                                   headers: ["Content-Type": "application/json", "Ocp-Apim-Subscription-Key": "test-subscription-key"],
                                   body: Array(body.utf8)))
    }

    /// Uses every request and batch the snapshot holds; a trap here fails the whole test run.
    func exercise(_ service: SandboxService) {
        let base = "/paybylink/v1"
        for held in service.payByLink.snapshot().requests {
            _ = request(service, "GET", "\(base)/requests/\(held.id)")
            _ = request(service, "GET", "/s/\(held.shortCode)")
            _ = request(service, "PUT", "\(base)/requests/\(held.id)", #"{"Customer":{"MobileNumber":"07700900124"}}"#)
            if let current = held.linkIDs.last {
                _ = request(service, "POST", "/__sandbox/links/\(current)/pay", #"{"card_number":"4005550000000001"}"#)
            }
            _ = request(service, "GET", "\(base)/requests/\(held.id)")
        }
        _ = request(service, "GET", "\(base)/requests?AccountReference=ACC-100")
        for batch in service.batches.snapshot().batches {
            _ = request(service, "GET", "\(base)/batches/\(batch.id)")
            _ = request(service, "GET", "\(base)/batches/\(batch.id)/failures")
            _ = request(service, "POST", "\(base)/batches/\(batch.id)/confirm")
            _ = APSBatchFile.resultsCSV(batch)
        }
        _ = request(service, "GET", "\(base)/batches?Page=1")
        _ = request(service, "POST", "/__sandbox/clock", #"{"advance_seconds": 5184000}"#)
        service.settle()
    }

    @Test func everyPayByLinkField_changed_isRefusedCleanly_orWorks() async throws {
        let snapshot = try await withPopulatedSandbox()
        let service = SandboxService(configuration: StatePayByLinkSnapshotTests.configuration)
        guard case .object(let good) = snapshot else { return }
        try service.importState(good)
        let before = service.exportState().serialized()
        var refused = 0, accepted = 0
        let paths = helpers.paths(snapshot).filter {
            if case .key(let top)? = $0.first { return top == "paybylink" || top == "batches" }
            return false
        }
        for path in paths {
            for mutation in helpers.mutations(of: helpers.get(path, in: snapshot)) {
                guard case .object(let bad) = helpers.replacing(path[...], with: mutation, in: snapshot) else { continue }
                do {
                    try service.importState(bad)
                    accepted += 1
                } catch {
                    refused += 1
                    continue
                }
                exercise(service)
                let after = service.exportState()
                #expect(throws: Never.self, "\(path) = \(String(describing: mutation))") { try service.importState(after) }
                try service.importState(good)
            }
        }
        // Refusals are checked for changing nothing on the last state imported: the good one.
        #expect(service.exportState().serialized() == before)
        #expect(refused > 500 && accepted > 50, "refused \(refused), accepted \(accepted)")
    }

    /// A refused import leaves the PayByLink parts exactly as they were.
    @Test func aRefusedImport_leavesRequestsAndBatchesAsTheyWere() async throws {
        let snapshot = try await withPopulatedSandbox()
        let service = SandboxService(configuration: StatePayByLinkSnapshotTests.configuration)
        guard case .object(let good) = snapshot else { return }
        try service.importState(good)
        let before = (service.payByLink.snapshot(), service.batches.snapshot(), service.state.uploadKey.key, service.state.apsBatchIDs.snapshot)
        for path in helpers.paths(snapshot) where path.count > 3 {
            guard case .key("paybylink")? = path.first, case .object(let bad) = helpers.replacing(path[...], with: .array([]), in: snapshot) else { continue }
            do { try service.importState(bad) } catch {
                let now = (service.payByLink.snapshot(), service.batches.snapshot(), service.state.uploadKey.key, service.state.apsBatchIDs.snapshot)
                #expect(now.0 == before.0 && now.1 == before.1 && now.2 == before.2 && now.3 == before.3, "\(error)")
                continue
            }
            try service.importState(good)
        }
    }

    func withPopulatedSandbox() async throws -> JSONValue {
        var result: JSONValue = .null
        try await withSandbox(StatePayByLinkSnapshotTests.configuration) { sandbox, aps in
            _ = try await StatePayByLinkSnapshotTests().populate(sandbox, aps)
            var state = sandbox.service.exportState()
            // The batch's two requests have the shape of the others: four requests are enough.
            if case .object(var part)? = state["paybylink"], let requests = part["requests"]?.arrayValue {
                part["requests"] = .array(Array(requests.prefix(4)))
                state["paybylink"] = .object(part)
            }
            result = .object(state)
        }
        return result
    }
}
