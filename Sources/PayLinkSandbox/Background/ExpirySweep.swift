import PayLinkCore

/// Publishes the expiries the sandbox clock has passed (`EngineEvent.linkExpired`), so what
/// follows an expiry (a PayByLink request's Expired status and callback) happens soon after the
/// clock passes the date rather than when someone next reads the link.
package struct ExpirySweep: BackgroundService {
    package let name = "expiries"
    let engine: LinkEngine

    package init(engine: LinkEngine) { self.engine = engine }

    package func runDue() -> Int { engine.sweepExpiries() }
}
