import PayLinkCore
import PayLinkJSON
import PayLinkPayByLink

/// Where a snapshot's contents come from while it is written in the background: the document
/// without the long lists (read first), then the PayByLink requests, then links and orders a
/// page at a time, each page under the engine's lock for a moment only. Pages may hold changes newer than the snapshot's
/// sequence; the log after it repeats them, and replaying a put twice changes nothing.
struct SnapshotSource: Sendable {
    /// `SandboxState.exportWithoutLists`.
    var document: @Sendable () -> JSONObject
    /// Every PayByLink request (their store hands them over at once: a copy of the values, not
    /// an encoding).
    var requests: @Sendable () -> [RequestForPayment]
    /// Up to `limit` links after the one named (from the first when nil); nil when it is gone.
    var links: @Sendable (_ after: String?, _ limit: Int) -> [PaymentLink]?
    /// `LinkEngine.orders(after:hint:limit:)`.
    var orders: @Sendable (_ after: String?, _ hint: Int, _ limit: Int) -> (orders: [Order], position: Int)?

    init(document: @escaping @Sendable () -> JSONObject, requests: @escaping @Sendable () -> [RequestForPayment] = { [] },
         links: @escaping @Sendable (String?, Int) -> [PaymentLink]?,
         orders: @escaping @Sendable (String?, Int, Int) -> (orders: [Order], position: Int)?) {
        self.document = document
        self.requests = requests
        self.links = links
        self.orders = orders
    }

    init(_ state: SandboxState) {
        let engine = state.engine
        self.init(
            document: { state.exportWithoutLists() },
            requests: { state.payByLink.snapshot().requests },
            links: { after, limit in engine.links(matching: LinkQuery(), after: after, limit: limit)?.links.map(\.link) },
            orders: { after, hint, limit in engine.orders(after: after, hint: hint, limit: limit) })
    }
}
