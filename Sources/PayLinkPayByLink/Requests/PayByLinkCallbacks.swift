import PayLinkCore
import PayLinkJSON

/// Posts each status change of a request to its `CallbackUrl` through the sandbox's delivery
/// queue, so callbacks are retried on the sandbox clock like APS notifications and listed by
/// `GET /__sandbox/deliveries` (event `PAYBYLINK_STATUS`).
package struct PayByLinkCallbacks: Sendable {
    package let queue: DeliveryQueue
    /// Wakes the delivery worker so the callback goes out at once.
    package let wake: @Sendable () -> Void

    package static let event = "PAYBYLINK_STATUS"

    package func statusChanged(_ request: RequestForPayment, from previous: PayByLinkStatus, at now: SandboxInstant) {
        guard let url = request.draft.callbackURL else { return }
        var payload: JSONObject = [
            "EventType": "RequestStatusChanged",
            "RequestId": .string(request.id),
            "ClientTransactionRef": .string(request.draft.clientTransactionRef),
            "AccountReference": .string(request.draft.accountReference),
            "Status": .string(request.status.rawValue),
            "PreviousStatus": .string(previous.rawValue),
            "Amount": .number(PoundAmount.format(request.draft.amount)),
            "AmountPaid": .number(PoundAmount.format(request.amountPaid)),
            "Currency": "GBP",
            "ChangedAt": .string(ISO8601.formatUTC(now)),
        ]
        if let plan = request.draft.plan {
            payload["InstalmentsPaid"] = .number(request.instalmentsPaid)
            payload["NumberOfInstalments"] = .number(plan.numberOfInstalments)
        }
        if let note = request.lastChange?.note { payload["Reason"] = .string(note) }
        queue.enqueue(url: url, format: .json, event: Self.event, payload: payload, merchantIdentifier: PayByLinkStore.ownerName,
                      fortID: nil, paymentLinkID: request.currentLinkID)
        wake()
    }

    package init(queue: DeliveryQueue, wake: @escaping @Sendable () -> Void) {
        self.queue = queue
        self.wake = wake
    }
}
