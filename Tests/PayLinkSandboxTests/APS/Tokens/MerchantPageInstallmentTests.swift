import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// `installments=STANDALONE` on the Merchant Page: `amount`, `currency` (and optionally
/// `customer_country_code`) checked and echoed; a plan the merchant's form posts (`issuer_code`,
/// `plan_code`, signed or not) is checked against the card and named in the answer.
struct MerchantPageInstallmentTests {
    static let amex = [("card_number", "345678901234564"), ("expiry_date", "3005"), ("card_security_code", "1234"),
                       ("card_holder_name", "Test Customer")]
    static let installments = [("installments", "STANDALONE"), ("amount", "100000"), ("currency", "SAR"), ("customer_country_code", "SAU")]

    func form(_ reference: String, _ extra: [(String, String)] = installments, card: [(String, String)] = amex) -> MerchantPageForm {
        MerchantPageForm(reference: reference, card: card, extra: extra)
    }

    @Test func withoutAPlan_theFieldsAreEchoed_andNoPlanIsNamed() async throws {
        try await withSandbox { _, aps in
            let answer = try MerchantPageForm.post(aps, form("mpi-1").signed())
            #expect(answer.code == "18000" && answer.isSigned(), "\(answer.fields) \(answer.detail ?? "")")
            #expect(answer["installments"] == "STANDALONE" && answer["amount"] == "100000" && answer["currency"] == "SAR"
                    && answer["customer_country_code"] == "SAU")
            #expect(answer["number_of_installments"] == nil && answer["plan_code"] == nil && answer["issuer_code"] == nil)
        }
    }

    @Test func aPlanPostedByTheMerchantsForm_isCheckedAndNamed_signedOrNot() async throws {
        try await withSandbox { _, aps in
            let chosen = [("issuer_code", "SBXSA001"), ("plan_code", "SAFLAT06")]
            // The customer's choice typed on the merchant's form, left out of the signature like the card.
            let unsigned = form("mpi-2", Self.installments + chosen)
                .signed { !MerchantPageForm.cardFieldNames.contains($0) && $0 != "plan_code" && $0 != "issuer_code" }
            let answer = try MerchantPageForm.post(aps, unsigned)
            #expect(answer.code == "18000" && answer["number_of_installments"] == "6" && answer["plan_code"] == "SAFLAT06"
                    && answer["issuer_code"] == "SBXSA001" && answer.isSigned(), "\(answer.fields) \(answer.detail ?? "")")
            let signed = try MerchantPageForm.post(aps, form("mpi-3", Self.installments + chosen).signed())
            #expect(signed.code == "18000" && signed["number_of_installments"] == "6")
        }
    }

    @Test func refusals_areSigned_andSaveNoCard() async throws {
        try await withSandbox { sandbox, aps in
            func code(_ reference: String, _ extra: [(String, String)], card: [(String, String)] = Self.amex) throws -> String? {
                let answer = try MerchantPageForm.post(aps, form(reference, extra, card: card).signed())
                #expect(answer.isSigned() && answer["status"] == "00", "\(answer.fields)")
                return answer.code
            }
            let visa = Array(MerchantPageForm.goodCard.prefix(4))
            let c1 = try code("r1", [("installments", "STANDALONE"), ("currency", "SAR")])
            #expect(c1 == "00001")
            let c2 = try code("r2", [("installments", "HOSTED"), ("amount", "100000"), ("currency", "SAR")])
            #expect(c2 == "00002")
            let c3 = try code("r3", Self.installments + [("issuer_code", "NOBANK01"), ("plan_code", "SAFLAT06")])
            #expect(c3 == "00092")
            let c4 = try code("r4", Self.installments + [("issuer_code", "SBXSA001"), ("plan_code", "NOPLAN01")])
            #expect(c4 == "00094")
            let c5 = try code("r5", Self.installments + [("issuer_code", "SBXSA001")])
            #expect(c5 == "00001")
            // No issuer covers a 4111… Visa; the UAE issuer's Visa has no SAR plan; 100.00 is below every plan.
            let c6 = try code("r6", Self.installments, card: [("card_number", "4111111111111111")] + visa.dropFirst())
            #expect(c6 == "00087")
            let c7 = try code("r7", Self.installments, card: visa)
            #expect(c7 == "00104")
            let c8 = try code("r8", [("installments", "STANDALONE"), ("amount", "10000"), ("currency", "SAR")])
            #expect(c8 == "00084")
            let c9 = try code("r9", Self.installments.filter { $0.0 != "customer_country_code" } + [("customer_country_code", "S1")])
            #expect(c9 == "00002")
            #expect(sandbox.service.state.tokens.all().isEmpty)
        }
    }
}
