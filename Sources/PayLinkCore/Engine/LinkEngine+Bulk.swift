extension LinkEngine {
    /// Creates a link for each of `terms`, in order, exactly as `createLink` would one after the
    /// other, and returns one outcome each: the bulk entry point of batch files (the PayByLink
    /// store and APS payment-link files call it with a run of records at a time). Today it is
    /// that loop; a store that can take many links under one hold of its lock, with its tables
    /// grown once, can do so here without its callers changing.
    package func createLinks(_ terms: [(terms: LinkTerms, requestedID: String?)]) -> [Result<LinkView, LinkError>] {
        terms.map { item in
            do throws(LinkError) { return .success(try createLink(item.terms, requestedID: item.requestedID)) } catch { return .failure(error) }
        }
    }
}
