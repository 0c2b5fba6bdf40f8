/// Open links by expiry, in one `ExpiryQueue` per merchant (a lane), so the expiry sweep asks
/// each merchant's clock what is due: a merchant whose own clock jumped a year ahead
/// (`MerchantClocks`) expires its own links and never makes the sweep look at, let alone
/// expire, another merchant's. Each lane also keeps what its sweeps published, so setting that
/// merchant's clock back before an expiry reopens the link.
///
/// Lanes are numbered by the store's merchant codes (`CompactLinks.merchantCode`); derived from
/// the links, so not in snapshots.
package struct ExpirySchedule: Sendable {
    package struct Lane: Sendable {
        package var queue = ExpiryQueue()
        /// Expiries the sweep published, kept so that setting the clock back before one
        /// reopens its link.
        package var swept: [ExpiryQueue.Entry] = []
        /// The lane's time at its last sweep, to see its clock go back.
        package var lastSweep: SandboxInstant?
    }

    /// By merchant code less one.
    package private(set) var lanes: [Lane] = []

    package init() {}

    /// Queues an Open link's expiry in its merchant's lane.
    package mutating func insert(ordinal: Int, expiry: SandboxInstant, merchantCode: UInt32) {
        lanes[lane(merchantCode)].queue.insert(ordinal: ordinal, expiry: expiry)
    }

    /// The index of `merchantCode`'s lane, made when it is new.
    private mutating func lane(_ merchantCode: UInt32) -> Int {
        let index = Int(merchantCode) - 1
        while lanes.count <= index { lanes.append(Lane()) }
        return index
    }

    /// Sweeps one lane at its merchant's time `now`: the ordinals of the links whose expiry
    /// `now` has passed since the lane's last sweep, and of those a clock set back before their
    /// expiry has made Open again. An entry is stale (and skipped) unless the link is still
    /// Open with that expiry.
    package mutating func sweep(lane index: Int, at now: SandboxInstant, links: CompactLinks) -> (expired: [Int], revived: [Int]) {
        var lane = lanes[index]
        lanes[index] = Lane()
        defer { lanes[index] = lane }
        func current(_ entry: ExpiryQueue.Entry) -> Bool {
            let ordinal = Int(entry.ordinal)
            return links.lifecycle(ordinal) == .open && links.expiry(ordinal) == entry.expiry.millisecondsSince1970
        }
        var revived: [Int] = []
        if let last = lane.lastSweep, now < last, !lane.swept.isEmpty {
            var kept: [ExpiryQueue.Entry] = []
            for entry in lane.swept {
                guard entry.expiry > now else { kept.append(entry); continue }
                guard current(entry) else { continue }
                lane.queue.insert(ordinal: Int(entry.ordinal), expiry: entry.expiry)
                revived.append(Int(entry.ordinal))
            }
            lane.swept = kept
        }
        lane.lastSweep = now
        guard !lane.queue.isEmpty else { return ([], revived) }
        var expired: [Int] = []
        for entry in lane.queue.popDue(at: now) where current(entry) {
            lane.swept.append(entry)
            expired.append(Int(entry.ordinal))
        }
        return (expired, revived)
    }

    /// The schedule carried over to a store rebuilt with other ordinals (a merchant's links
    /// removed): `ordinal` gives an old ordinal's new one (nil when the link went), `merchantCode`
    /// a new ordinal's merchant. An expiry already published is not published again.
    package func remapped(ordinal: (Int) -> Int?, merchantCode: (Int) -> UInt32) -> ExpirySchedule {
        var rebuilt = ExpirySchedule()
        for lane in lanes {
            var last: Int?
            for entry in lane.queue.entries {
                guard let moved = ordinal(Int(entry.ordinal)) else { continue }
                last = rebuilt.lane(merchantCode(moved))
                rebuilt.lanes[last!].queue.insert(ordinal: moved, expiry: entry.expiry)
            }
            for entry in lane.swept {
                guard let moved = ordinal(Int(entry.ordinal)) else { continue }
                last = rebuilt.lane(merchantCode(moved))
                rebuilt.lanes[last!].swept.append(ExpiryQueue.Entry(expiry: entry.expiry, ordinal: UInt32(moved)))
            }
            // A lane holds one merchant's links, so any entry kept names its new lane.
            if let last { rebuilt.lanes[last].lastSweep = lane.lastSweep }
        }
        return rebuilt
    }
}
