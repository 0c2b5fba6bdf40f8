extension PaymentLink {
    /// A link exactly as a state snapshot recorded it, whatever its state.
    public init(id: String, token: String, terms: LinkTerms, createdAt: SandboxInstant, lifecycle: LinkLifecycle,
                userAttemptsCount: Int, paidAt: SandboxInstant?, failedAttempts: [PaymentAttempt], pendingFortID: String?) {
        self.init(id: id, token: token, terms: terms, createdAt: createdAt)
        self.lifecycle = lifecycle
        self.userAttemptsCount = userAttemptsCount
        self.paidAt = paidAt
        self.failedAttempts = failedAttempts
        self.pendingFortID = pendingFortID
    }
}
