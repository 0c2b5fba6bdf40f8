import PayLinkJSON
import PayLinkCore
@testable import PayLinkSandbox
@testable import PayLinkCLI
import Testing

/// The merchant keys of the two feedback channels, in the config file and in scenario files.
struct FeedbackConfigurationTests {
    static let base = #""merchant_identifier": "A", "access_code": "B", "sha_request_phrase": "x", "sha_response_phrase": "y""#

    func merchant(_ keys: String) throws -> Merchant {
        try ConfigurationFile.parse(Array(#"{"merchants": [{\#(Self.base), \#(keys)}]}"#.utf8)).merchants[0]
    }

    @Test func directFeedbackURL_andFeedbackFormat_load() throws {
        let m = try merchant(#""direct_feedback_url": "http://127.0.0.1:9000/aps/direct/", "notification_url": "http://127.0.0.1:9000/aps/notify", "feedback_format": "form""#)
        #expect(m.directFeedbackURL == "http://127.0.0.1:9000/aps/direct")
        #expect(m.notificationURL == "http://127.0.0.1:9000/aps/notify")
        #expect(m.feedbackFormat == .form)
        #expect(try merchant(#""feedback_format": "json""#).feedbackFormat == .json)
        #expect(try merchant(#""notification_format": "form""#).feedbackFormat == .form)
        #expect(try merchant(#""notification_format": "form", "feedback_format": "form""#).feedbackFormat == .form)
        #expect(try merchant(#""notification_url": "http://127.0.0.1:1/n""#).directFeedbackURL == nil)
    }

    @Test(arguments: [
        (#""direct_feedback_url": "ftp://x""#, "merchants[0].direct_feedback_url"),
        (#""direct_feedback_url": 7"#, "merchants[0].direct_feedback_url"),
        (#""feedback_format": "xml""#, "merchants[0].feedback_format"),
        (#""feedback_format": "json", "notification_format": "form""#, "merchants[0].notification_format"),
    ])
    func badFeedbackKeys_areRefused_namingTheKey(_ keys: String, _ key: String) {
        #expect {
            _ = try merchant(keys)
        } throws: { error in (error as? ConfigurationError)?.key == key }
    }

    @Test func scenarioMerchants_takeTheSameKeys_andSendBothChannelsToTheServedReceiver() throws {
        let text = #"""
        {"scenario_version": 1, "name": "two channels", "description": "d",
         "setup": {"merchants": [
            {\#(Self.base), "direct_feedback_url": "${receiver.url}", "notification_url": "http://127.0.0.1:9000/n", "feedback_format": "form"},
            {"merchant_identifier": "C", "access_code": "D", "sha_request_phrase": "x", "sha_response_phrase": "y",
             "direct_feedback_url": "http://127.0.0.1:9000/d", "notification_url": "${receiver.url}"}]},
         "steps": [{"control": {"method": "GET", "path": "/__sandbox/health"}}]}
        """#
        let scenario = try ScenarioLoader.load(Array(text.utf8), file: "s.json")
        var configuration = SandboxConfiguration.testing(merchants: [])
        #expect(throws: ScenarioError.self) { try ScenarioMerchants.add(from: [scenario], to: &configuration) }
        try ScenarioMerchants.add(from: [scenario], to: &configuration, receiverURL: "http://127.0.0.1:9999/notify")
        #expect(configuration.merchants.map(\.identifier) == ["A", "C"])
        #expect(configuration.merchants[0].directFeedbackURL == "http://127.0.0.1:9999/notify")
        #expect(configuration.merchants[0].notificationURL == "http://127.0.0.1:9000/n")
        #expect(configuration.merchants[0].feedbackFormat == .form)
        #expect(configuration.merchants[1].directFeedbackURL == "http://127.0.0.1:9000/d")
        #expect(configuration.merchants[1].notificationURL == "http://127.0.0.1:9999/notify")
    }

    @Test func aScenario_canSendDirectFeedbackToItsReceiver() throws {
        let text = #"""
        {"scenario_version": 1, "name": "direct feedback", "description": "d",
         "setup": {"merchants": [{"merchant_identifier": "CycHZxVj", "access_code": "zx0IPmPy5jp1vAz8Kpg7",
                                  "sha_request_phrase": "request-secret", "sha_response_phrase": "response-secret",
                                  "direct_feedback_url": "${receiver.url}"}]},
         "steps": [
          {"name": "create", "aps": {"service_command": "PAYMENT_LINK", "merchant_reference": "d-1", "amount": "1000", "currency": "SAR",
                                     "language": "en", "customer_email": "c@example.com", "request_expiry_date": "2026-01-02T00:00:00Z",
                                     "notification_type": "NONE"}, "expect": {"fields": {"response_code": "48000"}}},
          {"customer": "pay", "link": "${create.payment_link_id}", "card_number": "4000000000000028", "expect": {"status": 200}},
          {"expect_received": {"count": 1, "response_codes": ["13029"], "signatures": "valid"}}]}
        """#
        let scenario = try ScenarioLoader.load(Array(text.utf8), file: "s.json")
        let result = ScenarioRunner().run(scenario)
        #expect(result.passed, "\(ScenarioBatch.line(result))")
    }
}
