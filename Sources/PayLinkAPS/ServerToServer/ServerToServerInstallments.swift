import PayLinkCore

/// Installments on a server-to-server PURCHASE (old PayFort docs `Installmentsparameters.md`:
/// "Installment Service For Merchant Page 2.0 Operations" and "Installments Hosted for
/// Trusted" send `installments=HOSTED`, "Installments Purchase Service" `installments=YES`;
/// each with the `issuer_code` and `plan_code` the customer chose on the merchant's side, as
/// the PHP SDK's `InstallmentsCCCustomPurchase` requires). The plan is checked against the
/// merchant's catalogue for the card (`InstallmentSelection`), and the order's request fields
/// gain `number_of_installments`, `plan_code` and `issuer_code`, as a hosted checkout's do, so
/// the answer, the feedback and CHECK_STATUS carry the plan.
enum ServerToServerInstallments {
    enum Mode: String, CaseIterable { case hosted = "HOSTED", yes = "YES" }

    static let issuerCode = APSFieldRule("issuer_code", .alphanumeric, 8)
    static let planCode = APSFieldRule("plan_code", .alphanumeric, 8)
    /// An AUTHORIZATION in installments: 097 "Operation not allowed for service". The docs'
    /// installment tables are PURCHASE only (an installment plan converts a completed sale).
    static let notForAuthorization = APSResponseCode(status: APSStatus.invalidRequest, message: "097")

    /// The plan the request names, its fields checked; nil without `installments`.
    struct Request {
        var mode: Mode
        var issuerCode: String
        var planCode: String
    }

    static func read(_ parameters: APSParameters, command: TransactionCommand) throws(APSFailure) -> Request? {
        guard let text = parameters.text("installments") else {
            if parameters.isPresent("plan_code") || parameters.isPresent("issuer_code") { throw .missing("installments") }
            return nil
        }
        guard let mode = Mode(rawValue: text) else {
            throw .format("installments", "must be HOSTED or YES on a server-to-server PURCHASE (STANDALONE is the hosted page's)")
        }
        guard command == .purchase else {
            throw ServerToServerCodes.failure(notForAuthorization, "installments are for PURCHASE only: an AUTHORIZATION cannot be paid in installments")
        }
        guard let issuer = parameters.text("issuer_code") else { throw .missing("issuer_code") }
        try issuerCode.check(issuer)
        guard let plan = parameters.text("plan_code") else { throw .missing("plan_code") }
        try planCode.check(plan)
        return Request(mode: mode, issuerCode: issuer, planCode: plan)
    }

    /// The named plan for this card and amount, or the catalogue's refusal (status `00`).
    static func choose(_ request: Request, cardNumber: String, amount: Int64, currency: String, merchant: Merchant,
                       context: APSContext) throws(APSFailure) -> InstallmentOption {
        do {
            return try InstallmentSelection.choose(context.installments, merchant: merchant.identifier, issuerCode: request.issuerCode,
                                                   planCode: request.planCode, cardNumber: cardNumber, amount: amount, currency: currency)
        } catch {
            throw APSFailure(message: error.messageCode, detail: detail(error, request, cardNumber: cardNumber, currency: currency, merchant: merchant))
        }
    }

    private static func detail(_ refusal: InstallmentSelection.Refusal, _ request: Request, cardNumber: String, currency: String,
                               merchant: Merchant) -> String {
        switch refusal {
        case .notConfigured: "merchant \(merchant.identifier) has no installments service (the installments configuration)"
        case .unknownIssuer: "issuer_code \(request.issuerCode) is not an issuer of merchant \(merchant.identifier)'s installments (GET_INSTALLMENTS_PLANS lists them)"
        case .unknownPlan: "issuer \(request.issuerCode) has no plan \(request.planCode)"
        case .binNotCovered: "the card's BIN \(cardNumber.prefix(6)) is not one of issuer \(request.issuerCode)'s"
        case .currencyWithoutPlan: "plan \(request.planCode) is not in \(currency)"
        case .amountOutOfBounds: "the amount is outside plan \(request.planCode)'s minimum and maximum"
        }
    }
}
