import Synchronization

/// The engine's side of the merchants' own clocks (`MerchantClocks`): each link's state is
/// derived from its merchant's time, and the expiry sweep asks each merchant's clock what is due.
extension LinkEngine {
    /// The time for `merchant`'s links and orders.
    package func now(for merchant: String) -> SandboxInstant { clocks.now(for: merchant) }

    /// Publishes `linkExpired` for each Open link whose expiry its merchant's clock has passed
    /// since the last sweep, and `linkReopened` for each such link that clock has since been
    /// set back before (expiry is derived from the clock, so setting it back makes the link
    /// Open again); returns how many. A link extended, paid or closed meanwhile is not reported.
    /// Each merchant's lane is swept at its own time, so one merchant's clock never expires
    /// another merchant's links.
    @discardableResult
    package func sweepExpiries() -> Int {
        let times = clocks.times()
        let (expired, revived) = store.withLock { store -> ([LinkView], [LinkView]) in
            let lanes = store.expiries.lanes.count
            guard lanes > 0 else { return ([], []) }
            // Merchant codes start at 1; lane i is code i + 1.
            let merchants = times.isUniform ? [] : store.links.merchantIdentifiers
            var expired: [LinkView] = [], revived: [LinkView] = []
            for lane in 0..<lanes {
                let now = lane < merchants.count ? times.now(for: merchants[lane]) : times.global
                let swept = store.expiries.sweep(lane: lane, at: now, links: store.links)
                for ordinal in swept.revived { revived.append(LinkView(store.links[ordinal], at: times)) }
                for ordinal in swept.expired { expired.append(LinkView(store.links[ordinal], at: times)) }
            }
            return (expired, revived)
        }
        for view in revived { events.publish(.linkReopened(view)) }
        for view in expired { events.publish(.linkExpired(view)) }
        return expired.count + revived.count
    }
}

extension LinkView {
    /// The link as its merchant's clock sees it in `times`.
    package init(_ link: PaymentLink, at times: ClockTimes) {
        let now = times.now(for: link.merchantIdentifier)
        self.init(link: link, state: link.state(at: now), now: now)
    }
}
