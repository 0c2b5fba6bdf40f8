import Dispatch
import PayLinkJSON
import Synchronization
import PayLinkCore
import PayLinkHTTP
import PayLinkSupport

/// Delivers due notifications from its own serial queue, so a merchant endpoint that is slow
/// or down never slows the request that caused the notification. It looks for due work every
/// 20 ms of real time, and at once when kicked. Each tick also runs the `periodic` duty given
/// to `start` (settling uncertain payments whose time has come on the sandbox clock).
package final class DeliveryWorker: Sendable {
    private let queue: DeliveryQueue
    private let client: DeliveryClient
    private let faults: FaultRegistry?
    private let dispatch = DispatchQueue(label: "paylink-sandbox.deliveries")
    private let running = Atomic<Bool>(false)

    package init(queue: DeliveryQueue, client: DeliveryClient = DeliveryClient(), faults: FaultRegistry? = nil) {
        self.queue = queue
        self.client = client
        self.faults = faults
    }

    package func start(periodic: @escaping @Sendable () -> Void = {}) {
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        dispatch.async { self.tick(periodic) }
    }

    /// Stops after the attempt in progress, if any.
    package func stop() {
        running.store(false, ordering: .releasing)
        dispatch.sync {}
    }

    /// Looks for due work now instead of at the next tick.
    package func kick() {
        guard running.load(ordering: .acquiring) else { return }
        dispatch.async { self.deliverDue() }
    }

    private func tick(_ periodic: @escaping @Sendable () -> Void) {
        guard running.load(ordering: .acquiring) else { return }
        periodic()
        deliverDue()
        dispatch.asyncAfter(deadline: .now() + .milliseconds(20)) { self.tick(periodic) }
    }

    package static func target(_ delivery: Delivery) -> FaultTarget {
        FaultTarget(dialect: "notification", path: (try? DeliveryClient.parse(delivery.url).get())?.path ?? "/", command: delivery.event,
                    paymentLinkID: delivery.paymentLinkID, merchantReference: delivery.payload["merchant_reference"]?.stringValue,
                    merchantIdentifier: delivery.merchantIdentifier)
    }

    private func deliverDue() {
        for delivery in queue.takeDue() {
            guard running.load(ordering: .acquiring) else {
                queue.release(id: delivery.id)
                continue
            }
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
    }
}
