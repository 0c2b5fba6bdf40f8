import Synchronization

/// Searches over the links, answered from `LinkIndex` under the engine's lock: the work grows
/// with the links that can match and the page asked for, not with every link held.
extension LinkEngine {
    /// One page of a search, newest first (as the dashboard lists links): the `limit` links
    /// after the first `offset`, and how many match in all.
    package func links(matching query: LinkQuery, newestFirst offset: Int, limit: Int) -> (links: [LinkView], total: Int) {
        let times = clocks.times()
        return store.withLock { store in
            var total = 0
            var page: [LinkView] = []
            let window = offset..<(offset + max(0, limit))
            if query == LinkQuery() {
                // Everything matches: the count is known, and only the page is read.
                total = store.index.count
                let upper = max(0, total - window.lowerBound), lower = max(0, total - window.upperBound)
                for ordinal in stride(from: upper - 1, through: lower, by: -1) { page.append(store.view(ordinal, at: times)) }
                return (page, total)
            }
            store.index.forEachMatch(query, in: store.links, at: times, newestFirst: true) { ordinal in
                if window.contains(total) { page.append(store.view(ordinal, at: times)) }
                total += 1
                return true
            }
            return (page, total)
        }
    }

    /// Up to `limit` links matching `query` in creation order, starting after the link
    /// `after` names, and whether more match past them. Nil when `after` names no link.
    package func links(matching query: LinkQuery, after: String?, limit: Int) -> (links: [LinkView], more: Bool)? {
        let times = clocks.times()
        return store.withLock { store -> (links: [LinkView], more: Bool)? in
            var cursor: Int?
            if let after {
                guard let ordinal = store.links.ordinal(id: after) else { return nil }
                cursor = ordinal
            }
            var page: [LinkView] = []
            var more = false
            store.index.forEachMatch(query, in: store.links, at: times, newestFirst: false, cursor: cursor) { ordinal in
                guard page.count < limit else { more = true; return false }
                page.append(store.view(ordinal, at: times))
                return true
            }
            return (page, more)
        }
    }

    /// How many links match `query` now (each link's state by its merchant's clock).
    package func countLinks(matching query: LinkQuery) -> Int {
        let times = clocks.times()
        return store.withLock { store in
            var total = 0
            store.index.forEachMatch(query, in: store.links, at: times, newestFirst: false) { _ in
                total += 1
                return true
            }
            return total
        }
    }
}

extension LinkStore {
    fileprivate func view(_ ordinal: Int, at times: ClockTimes) -> LinkView {
        LinkView(links[ordinal], at: times)
    }
}
