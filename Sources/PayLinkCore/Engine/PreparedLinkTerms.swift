/// A link's customer text (e-mail, name, phone, order description, return URL, settlement
/// reference) with what the link store makes of it made in advance: the store's encoding of
/// those fields and the text index's folded e-mail and name. A batch makes it on its reading
/// thread, so the thread that holds the store's lock only copies the bytes in.
///
/// The fields are kept beside their bytes and reach the link only through
/// `PreparedLinkTerms`, which takes them from here: a link's text and its prepared bytes
/// cannot disagree. A class, so that handing it on (from the reading thread's record to the
/// run's terms to the store) is a retain, not a copy of eight fields through the runtime.
package final class LinkCustomerText: Sendable {
    let customerEmail: String
    let customerName: String?
    let customerPhone: String?
    let orderDescription: String?
    let returnURL: String?
    let settlementReference: String?
    /// The fields as `LinkText.encode` writes them, in its order.
    let encoded: [UInt8]
    /// The e-mail and name as `LinkTextIndex` keeps them (`LinkQuery.searchedFields`' last two).
    let searched: [UInt8]

    package init(customerEmail: String, customerName: String? = nil, customerPhone: String? = nil,
                 orderDescription: String? = nil, returnURL: String? = nil, settlementReference: String? = nil) {
        self.customerEmail = customerEmail
        self.customerName = customerName
        self.customerPhone = customerPhone
        self.orderDescription = orderDescription
        self.returnURL = returnURL
        self.settlementReference = settlementReference
        var encoded: [UInt8] = []
        // Room for it all at once: grown field by field from empty, the array was reallocated
        // three or four times a link (a fifth of the reading thread's allocations).
        encoded.reserveCapacity(Self.room(customerEmail) + Self.room(customerName) + Self.room(customerPhone)
                                + Self.room(orderDescription) + Self.room(returnURL) + Self.room(settlementReference))
        LinkText.encodeCustomerFields(email: customerEmail, name: customerName, phone: customerPhone,
                                      description: orderDescription, returnURL: returnURL,
                                      settlementReference: settlementReference, into: &encoded)
        self.encoded = encoded
        searched = LinkTextIndex.record(of: [customerEmail, customerName ?? ""])
    }

    /// Enough bytes for a field as `LinkText.encodeCustomerFields` writes it: its UTF-8 and its
    /// length's varint, two bytes at most below 16 KB (a longer field only makes the array
    /// grow once more). Not a variadic sum: that would allocate an array.
    private static func room(_ field: String?) -> Int { 2 + (field?.utf8.count ?? 0) }

    /// Terms whose customer fields are this text's: the one place a link's terms take them
    /// from it (`PreparedLinkTerms`, `LinkTermsTemplate`).
    func terms(merchantIdentifier: String, merchantReference: String, amount: Int64, currency: String, language: String,
               notificationType: String, linkCommand: String, paymentOption: String?, expiry: SandboxInstant,
               merchantExtras: [String: String]) -> LinkTerms {
        LinkTerms(
            merchantIdentifier: merchantIdentifier, merchantReference: merchantReference, amount: amount, currency: currency,
            language: language, customerEmail: customerEmail, customerName: customerName, customerPhone: customerPhone,
            orderDescription: orderDescription, notificationType: notificationType, linkCommand: linkCommand,
            paymentOption: paymentOption, returnURL: returnURL, expiry: expiry, merchantExtras: merchantExtras,
            settlementReference: settlementReference)
    }
}

/// The terms of a link for `LinkEngine.createLinks`, with its customer text prepared or not.
package struct PreparedLinkTerms: Sendable {
    package let terms: LinkTerms
    let customerText: LinkCustomerText?

    /// Terms whose text the store prepares itself, under its lock.
    package init(_ terms: LinkTerms) {
        self.terms = terms
        customerText = nil
    }

    /// Terms whose customer text is `text`'s, its bytes already made.
    package init(merchantIdentifier: String, merchantReference: String, amount: Int64, currency: String,
                 language: String = "en", notificationType: String = "NONE", linkCommand: String = "PURCHASE",
                 paymentOption: String? = nil, expiry: SandboxInstant, merchantExtras: [String: String] = [:],
                 text: LinkCustomerText) {
        terms = text.terms(merchantIdentifier: merchantIdentifier, merchantReference: merchantReference, amount: amount,
                           currency: currency, language: language, notificationType: notificationType, linkCommand: linkCommand,
                           paymentOption: paymentOption, expiry: expiry, merchantExtras: merchantExtras)
        customerText = text
    }
}
