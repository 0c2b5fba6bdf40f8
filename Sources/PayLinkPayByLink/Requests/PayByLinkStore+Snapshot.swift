import PayLinkJSON
import PayLinkCore

extension PayByLinkStore {
    /// Every request for payment and the store's identifier generator (GUIDs, short codes):
    /// taken by `snapshot()`, put back by `restore(_:)`. The indexes (by id, reference, link,
    /// short code) and the expiry sweep's list follow from the requests in creation order.
    package struct Snapshot: Sendable, Equatable {
        package var ids: IDGenerator.Snapshot
        /// In creation order.
        package var requests: [RequestForPayment]

        /// The largest total a request may have, in pence (999999.99 pounds).
        package static let amountLimit: Int64 = 99_999_999

        /// Checks what the store relies on, naming the field by its path in the state JSON
        /// (`paybylink.requests[2].payment_link_ids[0]`): unique ids, short codes and references
        /// per subscription; amounts and plans that add up; at least one core link per request,
        /// each a PayByLink link of `links` (the engine's, by id) and no other request's; plan
        /// progress that fits the links; a history.
        package func validate(links: [String: PaymentLink]) throws(SnapshotError) {
            var ids: [String: Int] = [:], codes: [String: Int] = [:], references: [String: Int] = [:], owners: [String: Int] = [:]
            for (i, request) in requests.enumerated() {
                let path = "paybylink.requests[\(i)]"
                func refuse(_ field: String, _ message: String) -> SnapshotError { SnapshotError(path: path + "." + field, message: message) }
                if let j = ids.updateValue(i, forKey: request.id) { throw refuse("request_id", "duplicates paybylink.requests[\(j)]") }
                if let j = codes.updateValue(i, forKey: request.shortCode) { throw refuse("short_code", "duplicates paybylink.requests[\(j)]") }
                if let j = references.updateValue(i, forKey: request.subscription + "\u{0}" + request.draft.clientTransactionRef) {
                    throw refuse("client_transaction_ref", "duplicates paybylink.requests[\(j)] (unique per subscription key)")
                }
                let draft = request.draft
                guard (1...Self.amountLimit).contains(draft.amount) else { throw refuse("amount", "must be between 1 and \(Self.amountLimit) pence") }
                guard (0...draft.amount).contains(request.amountPaid) else {
                    throw refuse("amount_paid", "must be between 0 and amount (\(draft.amount))")
                }
                if let plan = draft.plan {
                    guard (2...120).contains(plan.numberOfInstalments) else {
                        throw refuse("repayment_plan.number_of_instalments", "must be between 2 and 120")
                    }
                    // Bounded before `fits`, whose products would otherwise overflow.
                    guard (1...draft.amount).contains(plan.instalmentAmount), plan.fits(total: draft.amount) else {
                        throw refuse("repayment_plan.instalment_amount", "must split amount (\(draft.amount)) into number_of_instalments, the last taking the rest")
                    }
                }
                guard request.links.count > 0 else { throw refuse("payment_link_ids", "must name the request's first link") }
                guard request.links.count <= request.instalments else {
                    throw refuse("payment_link_ids", "must hold at most one link per instalment (\(request.instalments))")
                }
                for (k, id) in request.linkIDs.enumerated() {
                    guard let link = links[id], link.merchantIdentifier == PayByLinkStore.ownerName else {
                        throw refuse("payment_link_ids[\(k)]", "must name a link of \(PayByLinkStore.ownerName) in the snapshot's links")
                    }
                    if let j = owners.updateValue(i, forKey: id) { throw refuse("payment_link_ids[\(k)]", "is already a link of paybylink.requests[\(j)]") }
                }
                guard (request.links.count - 1...request.links.count).contains(request.instalmentsPaid) else {
                    throw refuse("instalments_paid", "must be the number of links (\(request.links.count)) or one less")
                }
                guard request.lastChange != nil else { throw refuse("history", "must hold at least the request's first status") }
                guard request.updatedAt >= request.createdAt else { throw refuse("updated_at", "must not be before created_at") }
            }
        }

        package init(ids: IDGenerator.Snapshot, requests: [RequestForPayment]) {
            self.ids = ids
            self.requests = requests
        }
    }
}
