import PayLinkCore
import PayLinkJSON
import PayLinkSupport
import Synchronization

/// Posts due notifications to merchants, so a merchant endpoint that is slow or down never
/// slows the request that caused the notification. Notification faults (fail, delay, reorder,
/// duplicate) apply here, and `notifications.rewrite` decides where each one is really posted.
package final class DeliveryService: BackgroundService {
    package let name = "deliveries"
    private let queue: DeliveryQueue
    private let client: HTTPClient
    private let faults: FaultRegistry?
    private let rewrite: NotificationRewrite
    private let stopping = Atomic<Bool>(false)

    package init(queue: DeliveryQueue, client: HTTPClient = HTTPClient(), faults: FaultRegistry? = nil, rewrite: NotificationRewrite = .none) {
        self.queue = queue
        self.client = client
        self.faults = faults
        self.rewrite = rewrite
    }

    /// Deliveries taken after this are put back untried, for the state to keep.
    package func stop() { stopping.store(true, ordering: .releasing) }

    /// `https://host[:port]` of a URL: the rule a user would most likely write for it.
    static func origin(_ url: String) -> String {
        let scheme = url.hasPrefix("https://") ? "https://" : "http://"
        return scheme + url.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" }
    }

    /// The path a notification fault matches, taken from the URL as the merchant gave it (the
    /// same whether or not a rewrite rule moves it).
    package static func target(_ delivery: Delivery) -> FaultTarget {
        FaultTarget(dialect: "notification", path: path(of: delivery.url), command: delivery.event,
                    paymentLinkID: delivery.paymentLinkID, merchantReference: delivery.payload["merchant_reference"]?.stringValue,
                    merchantIdentifier: delivery.merchantIdentifier, method: "POST",
                    responseCode: delivery.payload["response_code"]?.stringValue)
    }

    package func runDue() -> Int {
        var handled = 0
        for delivery in queue.takeDue() {
            guard !stopping.load(ordering: .acquiring) else {
                queue.release(id: delivery.id)
                continue
            }
            handled += 1
            switch faults?.takeNotificationFault(for: Self.target(delivery)) {
            case .failNotification?:
                queue.record(id: delivery.id, status: nil, error: "injected fault: the delivery failed")
                continue
            case .delayNotification(let seconds)?:
                queue.postpone(id: delivery.id, seconds: seconds)
                continue
            case .reorderNotification?:
                queue.holdForReorder(id: delivery.id)
                continue
            case .duplicateNotification?:
                queue.duplicate(id: delivery.id)
            default:
                break
            }
            let destination = rewrite.rewrite(delivery.url)
            let (status, error) = post(delivery, to: destination ?? delivery.url)
            queue.record(id: delivery.id, status: status, error: error, deliveredTo: destination)
        }
        return handled
    }

    static func path(of url: String) -> String {
        let scheme = url.hasPrefix("https://") ? "https://" : "http://"
        guard url.hasPrefix(scheme) else { return "/" }
        let rest = url.dropFirst(scheme.count)
        guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        return rest[slash] == "/" ? String(rest[slash...]) : "/" + rest[slash...]
    }

    /// The merchant's status code, or why there was none, in the words `GET /__sandbox/deliveries` shows.
    private func post(_ delivery: Delivery, to url: String) -> (status: Int?, error: String?) {
        let target: HTTPClient.Target
        do { target = try HTTPClient.parse(url) } catch {
            guard url.hasPrefix("https://") else { return (nil, "unsupported URL: \(error)") }
            return (nil, "cannot post to \(url): the sandbox has no TLS client; map it to an http:// receiver with "
                        + "notifications.rewrite, e.g. {\"\(Self.origin(url))\": \"http://127.0.0.1:9000\"}")
        }
        let headers = [("User-Agent", "paylink-sandbox"), ("Content-Type", delivery.format.contentType)]
        switch client.send("POST", to: target, headers: headers, body: delivery.format.encode(delivery.payload), reading: .statusLine) {
        case .response(let response), .truncated(let response): return (response.status, nil)
        case .timeout: return (nil, "timed out waiting for the merchant")
        case .closed, .notHTTP: return (nil, "the answer was not an HTTP response")
        case .failed(let why): return (nil, "connection failed: \(why)")
        }
    }
}
