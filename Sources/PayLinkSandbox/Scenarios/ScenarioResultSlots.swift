import Synchronization

/// Results of scenarios run in parallel, each stored in its own slot.
final class ScenarioResultSlots: Sendable {
    private let slots: Mutex<[ScenarioResult?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func store(_ index: Int, _ result: ScenarioResult) { slots.withLock { $0[index] = result } }

    var all: [ScenarioResult] {
        slots.withLock { $0.map { $0 ?? ScenarioResult(scenario: "?", file: "?", passed: false, durationSeconds: 0, transcript: []) } }
    }
}
