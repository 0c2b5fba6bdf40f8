import PayLinkCore

/// A plan the merchant names by `issuer_code` and `plan_code` (the server-to-server PURCHASE
/// after the Merchant Page, the trusted channel, and the Merchant Page form itself), checked
/// against the merchant's catalogue for the card, amount and currency. On the hosted checkout
/// the customer picks among eligible plans instead (`InstallmentEligibility`).
///
/// Checked in this order, each refusal with the catalogue's message (status `00`):
/// 086 the merchant has no installments service, 092 no issuer of the merchant has the code,
/// 094 the issuer has no plan with the code, 087 the card's BIN is not one of the issuer's,
/// 104 the plan is not in the payment's currency, 084 the amount is outside the plan's bounds.
package enum InstallmentSelection {
    package enum Refusal: Error, Sendable, Equatable {
        case notConfigured, unknownIssuer, unknownPlan, binNotCovered, currencyWithoutPlan, amountOutOfBounds

        /// The three-digit APS message code.
        package var messageCode: String {
            switch self {
            case .notConfigured: "086"
            case .unknownIssuer: "092"
            case .unknownPlan: "094"
            case .binNotCovered: "087"
            case .currencyWithoutPlan: "104"
            case .amountOutOfBounds: "084"
            }
        }
    }

    /// `cardNumber` may be masked (`455701******0001`): only its first six digits count, as the
    /// catalogue's BINs are six digits.
    package static func choose(_ catalog: InstallmentCatalog, merchant: String, issuerCode: String, planCode: String,
                               cardNumber: String, amount: Int64, currency: String) throws(Refusal) -> InstallmentOption {
        let issuers = catalog.issuers(for: merchant)
        guard !issuers.isEmpty else { throw .notConfigured }
        guard let issuer = issuers.first(where: { $0.code == issuerCode }) else { throw .unknownIssuer }
        guard let plan = issuer.plans.first(where: { $0.code == planCode }) else { throw .unknownPlan }
        guard issuer.bins.contains(String(cardNumber.prefix(6))) else { throw .binNotCovered }
        guard plan.currency.code == currency else { throw .currencyWithoutPlan }
        guard plan.covers(amount: amount) else { throw .amountOutOfBounds }
        return InstallmentOption(issuer: issuer, plan: plan, amountPerMonth: plan.amountPerMonth(for: amount))
    }
}
