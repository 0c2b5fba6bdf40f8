import PayLinkCore

/// `command=REFUND`: returns part or all of what was captured (`06000`; failures carry `07`).
/// More than is refundable is 048. A `maintenance_reference` that already succeeded is refused
/// (047), so a declined refund can be retried under its reference but not paid twice.
enum RefundCommand: APSCommand {
    static let name = "REFUND"
    static let failureStatus = TransactionCommand.refund.failureStatus
    static let identifiesLinks = false

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try parameters.requireScalar(["merchant_reference", "fort_id", "amount", "currency", "language", "order_description",
                                      "maintenance_reference"])
        let (amount, currency) = try OrderResolution.amountAndCurrency(parameters)
        _ = try APSValues.language(parameters.required("language"))
        if let description = parameters.text("order_description") { try APSFields.orderDescription.check(description) }
        let maintenance = parameters.text("maintenance_reference")
        if let maintenance { try APSFields.maintenanceReference.check(maintenance) }
        let order = try OrderResolution.resolve(parameters, merchant: merchant, context: context, failureStatus: failureStatus)
        let refunded: Order
        do {
            refunded = try context.engine.refund(fortID: order.fortID, amount: amount, currency: currency, maintenanceReference: maintenance,
                                                 language: parameters.text("language") ?? "en")
        } catch {
            throw OrderResolution.failure(error, status: failureStatus)
        }
        return APSCommandResult(code: APSResponseCode(status: "06", message: "000"), fields: OrderResolution.identityFields(refunded, parameters))
    }
}
