import PayLinkCore

/// `command=CAPTURE`: takes part or all of an authorization (`04000`; failures carry `05`).
/// More than the authorization leaves is 042. A `maintenance_reference` is echoed and carried
/// into the capture's notification.
enum CaptureCommand: APSCommand {
    static let name = "CAPTURE"
    static let failureStatus = TransactionCommand.capture.failureStatus
    static let identifiesLinks = false

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try parameters.requireScalar(["merchant_reference", "fort_id", "amount", "currency", "language", "order_description", "maintenance_reference"])
        let (amount, currency) = try OrderResolution.amountAndCurrency(parameters)
        _ = try APSValues.language(parameters.required("language"))
        if let description = parameters.text("order_description") { try APSFields.orderDescription.check(description) }
        let maintenance = parameters.text("maintenance_reference")
        if let maintenance { try APSFields.maintenanceReference.check(maintenance) }
        let order = try OrderResolution.resolve(parameters, merchant: merchant, context: context, failureStatus: failureStatus)
        let captured: Order
        do {
            captured = try context.engine.capture(fortID: order.fortID, amount: amount, currency: currency, language: parameters.text("language") ?? "en",
                                                   maintenanceReference: maintenance)
        } catch {
            throw OrderResolution.failure(error, status: failureStatus)
        }
        return APSCommandResult(code: APSResponseCode(status: "04", message: "000"), fields: OrderResolution.identityFields(captured, parameters))
    }
}
