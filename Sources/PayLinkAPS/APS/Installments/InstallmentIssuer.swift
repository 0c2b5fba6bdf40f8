import PayLinkCore

/// A bank that converts card payments into installments, with its plans and the card BINs it
/// issues (`issuer_detail` in the old PayFort docs, `Installmentsparameters.md`).
package struct InstallmentIssuer: Sendable, Equatable {
    /// At most 8 letters or digits (`issuer_code` Alphanumeric max 8).
    package var code: String
    package var nameEnglish: String
    package var nameArabic: String
    /// ISO 3166 alpha-3, as the docs' sample (`EGY`).
    package var countryCode: String
    /// `Islamic` or `Non Islamic`.
    package var bankingSystem: String
    package var logoEnglish: String?
    package var logoArabic: String?
    package var termsEnglish: String?
    package var termsArabic: String?
    /// The first six digits of the cards this issuer converts.
    package var bins: [String]
    package var plans: [InstallmentPlan]

    package init(code: String, nameEnglish: String, nameArabic: String, countryCode: String, bankingSystem: String = "Non Islamic",
                 logoEnglish: String? = nil, logoArabic: String? = nil, termsEnglish: String? = nil, termsArabic: String? = nil,
                 bins: [String], plans: [InstallmentPlan]) {
        self.code = code
        self.nameEnglish = nameEnglish
        self.nameArabic = nameArabic
        self.countryCode = countryCode
        self.bankingSystem = bankingSystem
        self.logoEnglish = logoEnglish
        self.logoArabic = logoArabic
        self.termsEnglish = termsEnglish
        self.termsArabic = termsArabic
        self.bins = bins
        self.plans = plans
    }

    /// The plans whose currency is the one asked for (all when none is).
    package func plans(currency: Currency?) -> [InstallmentPlan] {
        guard let currency else { return plans }
        return plans.filter { $0.currency == currency }
    }

    /// The currency of the issuer's cards, for `bins[].currency_code`: that of its first plan.
    package var cardCurrency: String { plans.first?.currency.code ?? "" }
}
