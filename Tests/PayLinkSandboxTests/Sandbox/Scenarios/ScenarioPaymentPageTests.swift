import Foundation
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing

/// `payment_page` steps and the `customer` `3ds` action: what the loader refuses (naming the
/// step and the key), and how the runner's browser ends a flow that does not reach
/// `return_url`. The flows that do are the scenario files themselves (`ScenarioTests`).
struct ScenarioPaymentPageTests {
    typealias Check = ScenarioCheckTests

    static let form = #"{"command": "PURCHASE", "merchant_reference": "p-1", "amount": "12500", "currency": "SAR", "language": "en", "customer_email": "c@example.com"}"#

    @Test(arguments: [
        (#"[{"name": "pay", "payment_page": "PURCHASE"}]"#, "f.json: step 1 (pay): payment_page: expected the form's parameters as an object"),
        (#"[{"payment_page": {}, "link": "1"}]"#, "f.json: step 1: link: unknown key"),
        (#"[{"payment_page": {}, "otp": "1234"}]"#, "f.json: step 1: otp: unknown key"),
        (#"[{"payment_page": {}, "card_number": 4005550000000001}]"#, "f.json: step 1: card_number: expected a string"),
        (#"[{"payment_page": {}, "installments_plan": ["SBXSA001/SAFIX003"]}]"#, "f.json: step 1: installments_plan: expected a string"),
        (#"[{"payment_page": {}, "credentials": "no"}]"#, "f.json: step 1: credentials: expected true or false"),
        (#"[{"payment_page": {}, "aps": {}}]"#, "f.json: step 1: give exactly one of"),
        (#"[{"payment_page": {}, "3ds_code": "${pay.code}"}]"#, "f.json: step 1: ${pay.code}: no setup link or earlier step is named pay"),
        (#"[{"name": "both", "parallel": [{"payment_page": {}}, {"payment_page": {}}]}]"#,
         "f.json: step 1 (both): parallel[0].payment_page: a parallel step runs single requests only"),
        (#"[{"customer": "3ds", "3ds_code": "1234"}]"#, "f.json: step 1: url: required: the challenge's address, e.g. ${pay.3ds_url}"),
        (#"[{"customer": "3ds", "url": "/FortAPI/threeDSecure/1"}]"#, "f.json: step 1: 3ds_code: required: the code typed into the challenge"),
        (#"[{"customer": "3ds", "url": "/x", "3ds_code": "1234", "link": "1"}]"#, "f.json: step 1: link: unknown key"),
        (#"[{"customer": "3ds", "url": "${pay.3ds_url}", "3ds_code": "1234"}]"#,
         "f.json: step 1: ${pay.3ds_url}: no setup link or earlier step is named pay"),
        (#"[{"customer": "pay3ds", "link": "1"}]"#, "f.json: step 1: customer: expected open, pay, fail or 3ds"),
        (#"[{"payment_page": {}, "bnpl_decision": "accept"}]"#, "f.json: step 1: bnpl_decision: expected approve, decline or cancel"),
        (#"[{"payment_page": {}, "bnpl_otp": 123456}]"#, "f.json: step 1: bnpl_otp: expected a string"),
        (#"[{"payment_page": {}, "bnpl_email": ""}]"#, "f.json: step 1: bnpl_email: expected a non-empty string"),
        (#"[{"customer": "open", "link": "1", "bnpl_decision": "approve"}]"#, "f.json: step 1: customer: bnpl_* keys go with customer pay"),
        (#"[{"customer": "pay", "link": "1", "bnpl_decision": "approve"}]"#, "f.json: step 1: payment_option: bnpl_* keys on a link need payment_option TABBY"),
        (#"[{"customer": "pay", "link": "1", "payment_option": "TAMARA", "bnpl_decision": "approve"}]"#,
         "f.json: step 1: payment_option: bnpl_* keys on a link need payment_option TABBY"),
        (#"[{"customer": "pay", "link": "1", "payment_option": "TABBY", "otp": "8888", "bnpl_decision": "approve"}]"#,
         "f.json: step 1: otp: not with bnpl_* keys"),
        (#"[{"customer": "pay", "link": "1", "payment_option": "TABBY", "bnpl_decision": "maybe"}]"#,
         "f.json: step 1: bnpl_decision: expected approve, decline or cancel"),
        (#"[{"customer": "3ds", "url": "/x", "3ds_code": "1234", "bnpl_decision": "approve"}]"#, "f.json: step 1: bnpl_decision: unknown key"),
        (#"[{"name": "both", "parallel": [{"customer": "pay", "link": "1", "payment_option": "TABBY", "bnpl_decision": "approve"}, {"customer": "open", "link": "1"}]}]"#,
         "f.json: step 1 (both): parallel[0].customer: a parallel step runs single requests only"),
    ])
    func theLoader_refusesABadStep_namingItAndTheKey(_ steps: String, _ message: String) {
        let refusal = Check.refusal(Check.scenario(steps: steps))
        #expect(refusal?.hasPrefix(message) == true, "\(refusal ?? "loaded")")
    }

    @Test func aGoodStep_loads() throws {
        let text = Check.scenario(steps: #"""
        [{"name": "pay", "payment_page": \#(Self.form), "merchant": "CycHZxVj", "credentials": true, "card_number": "4005550000000001",
          "expiry_date": "3005", "card_security_code": "123", "card_holder_name": "A B", "payment_option": "VISA", "3ds_code": "1234",
          "remember_me": "YES", "installments_plan": "FULL", "timeout_ms": 5000, "expect": {"fields": {"response_code": "14000"}}},
         {"customer": "3ds", "url": "${pay.fort_id}", "3ds_code": "1234", "expect": {"status": 404}}]
        """#)
        let scenario = try ScenarioLoader.load(Array(text.utf8), file: "f.json")
        #expect(scenario.steps.map(\.kind) == [.paymentPage, .customer])
    }

    @Test func bnplKeys_load_onAPaymentPageStep_andATabbyCustomerPay() throws {
        let text = Check.scenario(steps: #"""
        [{"payment_page": \#(Self.form), "bnpl_phone": "+966500000001", "bnpl_email": "otp.success@tabby.ai", "bnpl_password": "tamara123",
          "bnpl_otp": "123456", "bnpl_decision": "approve"},
         {"customer": "pay", "link": "1", "payment_option": "TABBY", "bnpl_decision": "cancel"}]
        """#)
        let scenario = try ScenarioLoader.load(Array(text.utf8), file: "f.json")
        #expect(scenario.steps.map(\.kind) == [.paymentPage, .customer])
    }

    /// Without a `bnpl_decision` the step ends on the provider's schedule; a wrong OTP is
    /// answered once (422) and the step ends on that page.
    @Test func aProviderCheckout_withoutADecision_endsOnTheSchedule_andAWrongOTPEndsThere() throws {
        let form = #"{"command": "PURCHASE", "merchant_reference": "t-1", "amount": "90000", "currency": "SAR", "language": "en", "customer_email": "c@example.com", "payment_option": "TAMARA", "phone_number": "+966500000001", "order_description": "Kettle"}"#
        let schedule = try run(#"""
        [{"payment_page": \#(form), "expect": {"status": 200, "body_contains": "value=\"approve\""}}]
        """#)
        #expect(schedule.passed, "\(schedule.expected ?? ""); \(schedule.actual ?? "")")
        let wrongOTP = try run(#"""
        [{"payment_page": \#(form), "bnpl_otp": "000000", "bnpl_decision": "approve", "expect": {"status": 422, "body_contains": "name=\"otp\""}}]
        """#)
        #expect(wrongOTP.passed, "\(wrongOTP.expected ?? ""); \(wrongOTP.actual ?? "")")
        let wrongPassword = try run(#"""
        [{"payment_page": \#(form), "bnpl_password": "nope", "bnpl_decision": "approve", "expect": {"status": 422, "body_contains": "name=\"password\""}}]
        """#)
        #expect(wrongPassword.passed, "\(wrongPassword.expected ?? ""); \(wrongPassword.actual ?? "")")
    }

    func run(_ steps: String) throws -> ScenarioResult {
        ScenarioRunner().run(try ScenarioLoader.load(Array(Check.scenario(steps: steps).utf8), file: "f.json"))
    }

    /// A card the page refuses (422) ends the step on that page: the browser does not retry.
    @Test func aCardThePageRefuses_endsTheStepOnThePage() throws {
        let result = try run(#"""
        [{"payment_page": \#(Self.form), "card_number": "4005550000000002",
          "expect": {"status": 422, "body_contains": "card_number", "fields": {"response_code": null}}}]
        """#)
        #expect(result.passed, "\(result.expected ?? ""); \(result.actual ?? "")")
        #expect(result.transcript.count == 3)  // the card page, the refusal, the step's outcome
    }

    /// Without a `3ds_code` the step ends on the challenge; with no return_url the parameters
    /// listed on the page are the response, signed all the same.
    @Test func aChallengeWithoutACode_endsThere_andAPageWithoutReturnURL_listsTheResult() throws {
        let stopped = try run(#"""
        [{"payment_page": \#(Self.form), "card_number": "4557012345678902", "expect": {"status": 200, "body_contains": "name=\"code\""}}]
        """#)
        #expect(stopped.passed, "\(stopped.expected ?? ""); \(stopped.actual ?? "")")
        let listed = try run(#"""
        [{"payment_page": \#(Self.form), "card_number": "4000000000000028",
          "expect": {"status": 200, "fields": {"response_code": "13029", "merchant_reference": "p-1"}, "signature": "valid"}}]
        """#)
        #expect(listed.passed, "\(listed.expected ?? ""); \(listed.actual ?? "")")
    }

    /// A refused form comes back signed at once: the browser reads it like any result.
    @Test func aRefusedForm_isTheStepsResult() throws {
        let result = try run(#"""
        [{"payment_page": {"command": "PURCHASE", "merchant_reference": "p-1", "amount": "12500", "currency": "SAR", "language": "en",
           "customer_email": "c@example.com", "return_url": "https://shop.example/r", "signature": "0000"},
          "expect": {"status": 200, "fields": {"response_code": "00008", "signature": {"present": true}}, "signature": "valid"}}]
        """#)
        #expect(result.passed, "\(result.expected ?? ""); \(result.actual ?? "")")
    }

    @Test func aURLTheSandboxHandedOut_isFollowedOnTheRunnersSandbox() {
        #expect(ScenarioBrowser.path(of: "http://paylink-sandbox.test/FortAPI/threeDSecure/123") == "/FortAPI/threeDSecure/123")
        #expect(ScenarioBrowser.path(of: "https://h:8443") == "/")
        #expect(ScenarioBrowser.path(of: "/FortAPI/threeDSecure/9") == "/FortAPI/threeDSecure/9")
        #expect(ScenarioBrowser.unescape("a&amp;b &quot;c&quot; &#39;d&#39; &lt;e&gt;") == "a&b \"c\" 'd' <e>")
    }
}
