import PayLinkCore

/// Publishes the expiries the clocks have passed (`EngineEvent.linkExpired`), so what follows an
/// expiry (a PayByLink request's Expired status and callback) happens soon after the clock
/// passes the date rather than when someone next reads the link. Each merchant's links are swept
/// at its own clock's time (`LinkEngine.sweepExpiries`, `MerchantClocks`).
package struct ExpirySweep: BackgroundService {
    package let name = "expiries"
    let engine: LinkEngine

    package init(engine: LinkEngine) { self.engine = engine }

    package func runDue() -> Int { engine.sweepExpiries() }
}
