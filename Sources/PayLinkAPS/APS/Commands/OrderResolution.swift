import PayLinkCore

/// How the operations on an order find it: "You can send merchant_reference and/or fort_id".
/// With both, both must name the same order of this merchant.
enum OrderResolution {
    static func resolve(_ parameters: APSParameters, merchant: Merchant, context: APSContext,
                        failureStatus: String) throws(APSFailure) -> Order {
        let fortID = parameters.text("fort_id")
        let reference = parameters.text("merchant_reference")
        if let fortID { try APSFields.fortID.check(fortID) }
        if let reference { try APSFields.merchantReference.check(reference) }
        let order: Order?
        if let fortID {
            order = context.engine.order(fortID: fortID).flatMap { found in
                found.merchantIdentifier == merchant.identifier && (reference == nil || reference == found.merchantReference) ? found : nil
            }
        } else if let reference {
            order = context.engine.order(merchant: merchant.identifier, reference: reference)
        } else {
            throw .missing("merchant_reference")
        }
        guard let order else { throw failure(.notFound, status: failureStatus) }
        return order
    }

    static func failure(_ error: OrderError, status: String) -> APSFailure {
        APSFailure(status: status, message: error.apsMessageCode, detail: error.explanation)
    }

    /// `amount` and `currency` of CAPTURE and REFUND: both mandatory, currency as the order's.
    static func amountAndCurrency(_ parameters: APSParameters) throws(APSFailure) -> (Int64, String) {
        let amountText = try parameters.required("amount")
        let currency = try parameters.required("currency")
        let amount = try APSValues.amount(amountText)
        try APSFields.currency.check(currency)
        return (amount, currency)
    }

    /// The fields every operation's response adds: the order's `fort_id` and reference when
    /// the request identified it the other way.
    static func identityFields(_ order: Order, _ parameters: APSParameters) -> [(String, String)] {
        var fields: [(String, String)] = []
        if !parameters.isPresent("fort_id") { fields.append(("fort_id", order.fortID)) }
        if !parameters.isPresent("merchant_reference") { fields.append(("merchant_reference", order.merchantReference)) }
        return fields
    }
}
