import PayLinkPayByLink

/// Records the PayByLink requests the sandbox clock has expired, so their Expired callbacks go
/// out soon after the clock passes the date rather than when someone next reads them.
package struct ExpirySweep: BackgroundService {
    package let name = "expiries"
    let store: PayByLinkStore

    package init(store: PayByLinkStore) { self.store = store }

    package func runDue() -> Int { store.sweepExpired() }
}
