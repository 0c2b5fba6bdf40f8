import PayLinkCore
import PayLinkJSON
import Synchronization

/// The simulated provider checkouts under way. In memory and bounded (the oldest are
/// forgotten past `capacity`): a restart or a reset loses the unfinished ones, as the
/// provider's browser session would be lost; a finished one is an order and is never lost.
/// Each session records one outcome: `claim` lets one request through.
final class BNPLSessions: Sendable {
    struct Session: Sendable {
        var provider: BNPLProvider
        var origin: Origin
        var merchantIdentifier: String
        var summary: PageSummary
        var language: String
        var returnURL: String?
        /// The request's (or link's) phone number, offered on the sign-in page.
        var phoneNumber: String?
        var customerIP: String?
        var startedAt: SandboxInstant
        var expiresAt: SandboxInstant
        var step: Step
    }

    /// What the session pays: a hosted checkout request (and the payment page's session when the
    /// customer chose the provider there), or a payment link.
    enum Origin: Sendable {
        case checkout(HostedCheckoutRequest, pageSession: String?)
        case link(id: String)
    }

    enum Step: Sendable {
        case signIn
        /// Signed in; `failures` wrong one-time passwords so far.
        case otp(BNPLTestAccounts.Account, failures: Int)
        /// The schedule is shown with the approve, decline and cancel buttons.
        case decision
        /// An outcome is being recorded (between `claim` and `finish`).
        case recording
        /// What went to the return URL, shown again on any later request.
        case finished(parameters: JSONObject, title: String)
    }

    private struct State {
        var byID: [String: Session] = [:]
        var order: [String] = []
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 1_000) { self.capacity = capacity }

    func add(_ session: Session, id: String) {
        state.withLock { state in
            state.byID[id] = session
            state.order.append(id)
            if state.order.count > capacity { state.byID[state.order.removeFirst()] = nil }
        }
    }

    func session(_ id: String) -> Session? { state.withLock { $0.byID[id] } }

    /// Moves an unfinished session to `recording` and returns it as it was; nil when it is
    /// unknown, finished or already being recorded.
    func claim(_ id: String) -> Session? {
        state.withLock { state in
            guard let session = state.byID[id] else { return nil }
            switch session.step {
            case .recording, .finished: return nil
            case .signIn, .otp, .decision:
                state.byID[id]?.step = .recording
                return session
            }
        }
    }

    /// Moves the session on, unless it was claimed or finished meanwhile; returns whether it moved.
    @discardableResult
    func advance(_ id: String, to step: Step) -> Bool {
        state.withLock { state in
            guard let session = state.byID[id] else { return false }
            switch session.step {
            case .recording, .finished: return false
            case .signIn, .otp, .decision:
                state.byID[id]?.step = step
                return true
            }
        }
    }

    func finish(_ id: String, parameters: JSONObject, title: String) {
        state.withLock { $0.byID[id]?.step = .finished(parameters: parameters, title: title) }
    }

    func remove(_ id: String) {
        state.withLock { state in
            state.byID[id] = nil
            state.order.removeAll { $0 == id }
        }
    }

    /// Unfinished sessions whose time is up on their merchant's clock (`now`).
    func due(now: (String) -> SandboxInstant) -> [String] {
        state.withLock { state in
            state.order.filter { id in
                guard let session = state.byID[id] else { return false }
                switch session.step {
                case .recording, .finished: return false
                case .signIn, .otp, .decision: return now(session.merchantIdentifier) >= session.expiresAt
                }
            }
        }
    }

    func reset() { state.withLock { $0 = State() } }
}
