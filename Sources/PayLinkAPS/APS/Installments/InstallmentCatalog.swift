import PayLinkCore

/// The `installments` configuration: the issuers and plans `GET_INSTALLMENTS_PLANS` offers,
/// and which merchants have the service. APS configures installments per merchant account;
/// a merchant without it is answered `086` "Installment plan is not configured for Merchant
/// account." (see docs/configuration.md).
package struct InstallmentCatalog: Sendable, Equatable {
    package var issuers: [InstallmentIssuer]
    /// The merchants offered installments; nil: every merchant.
    package var merchants: Set<String>?

    package init(issuers: [InstallmentIssuer], merchants: Set<String>? = nil) {
        self.issuers = issuers
        self.merchants = merchants
    }

    /// The issuers this merchant is offered; empty when it has no installments service.
    package func issuers(for merchantIdentifier: String) -> [InstallmentIssuer] {
        if let merchants, !merchants.contains(merchantIdentifier) { return [] }
        return issuers
    }

    /// The issuer whose cards start with this BIN, if any (for the hosted page's plan choice).
    package func issuer(forCardNumber number: String) -> InstallmentIssuer? {
        let bin = String(number.prefix(6))
        return issuers.first { $0.bins.contains(bin) }
    }

    /// The sandbox's own: one UAE issuer with AED plans and one Saudi issuer with SAR plans,
    /// whose BINs are those of the sandbox's test cards: UAE Visa 400555… and Mastercard
    /// 512345…; KSA the 3-D Secure Visa 455701… and Amex 345678…. Names and codes are the
    /// sandbox's, not real banks'; amounts in minor units (500.00 to 100,000.00).
    package static let sandboxDefault = InstallmentCatalog(issuers: [
        InstallmentIssuer(code: "SBXAE001", nameEnglish: "Sandbox Bank UAE", nameArabic: "بنك ساندبوكس الإمارات",
                          countryCode: "ARE", bankingSystem: "Non Islamic", bins: ["400555", "512345"], plans: [
            InstallmentPlan(code: "AEFLAT03", currency: Currency(code: "AED")!, numberOfInstallments: 3,
                            fees: .percentage(hundredths: 0), minimumAmount: 50_000, maximumAmount: 10_000_000),
            InstallmentPlan(code: "AEFLAT06", currency: Currency(code: "AED")!, numberOfInstallments: 6,
                            fees: .percentage(hundredths: 50), minimumAmount: 50_000, maximumAmount: 10_000_000),
            InstallmentPlan(code: "AERB0012", currency: Currency(code: "AED")!, numberOfInstallments: 12,
                            fees: .percentage(hundredths: 1_200), rateType: .reducingBalance,
                            minimumAmount: 100_000, maximumAmount: 10_000_000),
        ]),
        InstallmentIssuer(code: "SBXSA001", nameEnglish: "Sandbox Bank KSA", nameArabic: "بنك ساندبوكس السعودية",
                          countryCode: "SAU", bankingSystem: "Islamic", bins: ["455701", "345678"], plans: [
            InstallmentPlan(code: "SAFIX003", currency: Currency(code: "SAR")!, numberOfInstallments: 3,
                            fees: .fixed(minorUnits: 2_500), minimumAmount: 50_000, maximumAmount: 10_000_000),
            InstallmentPlan(code: "SAFLAT06", currency: Currency(code: "SAR")!, numberOfInstallments: 6,
                            fees: .percentage(hundredths: 75), minimumAmount: 50_000, maximumAmount: 10_000_000),
            InstallmentPlan(code: "SAFLAT12", currency: Currency(code: "SAR")!, numberOfInstallments: 12,
                            fees: .percentage(hundredths: 69), minimumAmount: 100_000, maximumAmount: 10_000_000),
        ]),
    ])
}
