import PayLinkCore
import Synchronization

/// The armed faults of one sandbox. Matching and counting happen under one lock, so a fault
/// armed for the next N matches hits exactly N, however many requests race for it.
package final class FaultRegistry: Sendable {
    /// A fault as armed, with what it has done so far.
    package struct Armed: Sendable {
        package var id: String
        package var fault: Fault
        package var hits: Int
        package var remaining: Int?
        package var random: SplitMix64
    }

    private struct State {
        var armed: [Armed] = []
        var issued = 0
    }
    private let state = Mutex(State())
    /// Read without the lock on every request: most sandboxes have no faults armed.
    private let requestFaultCount = Atomic<Int>(0)
    /// Request faults that wait for the answer's `response_code`.
    private let answerFaultCount = Atomic<Int>(0)

    package init() {}

    @discardableResult
    package func arm(_ fault: Fault) -> String {
        state.withLock { state in
            state.issued += 1
            let id = "fault-\(state.issued)"
            state.armed.append(Armed(id: id, fault: fault, hits: 0, remaining: fault.times, random: SplitMix64(seed: fault.seed)))
            publishCount(state)
            return id
        }
    }

    package func list() -> [Armed] { state.withLock { $0.armed } }

    /// Disarms one fault; false when no fault has that id.
    @discardableResult
    package func disarm(id: String) -> Bool {
        state.withLock { state in
            let before = state.armed.count
            state.armed.removeAll { $0.id == id }
            publishCount(state)
            return state.armed.count < before
        }
    }

    package func disarmAll() {
        state.withLock { state in
            state.armed.removeAll()
            publishCount(state)
        }
    }

    package var hasRequestFaults: Bool { requestFaultCount.load(ordering: .relaxed) > 0 }

    /// Whether a request fault matches on `response_code`, so answers must be looked at.
    package var hasAnswerFaults: Bool { answerFaultCount.load(ordering: .relaxed) > 0 }

    /// The first armed request fault that matches and fires, counted as a hit. Before
    /// processing (`target.responseCode` nil) faults that match on `response_code` are passed
    /// by; after, only those are looked at, so no fault is drawn for twice.
    package func takeRequestFault(for target: FaultTarget) -> Fault.Action? {
        take(target, notifications: false, answered: target.responseCode != nil)
    }

    package func takeNotificationFault(for target: FaultTarget) -> Fault.Action? { take(target, notifications: true, answered: nil) }

    /// `answered`: nil looks at every fault; true only at those matching on `response_code`; false at the others.
    private func take(_ target: FaultTarget, notifications: Bool, answered: Bool?) -> Fault.Action? {
        state.withLock { state in
            for index in state.armed.indices {
                let fault = state.armed[index].fault
                if let answered, answered != (fault.match.responseCode != nil) { continue }
                guard fault.action.affectsNotifications == notifications, fault.match.accepts(target) else { continue }
                if fault.action.isAPSOnly && target.dialect != "aps" { continue }
                if let probability = fault.probability, state.armed[index].random.nextUnit() >= probability { continue }
                state.armed[index].hits += 1
                let action = fault.action
                if let remaining = state.armed[index].remaining {
                    if remaining <= 1 {
                        state.armed.remove(at: index)
                        publishCount(state)
                    } else {
                        state.armed[index].remaining = remaining - 1
                    }
                }
                return action
            }
            return nil
        }
    }

    private func publishCount(_ state: State) {
        let requestFaults = state.armed.filter { !$0.fault.action.affectsNotifications }
        requestFaultCount.store(requestFaults.count, ordering: .relaxed)
        answerFaultCount.store(requestFaults.filter { $0.fault.match.responseCode != nil }.count, ordering: .relaxed)
    }
}
