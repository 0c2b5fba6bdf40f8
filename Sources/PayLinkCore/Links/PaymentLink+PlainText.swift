extension PaymentLink {
    /// Whether the text a status check shows of the link (its ID and its terms' strings, the
    /// merchant extras, return URL and settlement reference aside) is all printable ASCII
    /// without `"` or `\`: text a JSON writer copies as it is. Worked out once when the link
    /// is kept among the recent links (`RecentLinks`) and lent with it, so the answer to every
    /// status check of it does not look at each value again. Stricter than JSON needs (any
    /// non-ASCII text is "not known plain"), which only sends such links the usual way.
    package var shownTextIsPlain: Bool {
        Self.isPlain(id) && Self.isPlain(terms.merchantIdentifier) && Self.isPlain(terms.merchantReference)
            && Self.isPlain(terms.currency) && Self.isPlain(terms.language) && Self.isPlain(terms.customerEmail)
            && Self.isPlain(terms.customerName) && Self.isPlain(terms.customerPhone)
            && Self.isPlain(terms.orderDescription) && Self.isPlain(terms.notificationType)
    }

    private static func isPlain(_ text: String?) -> Bool {
        guard let text else { return true }
        return text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }
}
