/// A link's terms but its merchant reference and expiry, with its customer text prepared
/// (`LinkCustomerText`): what depends only on the request a link is for, made before the link
/// store's lock (a PayByLink batch makes it on its reading thread). The reference and expiry,
/// which come from identifiers and a time drawn under the lock, come with each link to make
/// (`TemplatedLink`). A class, so a run's items hand it on with a retain, not a copy of a dozen
/// fields.
package final class LinkTermsTemplate: Sendable {
    // The terms' fields but the customer's, each kept as itself: the template held a whole
    // `LinkTerms` (with placeholders for the reference and expiry), built on the reading
    // thread, copied into the template and the first destroyed (a retain and a release of
    // every string, 0.65 k instructions a record), and read only field by field after.
    let merchantIdentifier: String
    let amount: Int64
    let currency: String
    let language: String
    let notificationType: String
    let linkCommand: String
    let paymentOption: String?
    let merchantExtras: [String: String]
    let customerText: LinkCustomerText

    package init(merchantIdentifier: String, amount: Int64, currency: String, language: String = "en",
                 notificationType: String = "NONE", linkCommand: String = "PURCHASE", paymentOption: String? = nil,
                 merchantExtras: [String: String] = [:], text: LinkCustomerText) {
        self.merchantIdentifier = merchantIdentifier
        self.amount = amount
        self.currency = currency
        self.language = language
        self.notificationType = notificationType
        self.linkCommand = linkCommand
        self.paymentOption = paymentOption
        self.merchantExtras = merchantExtras
        customerText = text
    }

    /// The terms of one link made from the template, its customer fields the text's. Inlined
    /// into the link engine's loop, where a call cost the committing thread a retain and a
    /// release of the reference a link (0.1 k instructions).
    @inline(__always)
    func terms(merchantReference: String, expiry: SandboxInstant) -> LinkTerms {
        customerText.terms(merchantIdentifier: merchantIdentifier, merchantReference: merchantReference, amount: amount,
                           currency: currency, language: language, notificationType: notificationType,
                           linkCommand: linkCommand, paymentOption: paymentOption, expiry: expiry,
                           merchantExtras: merchantExtras)
    }
}

/// One link for `LinkEngine.createLinks(from:)`: its template's terms with its own reference
/// and expiry.
package struct TemplatedLink: Sendable {
    package let template: LinkTermsTemplate
    package let merchantReference: String
    package let expiry: SandboxInstant

    package init(_ template: LinkTermsTemplate, merchantReference: String, expiry: SandboxInstant) {
        self.template = template
        self.merchantReference = merchantReference
        self.expiry = expiry
    }

    /// The link's whole terms.
    package var terms: LinkTerms { template.terms(merchantReference: merchantReference, expiry: expiry) }
}
