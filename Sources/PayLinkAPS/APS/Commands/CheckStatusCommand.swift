import PayLinkCore

/// `query_command=CHECK_STATUS`: the order's last operation (`transaction_status`,
/// `transaction_code`, `transaction_message`) and its amounts, answered with `12000`. The
/// order is the merchant reference's latest transaction: a declined payment reports its
/// failure (e.g. `13029`), an uncertain one `15777` until it is resolved.
/// With `return_third_party_response_codes=YES` it adds `processor_response_code` and
/// `acquirer_response_code` (`ThirdPartyResponseCodes`). An order paid in installments adds
/// `installments`, `number_of_installments`, `plan_code` and `issuer_code`.
/// An unknown order answers `12036` (status 12, "Order not found"), as APS clients expect
/// (sevaske/payfort-api's `PayfortResponseCodeEnum`); APS's own docs do not say.
enum CheckStatusCommand: APSCommand {
    static let name = "CHECK_STATUS"
    static let failureStatus = "12"
    static let identifiesLinks = false

    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult {
        try parameters.requireScalar(["merchant_reference", "fort_id", "language", "return_third_party_response_codes"])
        _ = try APSValues.language(parameters.required("language"))
        if let flag = parameters.text("return_third_party_response_codes"), flag != "YES", flag != "NO" {
            throw .format("return_third_party_response_codes", "must be YES or NO")
        }
        let order = try OrderResolution.resolve(parameters, merchant: merchant, context: context, failureStatus: failureStatus)
        // An approved order reports its last operation; a declined or uncertain payment, itself.
        let transaction = order.status == .approved
            ? APSResponseCode(status: order.lastOperation.command.successStatus, message: "000")
            : order.status.code(for: order.command)
        var fields = OrderResolution.identityFields(order, parameters)
        fields += [
            ("transaction_status", transaction.status),
            ("transaction_code", transaction.code),
            ("transaction_message", transaction.responseMessage),
            ("authorized_amount", String(order.authorizedAmount)),
            ("captured_amount", String(order.capturedAmount)),
            ("refunded_amount", String(order.refundedAmount)),
            ("authorization_code", order.authorizationCode),
        ]
        // A hosted checkout paid in installments: the plan, as its feedback gave it.
        if order.requestFields["number_of_installments"] != nil {
            fields += ["installments", "number_of_installments", "plan_code", "issuer_code"].compactMap { name in
                order.requestFields[name].map { (name, $0) }
            }
        }
        if parameters.text("return_third_party_response_codes") == "YES" { fields += ThirdPartyResponseCodes.fields(for: order) }
        return APSCommandResult(code: APSResponseCode(status: "12", message: "000"), fields: fields)
    }
}
