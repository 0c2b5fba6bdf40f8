import PayLinkCore
import Testing
@testable import PayLinkAPS

/// Which plans a card can pay an amount with on the hosted checkout, from the sandbox's default
/// catalogue (KSA issuer: BINs 455701 and 345678, SAR plans from 500.00; 12 months from 1,000.00).
struct InstallmentEligibilityTests {
    let catalog = InstallmentCatalog.sandboxDefault

    func check(_ card: String, _ amount: Int64, _ currency: String = "SAR", merchant: String = "CycHZxVj",
               in catalog: InstallmentCatalog = .sandboxDefault) -> InstallmentEligibility {
        InstallmentEligibility.check(catalog, merchant: merchant, cardNumber: card, amount: amount, currency: currency)
    }

    @Test func aCoveredCard_isOfferedThePlansWhoseBoundsTakeTheAmount() throws {
        guard case .eligible(let options) = check("4557012345678902", 150_000) else { Issue.record("not eligible"); return }
        #expect(options.map(\.choice) == ["SBXSA001/SAFIX003", "SBXSA001/SAFLAT06", "SBXSA001/SAFLAT12"])
        // (1,500.00 + 25.00) / 3 = 508.33
        #expect(options[0].amountPerMonth == 50_833)
        #expect(options[0].requestFields == ["number_of_installments": "3", "plan_code": "SAFIX003", "issuer_code": "SBXSA001"])
        guard case .eligible(let fewer) = check("4557012345678902", 60_000) else { Issue.record("not eligible"); return }
        #expect(fewer.map(\.plan.code) == ["SAFIX003", "SAFLAT06"])
    }

    @Test func aMaskedNumber_countsByItsBIN() {
        #expect(check("455701******8902", 150_000) == check("4557012345678902", 150_000))
    }

    @Test func anIneligibleCard_saysWhy() {
        #expect(check("4111111111111111", 150_000) == .binNotCovered)
        #expect(check("4111111111111111", 150_000).messageCode == "087")
        // The UAE issuer covers 400555 but has AED plans only.
        #expect(check("4005550000000001", 150_000).messageCode == "104")
        #expect(check("4557012345678902", 12_500).messageCode == "084")
        #expect(check("4557012345678902", 10_000_001).messageCode == "084")
        let others = InstallmentCatalog(issuers: catalog.issuers, merchants: ["someone-else"])
        #expect(check("4557012345678902", 150_000, in: others).messageCode == "086")
        #expect(check("4005550000000001", 150_000, "AED").messageCode == nil)
    }

    @Test func theModes_sayWhetherAPlanIsRequired() {
        #expect(InstallmentMode(rawValue: "STANDALONE")?.requiresPlan == true)
        #expect(InstallmentMode(rawValue: "HOSTED")?.requiresPlan == false && InstallmentMode(rawValue: "YES")?.requiresPlan == false)
        #expect(InstallmentMode(rawValue: "standalone") == nil)
    }
}
