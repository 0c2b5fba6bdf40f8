import PayLinkCore
import PayLinkJSON
import PayLinkSupport
import Synchronization

/// Hosted checkout sessions: a checked paymentPage request waiting for the customer to pay
/// on the page at `/FortAPI/paymentPage/checkout/{id}`. In memory and bounded (the oldest are
/// forgotten past `capacity`): a restart or a reset loses the unfinished ones, as a browser
/// session on APS's page would be lost; a finished payment is an order and is never lost.
/// Each session pays once: `claim` lets one submit through.
final class CheckoutSessions: Sendable {
    struct Session: Sendable {
        var request: HostedCheckoutRequest
        var phase: Phase
    }

    enum Phase: Sendable {
        /// The form is shown; nothing paid.
        case open
        /// A submit is being paid (between `claim` and the outcome).
        case paying
        /// A 3-D Secure challenge waits; `saveCard` is the customer's "save this card" choice.
        case challenge(saveCard: Bool)
        /// The customer went on to Tamara's or Tabby's simulated checkout, which ends the session.
        case withProvider(BNPLProvider)
        /// An installments request's card was taken and is eligible: the customer picks a plan
        /// (`HostedCheckout.PlanStep`: the card's masked details, never its number).
        case choosingPlan(HostedCheckout.PlanStep)
        /// Paid or refused: what went to the return URL, shown again on another submit.
        case finished(parameters: JSONObject, title: String)
    }

    private let sessions: Mutex<BoundedTable<String, Session>>

    init(capacity: Int = 1_000) { sessions = Mutex(BoundedTable(capacity: capacity)) }

    func add(_ request: HostedCheckoutRequest, id: String) {
        sessions.withLock { $0.insert(Session(request: request, phase: .open), for: id) }
    }

    func session(_ id: String) -> Session? { sessions.withLock { $0[id] } }

    /// Moves the session from `from` to `paying` when it is in that phase (open, or waiting
    /// for its challenge), and returns it as it was; nil (and no change) otherwise.
    func claim(_ id: String, from phase: (Phase) -> Bool) -> Session? {
        sessions.withLock { sessions in
            sessions.update(id) { session -> Session? in
                guard phase(session.phase) else { return nil }
                defer { session.phase = .paying }
                return session
            } ?? nil
        }
    }

    func set(_ id: String, _ phase: Phase) { sessions.withLock { $0.update(id) { $0.phase = phase } } }

    /// Replaces the session's request (its terms gain the chosen installment plan before paying,
    /// so a 3-D Secure challenge's answer pays with them).
    func set(_ id: String, request: HostedCheckoutRequest) { sessions.withLock { $0.update(id) { $0.request = request } } }

    func reset() { sessions.withLock { $0.removeAll() } }

    /// Forgets one merchant's sessions (a reset of that merchant); returns their ids.
    func reset(merchant: String) -> [String] {
        sessions.withLock { sessions in
            let ids = sessions.keys(where: { $0.request.merchant.identifier == merchant })
            for id in ids { sessions.remove(id) }
            return ids
        }
    }
}
