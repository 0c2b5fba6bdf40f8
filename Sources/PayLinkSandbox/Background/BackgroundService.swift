/// One kind of background work: deliveries, settlements of uncertain payments, batch
/// processing, expiry sweeps. Each does what is due now on the sandbox clock when asked, so a
/// ticker can run it in production and a test (or `POST /__sandbox/settle`) can run it by hand.
package protocol BackgroundService: Sendable {
    /// Named in the answer of `POST /__sandbox/settle`.
    var name: String { get }
    /// Does everything due now; returns how many items it handled (0 when there was nothing).
    func runDue() -> Int
    /// Called when the sandbox stops, before the last run ends.
    func stop()
}

extension BackgroundService {
    /// Most services need nothing done when the sandbox stops.
    package func stop() {}
}
