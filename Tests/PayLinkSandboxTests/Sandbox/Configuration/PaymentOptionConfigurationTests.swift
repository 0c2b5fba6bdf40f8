import Foundation
import PayLinkJSON
import PayLinkCore
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// `merchants[].payment_options` and `aps.payment_option_rules` in the config file and in a
/// scenario's merchants: what loads, and the key named for what does not.
struct PaymentOptionConfigurationTests {
    static func merchant(_ extra: String) -> String {
        #"{"merchants": [{"merchant_identifier": "A", "access_code": "B", "sha_request_phrase": "x", "sha_response_phrase": "y"\#(extra)}]}"#
    }

    @Test func paymentOptionsAndRules_load_andDefaultToAllOptionsAndTheDocumentedRules() throws {
        let defaults = try ConfigurationFile.parse(Array(Self.merchant("").utf8))
        #expect(defaults.merchants[0].paymentOptions == nil && defaults.paymentOptionRules == .documented)
        let text = #"""
            {"merchants": [{"merchant_identifier": "A", "access_code": "B", "sha_request_phrase": "x", "sha_response_phrase": "y",
                            "payment_options": ["VISA", "TAMARA", "APPLE_PAY"]}],
             "aps": {"payment_option_rules": {"STCPAY": {"currencies": ["SAR", "AED"], "eci": ["ECOMMERCE"]}, "MEEZA": {"eci": null}}}}
            """#
        let config = try ConfigurationFile.parse(Array(text.utf8))
        #expect(config.merchants[0].paymentOptions == ["VISA", "TAMARA", "APPLE_PAY"])
        #expect(config.paymentOptionRules["STCPAY"] == PaymentOptionRule(currencies: ["SAR", "AED"], eci: ["ECOMMERCE"]))
        #expect(config.paymentOptionRules["MEEZA"] == PaymentOptionRule(commands: ["PURCHASE"]))
        #expect(config.paymentOptionRules["KNET"] == PaymentOptionRules.documented["KNET"])
    }

    @Test(arguments: [
        (merchant(#", "payment_options": ["VISA", "BITCOIN"]"#), "merchants[0].payment_options[1]"),
        (merchant(#", "payment_options": ["VISA", "VISA"]"#), "merchants[0].payment_options[1]"),
        (merchant(#", "payment_options": []"#), "merchants[0].payment_options"),
        (merchant(#", "payment_options": "VISA""#), "merchants[0].payment_options"),
        (#"{"aps": {"payment_option_rules": {"BITCOIN": {}}}}"#, "aps.payment_option_rules.BITCOIN"),
        (#"{"aps": {"payment_option_rules": {"KNET": ["KWD"]}}}"#, "aps.payment_option_rules.KNET"),
        (#"{"aps": {"payment_option_rules": {"KNET": {"currency": ["KWD"]}}}}"#, "aps.payment_option_rules.KNET.currency"),
        (#"{"aps": {"payment_option_rules": {"KNET": {"currencies": ["KWD", "kwd"]}}}}"#, "aps.payment_option_rules.KNET.currencies[1]"),
        (#"{"aps": {"payment_option_rules": {"KNET": {"currencies": []}}}}"#, "aps.payment_option_rules.KNET.currencies"),
        (#"{"aps": {"payment_option_rules": {"KNET": {"commands": ["CAPTURE"]}}}}"#, "aps.payment_option_rules.KNET.commands[0]"),
        (#"{"aps": {"payment_option_rules": {"MADA": {"eci": ["INTERNET"]}}}}"#, "aps.payment_option_rules.MADA.eci[0]"),
        (#"{"aps": {"payment_option_rules": {"KNET": {}, "KNET": {}}}}"#, "aps.payment_option_rules.KNET"),
        (#"{"aps": {"payment_option_rules": []}}"#, "aps.payment_option_rules"),
    ])
    func badPaymentOptionSettings_areRefused_namingTheKey(_ text: String, _ key: String) {
        #expect {
            _ = try ConfigurationFile.parse(Array(text.utf8))
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == key && error.description.hasPrefix("\(key): ")
        }
    }

    /// `serve --scenario`: a scenario's merchants join the configured ones with their options.
    @Test func scenarioMerchants_takePaymentOptions() throws {
        let text = #"""
            {"scenario_version": 1, "description": "d",
             "setup": {"merchants": [{"merchant_identifier": "Limited", "access_code": "LimitedAccess", "sha_request_phrase": "in",
                                      "sha_response_phrase": "out", "payment_options": ["MADA", "STCPAY"]}]},
             "steps": [{"clock": {"advance_seconds": 1}}]}
            """#
        let scenario = try ScenarioLoader.load(Array(text.utf8), file: "s.json")
        var configuration = SandboxConfiguration.testing()
        try ScenarioMerchants.add(from: [scenario], to: &configuration)
        #expect(configuration.merchants.first { $0.identifier == "Limited" }?.paymentOptions == ["MADA", "STCPAY"])

        let bad = text.replacingOccurrences(of: #"["MADA", "STCPAY"]"#, with: #"["MADA", "PAYPAL"]"#)
        #expect {
            _ = try ScenarioLoader.load(Array(bad.utf8), file: "s.json")
        } throws: { error in
            (error as? ScenarioError)?.description.hasPrefix("s.json: setup.merchants[0].payment_options[1]") == true
        }
    }

    /// `paylink-sandbox run`: the scenario's merchant refuses an option it does not accept (003).
    @Test func aScenarioMerchantsPaymentOptions_limitItsLinksWhenRun() throws {
        let text = #"""
            {"scenario_version": 1, "description": "d",
             "setup": {"merchants": [{"merchant_identifier": "Limited", "access_code": "LimitedAccess", "sha_request_phrase": "in",
                                      "sha_response_phrase": "out", "payment_options": ["MADA"]}]},
             "steps": [
               {"merchant": "Limited", "aps": {"service_command": "PAYMENT_LINK", "merchant_reference": "s-1", "amount": "1000",
                 "currency": "SAR", "language": "en", "customer_email": "c@example.com", "request_expiry_date": "2026-01-02T00:00:00Z",
                 "notification_type": "NONE", "payment_option": "VISA"}, "expect": {"fields": {"response_code": "00003"}}},
               {"merchant": "Limited", "aps": {"service_command": "PAYMENT_LINK", "merchant_reference": "s-2", "amount": "1000",
                 "currency": "SAR", "language": "en", "customer_email": "c@example.com", "request_expiry_date": "2026-01-02T00:00:00Z",
                 "notification_type": "NONE", "payment_option": "MADA"}, "expect": {"fields": {"response_code": "48000"}}}]}
            """#
        let result = ScenarioRunner().run(try ScenarioLoader.load(Array(text.utf8), file: "s.json"))
        #expect(result.passed, "\(ScenarioBatch.line(result)) \(result.expected ?? "") \(result.actual ?? "")")
    }
}

/// The example in docs/configuration.md loads and means what the page says.
struct PaymentOptionConfigurationDocTests {
    @Test func theDocsExample_loads() throws {
        let page = try DocsExampleTests.page("docs/configuration.md")
        let example = try #require(DocsExampleTests.blocks(page, language: "json").first { $0.contains("payment_option_rules") })
        let config = try ConfigurationFile.parse(Array(example.utf8))
        #expect(config.merchants[0].paymentOptions == ["VISA", "MASTERCARD", "MADA", "STCPAY"])
        #expect(config.paymentOptionRules["KNET"] == PaymentOptionRule(currencies: ["KWD", "USD"], commands: ["PURCHASE"]))
        #expect(config.paymentOptionRules["MADA"] == PaymentOptionRule(eci: ["ECOMMERCE"]))
    }
}
