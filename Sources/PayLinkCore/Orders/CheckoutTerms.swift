/// What a payment made without a link charges: the terms a link would otherwise hold.
package struct CheckoutTerms: Sendable, Equatable {
    package var merchantIdentifier: String
    package var merchantReference: String
    /// PURCHASE or AUTHORIZATION.
    package var command: TransactionCommand
    package var currency: String
    /// In minor units.
    package var amount: Int64
    /// The request's parameters the order repeats in its feedback (`Order.requestFields`).
    package var requestFields: [String: String]

    package init(merchantIdentifier: String, merchantReference: String, command: TransactionCommand, currency: String,
                 amount: Int64, requestFields: [String: String]) {
        self.merchantIdentifier = merchantIdentifier
        self.merchantReference = merchantReference
        self.command = command
        self.currency = currency
        self.amount = amount
        self.requestFields = requestFields
    }
}

/// Why a payment made without a link was not recorded.
package enum CheckoutError: Error, Equatable {
    /// A link or an order of the merchant has the merchant reference already.
    case duplicateReference
    /// The reserved `fort_id` was taken meanwhile.
    case fortIDTaken
}
