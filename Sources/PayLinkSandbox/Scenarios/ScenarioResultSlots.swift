import Synchronization

/// Results of scenarios run in parallel, each stored in its own slot.
package final class ScenarioResultSlots: Sendable {
    private let slots: Mutex<[ScenarioResult?]>

    package init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    package func store(_ index: Int, _ result: ScenarioResult) { slots.withLock { $0[index] = result } }

    package var all: [ScenarioResult] {
        slots.withLock { $0.map { $0 ?? ScenarioResult(scenario: "?", file: "?", passed: false, durationSeconds: 0, transcript: []) } }
    }
}
