import PayLinkCore
import PayLinkSupport

/// What a payment page shows at the top, whatever it pays: a payment link's invoice or a
/// hosted checkout's request. Merchant, amount in the currency's decimals, reference,
/// description, customer and, for a link, when it expires.
struct PageSummary: Sendable {
    var merchantIdentifier: String
    var merchantReference: String
    var amount: Int64
    var currency: String
    var orderDescription: String?
    var customerName: String?
    /// A link's expiry; a checkout has none.
    var expiry: SandboxInstant?

    init(link: PaymentLink) {
        self.init(merchantIdentifier: link.merchantIdentifier, merchantReference: link.merchantReference, amount: link.amount,
                  currency: link.currency, orderDescription: link.orderDescription, customerName: link.customerName, expiry: link.expiry)
    }

    init(merchantIdentifier: String, merchantReference: String, amount: Int64, currency: String,
         orderDescription: String?, customerName: String?, expiry: SandboxInstant?) {
        self.merchantIdentifier = merchantIdentifier
        self.merchantReference = merchantReference
        self.amount = amount
        self.currency = currency
        self.orderDescription = orderDescription
        self.customerName = customerName
        self.expiry = expiry
    }

    func html(text: PageText) -> String {
        let amount = Currency(code: currency).map { $0.format(minorUnits: self.amount) } ?? String(self.amount)
        var rows: [(String, String)] = [(text.merchant, merchantIdentifier), (text.reference, merchantReference)]
        if let orderDescription { rows.append((text.orderDescription, orderDescription)) }
        if let customerName { rows.append((text.customer, customerName)) }
        // Each value is isolated (bdi) so Latin text keeps its order on a right-to-left page.
        var items = rows.map { "<dt>\(HTML.escape($0.0))</dt><dd><bdi>\(HTML.escape($0.1))</bdi></dd>" }.joined()
        if let expiry {
            items += "<dt>\(HTML.escape(text.expires))</dt><dd><bdi dir=\"ltr\">\(HTML.escape(LinkSummary.humanTime(expiry)))</bdi></dd>"
        }
        return """
        <h1>\(HTML.escape(text.title))</h1>
        <p class="amount" data-testid="amount">\(HTML.escape(amount)) \(HTML.escape(currency))</p>
        <dl class="summary">\(items)</dl>
        """
    }
}
