import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// The payment-option rules wherever an option is chosen: PAYMENT_LINK's `payment_option`
/// with its `link_command`, UPDATE_PAYMENT_LINK, the hosted page and the control API's `/pay`;
/// limited per merchant by `payment_options` and overridable by `aps.payment_option_rules`.
struct APSPaymentOptionRuleTests {
    static func configuration(_ json: String) throws -> SandboxConfiguration {
        var config = try ConfigurationFile.parse(Array(json.utf8), into: .testing())
        config.usesDemoMerchant = false
        return config
    }

    /// The demo merchant's credentials with extra keys.
    static func demoMerchant(_ extra: String) -> String {
        #"{"merchant_identifier": "CycHZxVj", "access_code": "zx0IPmPy5jp1vAz8Kpg7", "sha_request_phrase": "request-secret", "sha_response_phrase": "response-secret"\#(extra)}"#
    }

    func pay(_ aps: APSTestClient, _ id: String, _ body: String) throws -> (status: Int, body: JSONObject) {
        let response = try aps.http.post("/__sandbox/links/\(id)/pay", json: body)
        return (response.status, try #require(try JSONParser.parse(response.body).objectValue))
    }

    @Test(arguments: [
        (["payment_option": "KNET", "currency": "KWD"] as [String: String], "48000"),
        (["payment_option": "KNET", "currency": "KWD", "link_command": "AUTHORIZATION"], "00049"),
        (["payment_option": "SADAD", "link_command": "AUTHORIZATION"], "00049"),
        (["payment_option": "NAPS", "link_command": "AUTHORIZATION"], "00049"),
        (["payment_option": "MADA", "link_command": "AUTHORIZATION"], "00049"),
        (["payment_option": "MEEZA", "link_command": "AUTHORIZATION"], "00049"),
        (["payment_option": "MADA"], "48000"),
        (["payment_option": "KNET"], "00024"),
        (["payment_option": "BENEFIT", "currency": "BHD"], "48000"),
        (["payment_option": "BENEFIT"], "00024"),
        (["payment_option": "OMANNET", "currency": "AED"], "00024"),
        (["payment_option": "STCPAY", "currency": "AED"], "00024"),
        (["payment_option": "VALU", "currency": "EGP"], "48000"),
        (["payment_option": "VALU"], "00024"),
        (["payment_option": "TABBY", "customer_phone": "0501234567", "order_description": "Order 1"], "48000"),
        (["payment_option": "TABBY", "customer_phone": "0501234567", "order_description": "Order 1", "currency": "USD"], "00024"),
        (["payment_option": "TABBY", "order_description": "Order 1"], "00001"),
        (["payment_option": "TABBY", "customer_phone": "0501234567"], "00001"),
        (["payment_option": "TAMARA"], "00111"),
        (["payment_option": "VISA", "link_command": "AUTHORIZATION", "currency": "USD"], "48000"),
    ])
    func paymentLink_appliesTheDocumentedRules(_ pairs: [String: String], _ code: String) async throws {
        let fields = JSONObject(strings: pairs)
        try await withSandbox { sandbox, aps in
            let reply = try aps.send(APSTestClient.paymentLink("rule-1", fields))
            #expect(reply.code == code, "\(fields): \(reply.object) \(reply.detail ?? "")")
            #expect((sandbox.engine.links().count == 1) == (code == "48000"))
        }
    }

    @Test func theRefusals_sayWhyInTheDetailHeader() async throws {
        try await withSandbox { _, aps in
            let knet = try aps.send(APSTestClient.paymentLink("why-1", ["payment_option": "KNET"]))
            #expect(knet["response_message"] == "Currency not accepted by processor")
            #expect(knet.detail == "KNET does not take SAR; it takes KWD only")
            let tamara = try aps.send(APSTestClient.paymentLink("why-2", ["payment_option": "TAMARA"]))
            #expect(tamara["response_message"] == "Service not applicable for payment option")
            let tabby = try aps.send(APSTestClient.paymentLink("why-3", ["payment_option": "TABBY"]))
            #expect(tabby.detail?.contains("customer_phone") == true)
        }
    }

    @Test func aMerchantsPaymentOptions_limitItsLinks_with003() async throws {
        let config = try Self.configuration(#"{"merchants": [\#(Self.demoMerchant(#", "payment_options": ["VISA", "MADA", "STCPAY"]"#))]}"#)
        try await withSandbox(config) { _, aps in
            #expect(try aps.send(APSTestClient.paymentLink("m-1", ["payment_option": "VISA"])).code == "48000")
            let refused = try aps.send(APSTestClient.paymentLink("m-2", ["payment_option": "MASTERCARD"]))
            #expect(refused.code == "00003" && refused["response_message"] == "Payment option is not available for this merchant's account")
        }
    }

    @Test func configOverrides_replaceTheDocumentedLimits() async throws {
        let config = try Self.configuration(#"""
            {"aps": {"payment_option_rules": {"KNET": {"currencies": ["KWD", "SAR"]}, "MADA": {"commands": null}}}}
            """#)
        #expect(config.paymentOptionRules["KNET"].commands == ["PURCHASE"], "the keys left out keep the documented limit")
        try await withSandbox(config) { _, aps in
            let knetInSAR = try aps.send(APSTestClient.paymentLink("o-1", ["payment_option": "KNET"]))
            #expect(knetInSAR.code == "48000")
            #expect(try aps.send(APSTestClient.paymentLink("o-2", ["payment_option": "KNET", "link_command": "AUTHORIZATION"])).code == "00049")
            #expect(try aps.send(APSTestClient.paymentLink("o-3", ["payment_option": "MADA", "link_command": "AUTHORIZATION"])).code == "48000")
        }
    }

    @Test func update_aNewCurrency_mustSuitTheLinksPaymentOption() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("u-knet", ["payment_option": "KNET", "currency": "KWD", "amount": "1250500"])
            let reply = try aps.send(["service_command": "UPDATE_PAYMENT_LINK", "payment_link_id": .string(id), "language": "en",
                                      "currency": "SAR", "amount": "125000"])
            #expect(reply.code == "00024", "\(reply.object)")
            let link = try #require(sandbox.engine.link(id: id)).link
            #expect(link.currency == "KWD" && link.amount == 1_250_500)
            let free = try aps.createLink("u-free")
            #expect(try aps.send(["service_command": "UPDATE_PAYMENT_LINK", "payment_link_id": .string(free), "language": "en",
                                  "currency": "KWD"]).code == "78000", "a link without an option takes any currency the merchant does")
        }
    }

    @Test func hostedPage_offersOnlyWhatTheRulesAndTheMerchantAllow() async throws {
        let config = try Self.configuration(#"{"merchants": [\#(Self.demoMerchant(#", "payment_options": ["VISA", "MASTERCARD", "MADA", "MEEZA", "STCPAY"]"#))]}"#)
        try await withSandbox(config) { sandbox, aps in
            let purchase = try aps.createLink("page-sar")
            let page = try aps.http.get("/pay/" + (try #require(sandbox.engine.link(id: purchase))).link.token).text
            for shown in ["VISA", "MASTERCARD", "MADA", "MEEZA", "STCPAY"] { #expect(page.contains(#"value="\#(shown)""#), "\(shown)") }
            for hidden in ["AMEX", "VISA_CHECKOUT"] { #expect(!page.contains(#"value="\#(hidden)""#), "\(hidden)") }

            let authorization = try aps.createLink("page-auth", ["link_command": "AUTHORIZATION", "currency": "AED"])
            let path = "/pay/" + (try #require(sandbox.engine.link(id: authorization))).link.token
            let authPage = try aps.http.get(path).text
            for hidden in ["MADA", "MEEZA", "STCPAY"] { #expect(!authPage.contains(#"value="\#(hidden)""#), "\(hidden) on an AED authorization") }
            #expect(authPage.contains(#"value="VISA""#))

            // A mada card without a chosen scheme runs as mada, which this link does not take.
            let card = [("card_number", "5297412542005689"), ("expiry_date", "3005"), ("card_security_code", "123"),
                        ("card_holder_name", "Sara"), ("agree_terms", "yes")]
            let refused = try HostedPageTests().postForm(aps, path, card)
            #expect(refused.status == 422 && refused.text.contains("This card is not accepted here."))
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "page-auth") == nil)
            // Chosen as Mastercard (the card is co-badged), it pays.
            let paid = try HostedPageTests().postForm(aps, path, [("payment_option", "MASTERCARD")] + card)
            #expect(paid.status == 200)
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "page-auth")?.paymentOption == "MASTERCARD")
        }
    }

    @Test func controlPay_refusesWhatTheRulesRefuse_withTheCommandsFailureStatus() async throws {
        let config = try Self.configuration(#"{"merchants": [\#(Self.demoMerchant(#", "payment_options": ["VISA", "MADA", "STCPAY", "TABBY", "TAMARA"]"#))]}"#)
        try await withSandbox(config) { sandbox, aps in
            let authorization = try aps.createLink("pay-auth", ["link_command": "AUTHORIZATION"])
            let mada = try pay(aps, authorization, #"{"card_number": "5297412542005689"}"#)
            #expect(mada.status == 400 && mada.body["response_code"] == "03049" && mada.body["error"] == "invalid_payment_option")

            let aed = try aps.createLink("pay-aed", ["currency": "AED"])
            let stcPay = try pay(aps, aed, #"{"payment_option": "STCPAY", "phone_number": "0501234567", "otp": "1234"}"#)
            #expect(stcPay.status == 400 && stcPay.body["response_code"] == "13024")
            #expect(try pay(aps, aed, #"{"payment_option": "VISA_CHECKOUT"}"#).body["response_code"] == "13003")
            #expect(try pay(aps, aed, #"{"card_number": "5123456789012346"}"#).body["response_code"] == "13003", "Mastercard is not the merchant's")
            #expect(try pay(aps, aed, #"{"payment_option": "TAMARA"}"#).body["response_code"] == "13111")
            #expect(try pay(aps, aed, #"{"payment_option": "TABBY"}"#).body["response_code"] == "13001", "Tabby needs the link's phone")
            #expect(sandbox.engine.link(id: aed)?.link.failedAttempts.isEmpty == true, "nothing reached the acquirer")

            let tabbyReady = try aps.createLink("pay-tabby", ["currency": "AED", "customer_phone": "0501234567", "order_description": "Order"])
            let tabby = try pay(aps, tabbyReady, #"{"payment_option": "TABBY"}"#)
            #expect(tabby.status == 200 && tabby.body["outcome"] == "approved")
            #expect(try pay(aps, try aps.createLink("pay-visa", ["currency": "AED"]), #"{"card_number": "4005550000000001"}"#).status == 200)
        }
    }

    /// As on the hosted page, a mada card picked as Visa or Mastercard runs under that scheme,
    /// so it pays an AUTHORIZATION link mada itself does not run.
    @Test func controlPay_runsACardUnderTheSchemePicked_asThePageDoes() async throws {
        try await withSandbox { _, aps in
            let asMastercard = try pay(aps, try aps.createLink("pick-mc", ["link_command": "AUTHORIZATION"]),
                                       #"{"card_number": "5297412542005689", "payment_option": "MASTERCARD"}"#)
            #expect(asMastercard.status == 200 && asMastercard.body["response_code"] == "02000", "\(asMastercard.body)")
            #expect(asMastercard.body["payment_option"] == "MASTERCARD")
            let visaAsMastercard = try pay(aps, try aps.createLink("pick-wrong"), #"{"card_number": "4005550000000001", "payment_option": "MASTERCARD"}"#)
            #expect(visaAsMastercard.status == 400 && visaAsMastercard.body["response_code"] == "13080")
            let walletWithCard = try pay(aps, try aps.createLink("pick-wallet"), #"{"card_number": "4005550000000001", "payment_option": "STCPAY"}"#)
            #expect(walletWithCard.status == 400 && walletWithCard.body["error"] == "invalid_payment_option")
        }
    }
}
