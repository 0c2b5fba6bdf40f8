import PayLinkCore

/// Whether a link may be paid with a payment option: the option's rules for the link's
/// currency and `link_command` (a link is paid on the hosted page, eci `ECOMMERCE`), the
/// merchant's `payment_options`, and what links add: Tamara never ("Payment Links are not
/// supported for Tamara transactions", APS's Tamara page, 111); Tabby only with
/// `customer_phone` and `order_description` (APS's payment-link page: "If you need to show Tabby
/// on the payment link please make sure to fill the phone number and order description fields", 001).
package enum LinkPaymentOptions {
    /// Links are paid by the customer on the hosted page.
    package static let eci = "ECOMMERCE"

    /// The refusal as a request problem (status `00`); payments re-status it with the command's failure status.
    package static func check(_ option: String, terms: LinkTerms, merchant: Merchant, rules: PaymentOptionRules) throws(APSFailure) {
        if option == "TAMARA" {
            throw APSFailure(message: "111", detail: "payment links are not supported for Tamara transactions")
        }
        if let refusal = rules.refusal(option: option, currency: terms.currency, command: terms.linkCommand, eci: eci, merchant: merchant) {
            throw APSFailure(message: refusal.apsMessageCode, detail: refusal.explanation)
        }
        if option == "TABBY" {
            if terms.customerPhone == nil {
                throw APSFailure(message: "001", detail: "missing parameter customer_phone (Tabby on a payment link needs it)")
            }
            if terms.orderDescription == nil {
                throw APSFailure(message: "001", detail: "missing parameter order_description (Tabby on a payment link needs it)")
            }
        }
    }
}
