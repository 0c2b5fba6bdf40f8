import PayLinkCore
import PayLinkSupport
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
        var pending: BoundedTable<String, Pending>
        var issued: UInt64 = 0
    }

    private let state: Mutex<State>
    /// The hosted checkout's sessions: payments waiting for the customer's card.
    let checkoutSessions = CheckoutSessions()
    /// The simulated Tamara and Tabby checkouts under way (`BNPLCheckout`).
    let bnplSessions = BNPLSessions()

    package init(capacity: Int = 1_000) { state = Mutex(State(pending: BoundedTable(capacity: capacity))) }

    /// Stores a verification and returns its id (`3ds-1`, `otp-2`, …: sequential, so runs repeat).
    package func add(_ pending: Pending) -> String {
        state.withLock { state in
            state.issued += 1
            let id = (pending.kind == .threeDSecure ? "3ds-" : "otp-") + String(state.issued)
            state.pending.insert(pending, for: id)
            return id
        }
    }

    /// Takes the verification if it exists, belongs to this owner and is of this kind.
    package func take(id: String, owner: Owner, kind: Kind) -> Pending? {
        state.withLock { state in
            guard let pending = state.pending[id], pending.owner == owner, pending.kind == kind else { return nil }
            return state.pending.remove(id)
        }
    }

    /// Forgets what one merchant's customers are in the middle of on the hosted checkout and
    /// the provider checkouts, and the codes those sessions wait for (a reset of that merchant).
    /// A link's pending code needs nothing: the reset removed its link, so it can never be used.
    package func reset(merchant: String) {
        let sessions = Set(checkoutSessions.reset(merchant: merchant))
        bnplSessions.reset(merchant: merchant)
        state.withLock { state in
            state.pending.removeAll { pending in
                if case .checkoutSession(let id) = pending.owner { sessions.contains(id) } else { false }
            }
        }
    }

    package func reset() {
        state.withLock { state in
            state.pending.removeAll()
            state.issued = 0
        }
        checkoutSessions.reset()
        bnplSessions.reset()
    }
}
