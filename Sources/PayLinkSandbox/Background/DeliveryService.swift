import PayLinkCore
import PayLinkJSON
import PayLinkSupport
import Synchronization

/// Posts due notifications to merchants, so a merchant endpoint that is slow or down never
/// slows the request that caused the notification. Notification faults (fail, delay, reorder,
/// duplicate) apply here.
package final class DeliveryService: BackgroundService {
    package let name = "deliveries"
    private let queue: DeliveryQueue
    private let client: DeliveryClient
    private let faults: FaultRegistry?
    private let stopping = Atomic<Bool>(false)

    package init(queue: DeliveryQueue, client: DeliveryClient = DeliveryClient(), faults: FaultRegistry? = nil) {
        self.queue = queue
        self.client = client
        self.faults = faults
    }

    /// Deliveries taken after this are put back untried, for the state to keep.
    package func stop() { stopping.store(true, ordering: .releasing) }

    package static func target(_ delivery: Delivery) -> FaultTarget {
        FaultTarget(dialect: "notification", path: (try? DeliveryClient.parse(delivery.url).get())?.path ?? "/", command: delivery.event,
                    paymentLinkID: delivery.paymentLinkID, merchantReference: delivery.payload["merchant_reference"]?.stringValue,
                    merchantIdentifier: delivery.merchantIdentifier)
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
            switch client.post(url: delivery.url, contentType: delivery.format.contentType, body: delivery.format.encode(delivery.payload)) {
            case .success(let status): queue.record(id: delivery.id, status: status, error: nil)
            case .failure(let failure): queue.record(id: delivery.id, status: nil, error: failure.description)
            }
        }
        return handled
    }
}
