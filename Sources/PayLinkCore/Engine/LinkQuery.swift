/// What the dashboard and `GET /__sandbox/links` search links by. Every condition that is set
/// must hold; an empty query matches every link.
///
/// `matches(_:)` is the definition; `LinkIndex` answers the same question without looking at
/// every link, and the tests hold the two to the same answers.
package struct LinkQuery: Sendable, Equatable {
    /// The link's merchant, exactly.
    package var merchant: String?
    /// The merchant reference, exactly (with any merchant unless `merchant` is set too).
    package var reference: String?
    /// The state at the query's instant: Open and Expired follow the clock.
    package var state: LinkState?
    /// Created at or after this instant.
    package var createdFrom: SandboxInstant?
    /// Created before this instant.
    package var createdBefore: SandboxInstant?
    /// Text found, ignoring case, in the link ID, merchant reference, customer e-mail or
    /// customer name (`textNeedle` is how it is compared).
    package var text: String?

    package init(merchant: String? = nil, reference: String? = nil, state: LinkState? = nil,
                 createdFrom: SandboxInstant? = nil, createdBefore: SandboxInstant? = nil, text: String? = nil) {
        self.merchant = merchant
        self.reference = reference
        self.state = state
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
        self.text = text
    }

    /// Whether `view` (read at the query's instant) matches: the brute-force definition.
    package func matches(_ view: LinkView) -> Bool {
        let link = view.link
        if let merchant, link.merchantIdentifier != merchant { return false }
        if let reference, link.merchantReference != reference { return false }
        if let state, view.state != state { return false }
        if let createdFrom, link.createdAt < createdFrom { return false }
        if let createdBefore, link.createdAt >= createdBefore { return false }
        if let needle = textNeedle {
            guard let text, Self.isSearchable(text) else { return false }
            return Self.searchedFields(link).contains { field in LinkTextIndex.folded(field).contains(needle) }
        }
        return true
    }

    /// The fields `text` is looked for in.
    package static func searchedFields(_ link: PaymentLink) -> [String] {
        [link.id, link.merchantReference, link.customerEmail, link.customerName ?? ""]
    }

    /// The text's bytes as the index compares them (lower case, UTF-8); nil when no text is
    /// asked for.
    package var textNeedle: [UInt8]? {
        guard let text, !text.isEmpty else { return nil }
        return LinkTextIndex.folded(text)
    }

    /// Whether `text` is free of control characters. A text with one matches nothing (the
    /// index separates fields with one), so callers refuse it rather than answer empty.
    package static func isSearchable(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in these bytes (a plain scan: the definition, not the fast path).
    fileprivate func contains(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        if needle.isEmpty { return true }
        for start in 0...(count - needle.count) where self[start] == needle[0] {
            if self[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }
}
