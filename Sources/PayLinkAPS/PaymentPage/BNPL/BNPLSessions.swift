import PayLinkCore
import PayLinkJSON
import PayLinkSupport
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

    private let sessions: Mutex<BoundedTable<String, Session>>

    init(capacity: Int = 1_000) { sessions = Mutex(BoundedTable(capacity: capacity)) }

    func add(_ session: Session, id: String) { sessions.withLock { $0.insert(session, for: id) } }

    func session(_ id: String) -> Session? { sessions.withLock { $0[id] } }

    /// Moves an unfinished session to `recording` and returns it as it was; nil when it is
    /// unknown, finished or already being recorded.
    func claim(_ id: String) -> Session? {
        sessions.withLock { sessions in
            sessions.update(id) { session -> Session? in
                guard session.isUnderWay else { return nil }
                defer { session.step = .recording }
                return session
            } ?? nil
        }
    }

    /// Moves the session on, unless it was claimed or finished meanwhile; returns whether it moved.
    @discardableResult
    func advance(_ id: String, to step: Step) -> Bool {
        sessions.withLock { sessions in
            sessions.update(id) { session -> Bool in
                guard session.isUnderWay else { return false }
                session.step = step
                return true
            } ?? false
        }
    }

    func finish(_ id: String, parameters: JSONObject, title: String) {
        sessions.withLock { $0.update(id) { $0.step = .finished(parameters: parameters, title: title) } }
    }

    func remove(_ id: String) { sessions.withLock { _ = $0.remove(id) } }

    /// Unfinished sessions whose time is up on their merchant's clock (`now`).
    func due(now: (String) -> SandboxInstant) -> [String] {
        sessions.withLock { sessions in
            sessions.keys(where: { $0.isUnderWay && now($0.merchantIdentifier) >= $0.expiresAt })
        }
    }

    func reset() { sessions.withLock { $0.removeAll() } }

    /// Forgets one merchant's unfinished and finished sessions (a reset of that merchant).
    func reset(merchant: String) { sessions.withLock { $0.removeAll { $0.merchantIdentifier == merchant } } }
}

extension BNPLSessions.Session {
    /// Still waiting for the customer: not being recorded, not finished.
    var isUnderWay: Bool {
        switch step {
        case .recording, .finished: false
        case .signIn, .otp, .decision: true
        }
    }
}
