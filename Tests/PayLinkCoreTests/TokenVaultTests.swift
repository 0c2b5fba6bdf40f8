import PayLinkCore
import Testing

/// Saved cards: each its merchant's, named once in the sandbox.
struct TokenVaultTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)

    func token(_ name: String, merchant: String = "M1", masked: String = "400555******0001") -> CardToken {
        CardToken(name: name, merchantIdentifier: merchant, maskedCardNumber: masked, brand: "VISA", expiryDate: "3105",
                  cardHolderName: "Jane Doe", createdAt: Self.start)
    }

    @Test func aToken_isItsMerchantsOnly_andItsNameIsTakenEverywhere() throws {
        let vault = TokenVault()
        try vault.add(token("t1"))
        #expect(vault.token(named: "t1", merchant: "M1")?.brand == "VISA")
        #expect(vault.token(named: "t1", merchant: "M2") == nil)
        #expect(throws: TokenVault.ChangeError.nameTaken) { try vault.add(token("t1", merchant: "M2")) }
    }

    @Test func update_changesStatusAndName_inPlace() throws {
        let vault = TokenVault()
        try vault.add(token("t1"))
        try vault.add(token("t2"))
        let renamed = try vault.update(named: "t1", merchant: "M1") { (token: inout CardToken) throws(CheckoutError) in
            token.status = .inactive
            token.name = "t1-new"
        }
        #expect(renamed.status == .inactive)
        #expect(vault.token(named: "t1", merchant: "M1") == nil)
        #expect(vault.all().map(\.name) == ["t1-new", "t2"])
        do {
            try vault.update(named: "t2", merchant: "M1") { (token: inout CardToken) throws(CheckoutError) in token.name = "t1-new" }
            Issue.record("a rename onto a taken name went through")
        } catch {
            guard case .vault(.nameTaken) = error else { Issue.record("\(error)"); return }
        }
        do {
            try vault.update(named: "t2", merchant: "M2") { (_: inout CardToken) throws(CheckoutError) in }
            Issue.record("another merchant changed the token")
        } catch {
            guard case .vault(.notFound) = error else { Issue.record("\(error)"); return }
        }
    }

    @Test func removingAMerchant_forgetsOnlyItsTokens() throws {
        let vault = TokenVault()
        try vault.add(token("a", merchant: "M1"))
        try vault.add(token("b", merchant: "M2"))
        #expect(vault.remove(merchant: "M1") == 1)
        #expect(vault.all().map(\.name) == ["b"])
    }

    /// A token charges as its test card does, known from the masked number alone.
    @Test func aTokensOutcome_isItsTestCards() {
        #expect(token("x", masked: TestCards.masked("4000000000000028")).outcome == .declined(message: "029"))
        #expect(token("x", masked: TestCards.masked("4557012345678902")).outcome == .challenge)
        #expect(token("x", masked: TestCards.masked("4005550000000001")).outcome == .approved)
        #expect(token("x", masked: "400555******0001").cardBin == "400555")
    }
}
