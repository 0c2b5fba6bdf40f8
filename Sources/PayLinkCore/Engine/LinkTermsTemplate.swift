/// A link's terms but its merchant reference and expiry, with its customer text prepared
/// (`LinkCustomerText`): what depends only on the request a link is for, made before the link
/// store's lock (a PayByLink batch makes it on its reading thread). The reference and expiry,
/// which come from identifiers and a time drawn under the lock, come with each link to make
/// (`TemplatedLink`). A class, so a run's items hand it on with a retain, not a copy of a dozen
/// fields.
package final class LinkTermsTemplate: Sendable {
    /// The terms, with an empty merchant reference and the expiry of the creation instant as
    /// placeholders: `TemplatedLink.terms` replaces both.
    let terms: LinkTerms
    let customerText: LinkCustomerText

    package init(merchantIdentifier: String, amount: Int64, currency: String, language: String = "en",
                 notificationType: String = "NONE", linkCommand: String = "PURCHASE", paymentOption: String? = nil,
                 merchantExtras: [String: String] = [:], text: LinkCustomerText) {
        // Straight from the text: through a `PreparedLinkTerms`, the terms were copied out of it
        // and it destroyed, a retain and a release of every string.
        terms = text.terms(merchantIdentifier: merchantIdentifier, merchantReference: "", amount: amount, currency: currency,
                           language: language, notificationType: notificationType, linkCommand: linkCommand,
                           paymentOption: paymentOption, expiry: SandboxInstant(secondsSince1970: 0), merchantExtras: merchantExtras)
        customerText = text
    }

    /// The terms of one link made from the template. Built field by field from the template's
    /// terms, read in place: a copy of the whole terms then two fields replaced copied them
    /// twice (a retain of every string each time) and destroyed one of the copies.
    func terms(merchantReference: String, expiry: SandboxInstant) -> LinkTerms {
        LinkTerms(merchantIdentifier: terms.merchantIdentifier, merchantReference: merchantReference, amount: terms.amount,
                  currency: terms.currency, language: terms.language, customerEmail: terms.customerEmail,
                  customerName: terms.customerName, customerPhone: terms.customerPhone, orderDescription: terms.orderDescription,
                  notificationType: terms.notificationType, linkCommand: terms.linkCommand, paymentOption: terms.paymentOption,
                  returnURL: terms.returnURL, expiry: expiry, merchantExtras: terms.merchantExtras,
                  settlementReference: terms.settlementReference)
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
