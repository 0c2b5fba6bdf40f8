import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// Installments on a server-to-server PURCHASE: `installments=HOSTED` (after the Merchant Page)
/// or `YES`, with the `issuer_code` and `plan_code` of the merchant's catalogue (the sandbox's
/// default: SBXSA001 covers the 3-D Secure Visa 455701… and the Amex 345678… in SAR).
struct ServerToServerInstallmentTests {
    typealias F = ServerToServerFixture

    /// 1,000.00 SAR in 3 installments with the KSA issuer's fixed-fee plan.
    static func plan(_ mode: String = "HOSTED", issuer: String = "SBXSA001", plan: String = "SAFIX003") -> JSONObject {
        ["installments": .string(mode), "issuer_code": .string(issuer), "plan_code": .string(plan), "amount": "100000"]
    }

    static func with(_ object: JSONObject, _ more: JSONObject) -> JSONObject {
        var object = object
        for (key, value) in more { object[key] = value }
        return object
    }

    @Test func aTokenPurchase_inInstallments_carriesThePlan_inTheAnswer_feedbackAndCheckStatus() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-amex", card: F.amex, brand: "AMEX")
            let reply = try aps.send(F.tokenPayment("inst-1", token: "tok-amex", Self.plan()))
            #expect(reply.code == "14000" && reply["number_of_installments"] == "3" && reply["plan_code"] == "SAFIX003"
                    && reply["issuer_code"] == "SBXSA001" && reply["installments"] == "HOSTED", "\(reply.object) \(reply.detail ?? "")")
            #expect(F.isSigned(reply, by: aps.merchant))
            let feedback = try #require(sandbox.service.deliveries.deliveries().first { $0.payload["merchant_reference"]?.stringValue == "inst-1" })
            #expect(feedback.payload["number_of_installments"]?.stringValue == "3" && feedback.payload["plan_code"]?.stringValue == "SAFIX003"
                    && feedback.payload["issuer_code"]?.stringValue == "SBXSA001")
            let status = try aps.send(["query_command": "CHECK_STATUS", "merchant_reference": "inst-1", "language": "en"])
            #expect(status["number_of_installments"] == "3" && status["plan_code"] == "SAFIX003" && status["issuer_code"] == "SBXSA001"
                    && status["installments"] == "HOSTED", "\(status.object)")
        }
    }

    @Test func aTrustedChannelPurchase_withInstallmentsYES_isPaidInTheChosenPlan() async throws {
        try await F.withSandbox(trusted: true) { sandbox, aps in
            let reply = try aps.send(F.cardPayment("inst-tc", card: F.amex, code: "1234", Self.plan("YES", plan: "SAFLAT06")))
            #expect(reply.code == "14000" && reply["number_of_installments"] == "6", "\(reply.object) \(reply.detail ?? "")")
            let order = try #require(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "inst-tc"))
            // The plan's fees are the bank's: the order is charged its own amount.
            #expect(order.amount == 100_000 && order.requestFields["plan_code"] == "SAFLAT06")
        }
    }

    @Test func thePlanIsCheckedAgainstTheCatalogue_eachRefusalSigned_andNothingCharged() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-amex", card: F.amex, brand: "AMEX")
            try F.saveToken(sandbox, "tok-visa", card: F.visa)
            func refusal(_ reference: String, token: String = "tok-amex", _ fields: JSONObject) throws -> String? {
                let reply = try aps.send(F.tokenPayment(reference, token: token, fields))
                #expect(reply["status"] == "00" && F.isSigned(reply, by: aps.merchant), "\(reply.object)")
                #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: reference) == nil)
                return reply.code
            }
            let c1 = try refusal("r-092", Self.plan(issuer: "NOBANK01"))
            #expect(c1 == "00092")
            let c2 = try refusal("r-094", Self.plan(plan: "NOPLAN01"))
            #expect(c2 == "00094")
            // The UAE issuer's BINs are 400555 and 512345: the Amex is not one of its cards.
            let c3 = try refusal("r-087", Self.plan(issuer: "SBXAE001", plan: "AEFLAT03"))
            #expect(c3 == "00087")
            // The UAE issuer's Visa, its plan in AED, paid in SAR.
            let c4 = try refusal("r-104", token: "tok-visa", Self.plan(issuer: "SBXAE001", plan: "AEFLAT03"))
            #expect(c4 == "00104")
            var small = Self.plan()
            small["amount"] = "10000"
            let c5 = try refusal("r-084", small)
            #expect(c5 == "00084")
            let c6 = try refusal("r-auth", Self.with(Self.plan(), ["command": "AUTHORIZATION"]))
            #expect(c6 == "00097")
            let c7 = try refusal("r-mode", Self.plan("STANDALONE"))
            #expect(c7 == "00002")
            var noPlan = Self.plan()
            noPlan["plan_code"] = nil
            let c8 = try refusal("r-001", noPlan)
            #expect(c8 == "00001")
            let c9 = try refusal("r-inst", ["plan_code": "SAFIX003", "issuer_code": "SBXSA001"])
            #expect(c9 == "00001")
        }
    }

    @Test func aMerchantWithoutInstallments_isRefused00086() async throws {
        var config = SandboxConfiguration.testing(merchants: [F.merchant(trusted: false)])
        config.installments = InstallmentCatalog(issuers: InstallmentCatalog.sandboxDefault.issuers, merchants: ["someone-else"])
        try await withSandbox(config) { sandbox, aps in
            try F.saveToken(sandbox, "tok-amex", card: F.amex, brand: "AMEX")
            let reply = try aps.send(F.tokenPayment("r-086", token: "tok-amex", Self.plan()))
            #expect(reply.code == "00086" && F.isSigned(reply, by: aps.merchant), "\(reply.object)")
        }
    }

    @Test func aThreeDSecureCard_inInstallments_carriesThePlanThroughTheChallenge() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-3ds", card: F.visa3DS)
            let reply = try aps.send(F.tokenPayment("inst-3ds", token: "tok-3ds", Self.with(Self.plan(), ["return_url": "https://shop.example/back"])))
            #expect(reply.code == "20064", "\(reply.object)")
            let page = try F.answerChallenge(aps, url: try #require(reply["3ds_url"]), code: TestCards.passingChallengeCode)
            let returned = F.returnedParameters(page)
            #expect(returned["response_code"]?.stringValue == "14000" && returned["number_of_installments"]?.stringValue == "3"
                    && returned["plan_code"]?.stringValue == "SAFIX003", "\(returned)")
        }
    }
}
