import Synchronization

/// Payments made without a payment link: the hosted checkout (`FortAPI/paymentPage`) and
/// server-to-server payments (with a saved card's token, or card data on the trusted channel).
/// Each makes one order, as a link's payment does, under the same lock and with the same
/// identifiers, so CHECK_STATUS, CAPTURE, VOID_AUTHORIZATION and REFUND work on it unchanged.
extension LinkEngine {
    /// Whether the merchant has used `reference` already, for a link or an order.
    package func hasReference(merchant: String, reference: String) -> Bool {
        store.withLock { $0.hasLink(merchant: merchant, reference: reference) || $0.orders.newest(merchant: merchant, reference: reference) != nil }
    }

    /// A `fort_id` no order has yet, for a payment that must name its transaction before it
    /// ends (a server-to-server payment waiting for 3-D Secure answers `20064` with it). The
    /// order made later with it is refused if another took it meanwhile (never, in practice:
    /// they are random 18-digit numbers).
    package func reserveFortID() -> String {
        store.withLock { store in
            var fortID = store.ids.numericID()
            while store.hasOrder(fortID: fortID) { fortID = store.ids.numericID() }
            recorder?.record(.ids(store.ids.snapshot))
            return fortID
        }
    }

    /// Records a payment made without a link: approved, declined (with the code the customer
    /// saw) or uncertain (settled by `resolveDueUncertainPayments`). The merchant reference
    /// must be new for the merchant: no link and no order has it.
    package func checkoutPayment(_ terms: CheckoutTerms, details: PaymentDetails, status: OrderStatus,
                                 fortID reserved: String? = nil) throws(CheckoutError) -> Order {
        let now = clocks.now(for: terms.merchantIdentifier)
        let order = try store.withLock { (store: inout LinkStore) throws(CheckoutError) -> Order in
            guard !store.hasLink(merchant: terms.merchantIdentifier, reference: terms.merchantReference),
                  store.orders.newest(merchant: terms.merchantIdentifier, reference: terms.merchantReference) == nil else {
                throw .duplicateReference
            }
            var fortID: String
            if let reserved {
                guard !store.hasOrder(fortID: reserved) else { throw .fortIDTaken }
                fortID = reserved
            } else {
                fortID = store.ids.numericID()
                while store.hasOrder(fortID: fortID) { fortID = store.ids.numericID() }
            }
            let order = Order(
                fortID: fortID, merchantIdentifier: terms.merchantIdentifier, merchantReference: terms.merchantReference,
                paymentLinkID: nil, command: terms.command, currency: terms.currency, amount: terms.amount,
                authorizationCode: status == .approved || status.isUncertainApproval ? store.ids.numericID(length: 6) : "",
                payment: details, createdAt: now, status: status, requestFields: terms.requestFields)
            store.insert(order)
            if case .uncertain = status { store.pendingFortIDs.append(fortID) }
            recorder?.record([.order(order), .ids(store.ids.snapshot)])
            return order
        }
        events.publish(.checkoutPayment(order))
        return order
    }
}

extension LinkEngine {
    /// A new `token_name`: 32 lowercase hex digits from the engine's identifiers (so a seeded
    /// sandbox names its tokens the same way every run).
    package func drawTokenName() -> String {
        store.withLock { store in
            let name = store.ids.hexToken(bytes: 16)
            recorder?.record(.ids(store.ids.snapshot))
            return name
        }
    }
}
