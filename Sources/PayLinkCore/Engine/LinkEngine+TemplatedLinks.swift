import Synchronization

extension LinkEngine {
    /// The links a run of `createLinks(from:)` made: the view of each link made, in the order
    /// of its item, and the items refused, by index, ascending.
    package struct CreatedLinks: Sendable {
        package var views: [LinkView] = []
        package var refused: [(index: Int, error: LinkError)] = []
    }

    /// `createLinks(prepared:publishing: false)` for links whose terms but the reference and
    /// expiry were made before the lock (a PayByLink batch's, on its reading thread): each link
    /// comes out as `createLink` of its `TemplatedLink.terms` would make it, under one hold of
    /// the lock, and the caller publishes their creation. The views come in one array, not a
    /// `Result` a link, so the caller hands it on as it is (`EngineEvent.linksCreated`) where
    /// the results' views were each copied into a new array.
    package func createLinks(from items: [TemplatedLink]) -> CreatedLinks {
        let times = clocks.times()
        return store.withLock { store in
            var created = CreatedLinks()
            created.views.reserveCapacity(items.count)
            // Each item's parts read in place: a copy of the item retained its template and
            // reference only to release them after.
            for index in items.indices {
                let template = items[index].template
                do throws(LinkError) {
                    let terms = template.terms(merchantReference: items[index].merchantReference, expiry: items[index].expiry)
                    created.views.append(try create(terms, customerText: template.customerText, requestedID: nil,
                                                    at: times.now(for: template.merchantIdentifier), in: &store))
                } catch {
                    created.refused.append((index, error))
                }
            }
            return created
        }
    }
}
