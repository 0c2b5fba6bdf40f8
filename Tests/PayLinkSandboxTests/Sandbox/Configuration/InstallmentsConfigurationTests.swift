import Foundation
import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// The `installments` key: issuers and plans replacing the defaults, the merchants offered
/// the service, and every bad value refused with its key.
struct InstallmentsConfigurationTests {
    static let issuer = #"{"issuer_code": "BANK1", "issuer_name_en": "Bank One", "issuer_name_ar": "بنك", "country_code": "JOR", "bins": ["411111"], "plans": [PLAN]}"#
    static let plan = #"{"plan_code": "JO6", "currency": "JOD", "number_of_installments": 6, "fees_type": "Percentage", "fees_amount": 1.25, "rate_type": "Reducing Balance", "minimum_amount": 1000, "maximum_amount": 500000}"#

    static func text(issuer: String = issuer, plan: String = plan, extra: String = "") -> String {
        #"{"installments": {"issuers": [\#(issuer.replacingOccurrences(of: "PLAN", with: plan))]\#(extra)}}"#
    }

    @Test func issuersAndPlans_load_andReplaceTheDefaults() throws {
        let config = try ConfigurationFile.parse(Array(Self.text(extra: #", "merchants": ["CycHZxVj"]"#).utf8))
        #expect(config.installments.issuers.map(\.code) == ["BANK1"])
        let plan = try #require(config.installments.issuers.first?.plans.first)
        #expect(plan.fees == .percentage(hundredths: 125) && plan.rateType == .reducingBalance && plan.currency.code == "JOD")
        #expect(config.installments.merchants == ["CycHZxVj"])
        #expect(config.installments.issuers(for: "OTHER").isEmpty)
        // Left out, the defaults stay: AED and SAR plans for every merchant.
        let defaults = try ConfigurationFile.parse(Array("{}".utf8))
        #expect(defaults.installments == .sandboxDefault)
        #expect(Set(defaults.installments.issuers.flatMap(\.plans).map(\.currency.code)) == ["AED", "SAR"])
        // An empty list turns the service off.
        let off = try ConfigurationFile.parse(Array(#"{"installments": {"issuers": []}}"#.utf8))
        #expect(off.installments.issuers(for: "CycHZxVj").isEmpty)
    }

    @Test(arguments: [
        (#"{"installments": {"banks": []}}"#, "installments.banks"),
        (#"{"installments": {"issuers": {}}}"#, "installments.issuers"),
        (text(issuer: issuer.replacingOccurrences(of: "BANK1", with: "BANK-ONE-9")), "installments.issuers[0].issuer_code"),
        (text(issuer: issuer.replacingOccurrences(of: "JOR", with: "JO")), "installments.issuers[0].country_code"),
        (text(issuer: issuer.replacingOccurrences(of: "411111", with: "4111")), "installments.issuers[0].bins[0]"),
        (text(issuer: issuer.replacingOccurrences(of: "[PLAN]", with: "[]")), "installments.issuers[0].plans"),
        (text(plan: plan.replacingOccurrences(of: "JOD", with: "XXX")), "installments.issuers[0].plans[0].currency"),
        (text(plan: plan.replacingOccurrences(of: "\"number_of_installments\": 6", with: "\"number_of_installments\": 1")),
         "installments.issuers[0].plans[0].number_of_installments"),
        (text(plan: plan.replacingOccurrences(of: "1.25", with: "1.255")), "installments.issuers[0].plans[0].fees_amount"),
        (text(plan: plan.replacingOccurrences(of: "Percentage", with: "Flat")), "installments.issuers[0].plans[0].fees_type"),
        (text(plan: plan.replacingOccurrences(of: "Reducing Balance", with: "Compound")), "installments.issuers[0].plans[0].rate_type"),
        (text(plan: plan.replacingOccurrences(of: "500000", with: "10")), "installments.issuers[0].plans[0].maximum_amount"),
        (text(issuer: issuer.replacingOccurrences(of: "[PLAN]", with: "[PLAN, PLAN]")), "installments.issuers[0].plans[1].plan_code"),
        (text(extra: #", "merchants": "A""#), "installments.merchants"),
    ])
    func badInstallments_areRefused_namingTheKey(_ text: String, _ key: String) {
        #expect {
            _ = try ConfigurationFile.parse(Array(text.utf8))
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == key && error.description.hasPrefix("\(key): ")
        }
    }
}
