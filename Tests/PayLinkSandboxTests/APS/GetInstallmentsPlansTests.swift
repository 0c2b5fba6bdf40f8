import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// `query_command=GET_INSTALLMENTS_PLANS` over real sockets, as the PHP SDK's
/// `InstallmentsPlansModel` and the WooCommerce plugin send it.
struct GetInstallmentsPlansTests {
    static func issuers(_ reply: APSTestClient.Reply) -> [JSONObject] {
        guard case .object(let detail)? = reply.object["installment_detail"], case .array(let list)? = detail["issuer_detail"] else { return [] }
        return list.compactMap(\.objectValue)
    }

    static func plans(_ issuer: JSONObject) -> [JSONObject] {
        guard case .array(let list)? = issuer["plan_details"] else { return [] }
        return list.compactMap(\.objectValue)
    }

    @Test func theDefaults_answer62000_withBothIssuers_signedWithoutTheDetail() async throws {
        try await withSandbox { _, aps in
            let reply = try aps.send(["query_command": "GET_INSTALLMENTS_PLANS", "language": "en"])
            #expect(reply.code == "62000" && reply["status"] == "62", "\(reply.object) \(reply.detail ?? "")")
            #expect(reply["response_message"] == "Success")
            let issuers = Self.issuers(reply)
            #expect(issuers.map { $0["issuer_code"]?.stringValue } == ["SBXAE001", "SBXSA001"])
            #expect(issuers[0]["issuer_name_ar"]?.stringValue == "بنك ساندبوكس الإمارات")
            let bins = issuers[0]["bins"]?.arrayValue?.compactMap { $0.objectValue?["bin"]?.stringValue }
            #expect(bins == ["400555", "512345"])
            // Without an amount, no amountPerMonth.
            #expect(Self.plans(issuers[0]).allSatisfy { $0["amountPerMonth"] == nil })
            #expect(Self.plans(issuers[0]).first?["number_of_installment"] == .number("3"))
            // The signature covers everything but installment_detail (the PHP SDK skips it).
            let signed = reply.object.removing("installment_detail")
            #expect(reply["signature"] == aps.merchant.signer.sign(signed, phrase: aps.merchant.responsePhrase))
        }
    }

    @Test func amountAndCurrency_keepThatCurrencysPlans_withTheAmountPerMonth() async throws {
        try await withSandbox { _, aps in
            let reply = try aps.send(["query_command": "GET_INSTALLMENTS_PLANS", "amount": "100000", "currency": "AED", "language": "en"])
            #expect(reply.code == "62000", "\(reply.object)")
            #expect(reply["amount"] == "100000" && reply["currency"] == "AED")
            let issuers = Self.issuers(reply)
            #expect(issuers.map { $0["issuer_code"]?.stringValue } == ["SBXAE001"])
            let plans = Self.plans(issuers[0])
            #expect(plans.map { $0["plan_code"]?.stringValue } == ["AEFLAT03", "AEFLAT06", "AERB0012"])
            #expect(plans.map { $0["amountPerMonth"]?.stringValue } == ["333.33", "171.67", "88.85"])
            // Below the 12-month plan's minimum (1000.00): only the other two.
            let small = try aps.send(["query_command": "GET_INSTALLMENTS_PLANS", "amount": "60000", "currency": "SAR"])
            #expect(Self.issuers(small).flatMap(Self.plans).map { $0["plan_code"]?.stringValue } == ["SAFIX003", "SAFLAT06"])
        }
    }

    @Test func nothingLeft_orNoService_answers63086() async throws {
        try await withSandbox { _, aps in
            let usd = try aps.send(["query_command": "GET_INSTALLMENTS_PLANS", "amount": "100000", "currency": "USD"])
            #expect(usd.code == "63086" && usd["response_message"] == "Installment plan is not configured for Merchant account", "\(usd.object)")
            #expect(usd.object["installment_detail"] == nil)
            let unknownIssuer = try aps.send(["query_command": "GET_INSTALLMENTS_PLANS", "issuer_code": "NOSUCH1"])
            #expect(unknownIssuer.code == "63086")
            let one = try aps.send(["query_command": "GET_INSTALLMENTS_PLANS", "issuer_code": "SBXSA001"])
            #expect(Self.issuers(one).map { $0["issuer_code"]?.stringValue } == ["SBXSA001"])
        }
        var config = SandboxConfiguration.testing()
        config.installments.merchants = ["SOMEONE"]
        try await withSandbox(config) { _, aps in
            let reply = try aps.send(["query_command": "GET_INSTALLMENTS_PLANS"])
            #expect(reply.code == "63086" && reply.detail?.contains("no installments service") == true)
            #expect(reply["signature"] == aps.merchant.signer.sign(reply.object, phrase: aps.merchant.responsePhrase))
        }
    }

    @Test(arguments: [
        (["amount": "100000"], "00001"),
        (["currency": "AED"], "00001"),
        (["amount": "abc", "currency": "AED"], "00005"),
        (["amount": "100000", "currency": "XYZ"], "00013"),
        (["language": "fr"], "00002"),
        (["issuer_code": "TOOLONG123"], "00032"),
    ] as [([String: String], String)])
    func badFields_areRefusedAsTheOtherCommandsDo(_ pairs: [String: String], _ code: String) async throws {
        try await withSandbox { _, aps in
            var params = JSONObject(strings: pairs)
            params["query_command"] = "GET_INSTALLMENTS_PLANS"
            let reply = try aps.send(params)
            #expect(reply.code == code, "\(pairs): \(reply.object) \(reply.detail ?? "")")
        }
    }

    @Test func aBadSignature_is00008() async throws {
        try await withSandbox { _, aps in
            let reply = try aps.send(["query_command": "GET_INSTALLMENTS_PLANS", "signature": "0000"])
            #expect(reply.code == "00008")
            let missing = try aps.send(["query_command": "GET_INSTALLMENTS_PLANS"], sign: false)
            #expect(missing.code == "00001" || missing.code == "00008", "\(missing.object)")
        }
    }
}
