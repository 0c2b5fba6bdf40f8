import PayLinkCore

/// What the APS dialect's endpoints and commands work with: the merchants, the link engine,
/// where the hosted pages live, and how empty values enter request signatures. Side effects
/// (feedback, messages) are not here: they follow the engine's events (`APSEffects`).
package struct APSContext: Sendable {
    package let merchants: MerchantDirectory
    package let engine: LinkEngine
    package let links: LinkURLs
    /// How empty-valued parameters enter the signature this sandbox verifies (see `EmptyValuePolicy`).
    package let emptyValues: EmptyValuePolicy
    /// What each payment option allows (`aps.payment_option_rules` over the documented rules).
    package let paymentOptionRules: PaymentOptionRules
    /// The issuers and plans `GET_INSTALLMENTS_PLANS` offers (`installments`).
    package let installments: InstallmentCatalog
    /// Saved cards (tokens), each its merchant's.
    package let tokens: TokenVault
    /// Server-to-server payments waiting for 3-D Secure (in memory only).
    package let challenges: ThreeDSecureChallenges
    /// valU purchases under way, between CUSTOMER_VERIFY and PURCHASE (in memory only).
    package let valu: ValuJourneys

    package init(merchants: MerchantDirectory, engine: LinkEngine, links: LinkURLs, emptyValues: EmptyValuePolicy,
                 paymentOptionRules: PaymentOptionRules = .documented, installments: InstallmentCatalog = .sandboxDefault,
                 tokens: TokenVault = TokenVault(), challenges: ThreeDSecureChallenges = ThreeDSecureChallenges(),
                 valu: ValuJourneys = ValuJourneys()) {
        self.tokens = tokens
        self.valu = valu
        self.challenges = challenges
        self.installments = installments
        self.merchants = merchants
        self.engine = engine
        self.links = links
        self.emptyValues = emptyValues
        self.paymentOptionRules = paymentOptionRules
    }
}
