import PayLinkCore
import PayLinkJSON
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
        /// Paid or refused: what went to the return URL, shown again on another submit.
        case finished(parameters: JSONObject, title: String)
    }

    private struct State {
        var byID: [String: Session] = [:]
        var order: [String] = []
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 1_000) { self.capacity = capacity }

    func add(_ request: HostedCheckoutRequest, id: String) {
        state.withLock { state in
            state.byID[id] = Session(request: request, phase: .open)
            state.order.append(id)
            if state.order.count > capacity { state.byID[state.order.removeFirst()] = nil }
        }
    }

    func session(_ id: String) -> Session? { state.withLock { $0.byID[id] } }

    /// Moves the session from `from` to `paying` when it is in that phase (open, or waiting
    /// for its challenge), and returns it as it was; nil (and no change) otherwise.
    func claim(_ id: String, from phase: (Phase) -> Bool) -> Session? {
        state.withLock { state in
            guard let session = state.byID[id], phase(session.phase) else { return nil }
            state.byID[id]?.phase = .paying
            return session
        }
    }

    func set(_ id: String, _ phase: Phase) { state.withLock { $0.byID[id]?.phase = phase } }

    func reset() { state.withLock { $0 = State() } }
}
