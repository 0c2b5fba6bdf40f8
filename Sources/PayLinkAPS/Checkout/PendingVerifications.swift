import PayLinkCore
import Synchronization

/// Payments waiting for the customer to prove something: a 3-D Secure challenge code or a
/// wallet's one-time password. Bounded (the oldest are forgotten past `capacity`), and each
/// is answered once.
package final class PendingVerifications: Sendable {
    package enum Kind: Sendable, Equatable {
        case threeDSecure
        case walletOTP
    }

    /// What the payment is for: a payment link (its id) or a hosted checkout session (its id).
    package enum Owner: Sendable, Equatable {
        case link(String)
        case checkoutSession(String)
    }

    package struct Pending: Sendable, Equatable {
        package var owner: Owner
        package var kind: Kind
        /// Masked card data only: a pending challenge never holds a full card number.
        package var details: PaymentDetails
    }

    private struct State {
        var byID: [String: Pending] = [:]
        var order: [String] = []
        var issued: UInt64 = 0
    }

    private let state = Mutex(State())
    private let capacity: Int
    /// The hosted checkout's sessions: payments waiting for the customer's card.
    let checkoutSessions = CheckoutSessions()
    /// The simulated Tamara and Tabby checkouts under way (`BNPLCheckout`).
    let bnplSessions = BNPLSessions()

    package init(capacity: Int = 1_000) { self.capacity = capacity }

    /// Stores a verification and returns its id (`3ds-1`, `otp-2`, …: sequential, so runs repeat).
    package func add(_ pending: Pending) -> String {
        state.withLock { state in
            state.issued += 1
            let id = (pending.kind == .threeDSecure ? "3ds-" : "otp-") + String(state.issued)
            state.byID[id] = pending
            state.order.append(id)
            if state.order.count > capacity {
                let dropped = state.order.removeFirst()
                state.byID[dropped] = nil
            }
            return id
        }
    }

    /// Takes the verification if it exists, belongs to this owner and is of this kind.
    package func take(id: String, owner: Owner, kind: Kind) -> Pending? {
        state.withLock { state in
            guard let pending = state.byID[id], pending.owner == owner, pending.kind == kind else { return nil }
            state.byID[id] = nil
            state.order.removeAll { $0 == id }
            return pending
        }
    }

    package func reset() {
        state.withLock { $0 = State() }
        checkoutSessions.reset()
        bnplSessions.reset()
    }
}
