import PayLinkCore

/// `command=VOID_AUTHORIZATION`: cancels a whole authorization before any capture, within
/// 7 days on the sandbox clock (`08000`; failures carry `09`). The current API page has no
/// amount; the old maintenance table lists `amount` and `currency`, so both are accepted and,
/// when sent, must be the authorization's: "Partial voids are not supported", so any other
/// amount is `09005` (Invalid amount) and another currency `09013`.
enum VoidAuthorizationCommand: APSCommand {
    static let name = "VOID_AUTHORIZATION"
    static let failureStatus = TransactionCommand.voidAuthorization.failureStatus
    static let identifiesLinks = false

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try parameters.requireScalar(["merchant_reference", "fort_id", "language", "order_description", "amount", "currency",
                                      "maintenance_reference"])
        _ = try APSValues.language(parameters.required("language"))
        if let description = parameters.text("order_description") { try APSFields.orderDescription.check(description) }
        let amount = try parameters.text("amount").map(APSValues.amount)
        let currency = parameters.text("currency")
        if let currency { try APSFields.currency.check(currency) }
        let maintenance = parameters.text("maintenance_reference")
        if let maintenance { try APSFields.maintenanceReference.check(maintenance) }
        let order = try OrderResolution.resolve(parameters, merchant: merchant, context: context, failureStatus: failureStatus)
        let voided: Order
        do {
            voided = try context.engine.voidAuthorization(fortID: order.fortID, amount: amount, currency: currency,
                                                          language: parameters.text("language") ?? "en",
                                                          maintenanceReference: maintenance)
        } catch {
            throw OrderResolution.failure(error, status: failureStatus)
        }
        return APSCommandResult(code: APSResponseCode(status: "08", message: "000"), fields: OrderResolution.identityFields(voided, parameters))
    }
}
