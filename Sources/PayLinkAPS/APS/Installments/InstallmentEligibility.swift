import PayLinkCore

/// One plan a card can pay an amount with on the hosted checkout: the issuer covering the
/// card's BIN, its plan, and what a month costs the customer.
package struct InstallmentOption: Sendable, Equatable {
    package var issuer: InstallmentIssuer
    package var plan: InstallmentPlan
    /// In minor units (`InstallmentPlan.amountPerMonth`).
    package var amountPerMonth: Int64

    /// What the plan page's radio posts: `issuer_code/plan_code` (plan codes are per issuer).
    package var choice: String { issuer.code + "/" + plan.code }

    /// The fields the order's request gains, so every feedback and CHECK_STATUS carries the plan
    /// (the response fields the old PayFort docs list: `Installmentsparameters.md`).
    package var requestFields: [String: String] {
        ["number_of_installments": String(plan.numberOfInstallments), "plan_code": plan.code, "issuer_code": issuer.code]
    }
}

/// Which installment plans a card can pay an amount with: the merchant's issuers
/// (`InstallmentCatalog.issuers(for:)`) whose BINs cover the card, their plans in the payment's
/// currency whose bounds take the amount. When none does, the reason, with the catalogue's
/// message: 086 (no installments service), 087 (no issuer covers the BIN), 104 (the issuers
/// have no plan in this currency), 084 (the amount is outside every plan's bounds).
package enum InstallmentEligibility: Sendable, Equatable {
    case eligible([InstallmentOption])
    case notConfigured
    case binNotCovered
    case noPlanInCurrency
    case amountOutOfBounds

    /// The APS message code (three digits) of an ineligible card; nil when eligible.
    package var messageCode: String? {
        switch self {
        case .eligible: nil
        case .notConfigured: "086"
        case .binNotCovered: "087"
        case .noPlanInCurrency: "104"
        case .amountOutOfBounds: "084"
        }
    }

    /// `cardNumber` may be masked (`455701******0001`): only its first six digits count.
    package static func check(_ catalog: InstallmentCatalog, merchant: String, cardNumber: String, amount: Int64,
                              currency: String) -> InstallmentEligibility {
        let issuers = catalog.issuers(for: merchant)
        guard !issuers.isEmpty else { return .notConfigured }
        let bin = String(cardNumber.prefix(6))
        let covering = issuers.filter { $0.bins.contains(bin) }
        guard !covering.isEmpty else { return .binNotCovered }
        let inCurrency = covering.flatMap { issuer in
            issuer.plans.filter { $0.currency.code == currency }.map { (issuer, $0) }
        }
        guard !inCurrency.isEmpty else { return .noPlanInCurrency }
        let options = inCurrency.filter { $0.1.covers(amount: amount) }.map { issuer, plan in
            InstallmentOption(issuer: issuer, plan: plan, amountPerMonth: plan.amountPerMonth(for: amount))
        }
        return options.isEmpty ? .amountOutOfBounds : .eligible(options)
    }
}

/// `installments` on the hosted checkout request. The old PayFort docs give `STANDALONE` for the
/// redirection request, `HOSTED` and `YES` for server-to-server purchases; the sandbox takes all
/// three on paymentPage: STANDALONE, the customer must pay in installments; HOSTED and YES, the
/// plans are offered beside paying in full (APS's "Easy Installments").
package enum InstallmentMode: String, Sendable, CaseIterable {
    case standalone = "STANDALONE"
    case hosted = "HOSTED"
    case yes = "YES"

    /// Whether the customer must choose a plan (no paying in full, an ineligible card refused).
    package var requiresPlan: Bool { self == .standalone }
}
