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
    /// PayByLink subscription keys, configured and added at run time.
    let subscriptionKeys: SubscriptionKeys

    /// The endpoints, relative to `/__sandbox/`.
    func router() -> Router {
        var router = Router(ignoresEmptySegments: true)
        router.get("health") { _, _ in health() }
        merchantRoutes(&router)
        router.get("openapi.json") { _, _ in OpenAPIDocument.response() }
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
        router.get("tokens") { request, _ in listTokens(request) }
        router.get("outbox") { request, _ in outbox(request) }
        router.get("deliveries") { _, _ in listDeliveries() }
        router.post("deliveries/{id}/resend") { _, path in resendDelivery(id: path["id"]) }
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
}
