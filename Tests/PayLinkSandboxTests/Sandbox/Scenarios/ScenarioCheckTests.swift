import Foundation
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport
import PayLinkTestSupport

/// What a scenario's author is told about a mistake: at load time for names and values no run
/// could satisfy, and when run, every mismatch of a step at once.
struct ScenarioCheckTests {
    static func scenario(steps: String, setup: String = "{}") -> String {
        #"{"scenario_version": 1, "description": "d", "setup": \#(setup), "steps": \#(steps)}"#
    }

    static func refusal(_ text: String) -> String? {
        do {
            _ = try ScenarioLoader.load(Array(text.utf8), file: "f.json")
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        (#"[{"name": "check", "expect_link": {"link": "1", "payment_link_stauts": "Paid"}}]"#,
         "f.json: step 1 (check): expect_link.payment_link_stauts: not a field of a link (did you mean payment_link_status?)"),
        (#"[{"expect_link": {"link": "1", "payment_link_status": "Payed"}}]"#,
         "f.json: step 1: expect_link.payment_link_status: Payed is not a link state (did you mean Paid?); expected Open, Paid, Closed, Expired"),
        (#"[{"clock": {"advance_seconds": 1}}, {"expect_link": {"link": "1", "payment_link_status": {"not": "open"}}}]"#,
         "f.json: step 2: expect_link.payment_link_status: open is not a link state (did you mean Open?)"),
        (#"[{"expect_link": {"link": "1", "failed_attempts": "two"}}]"#,
         "f.json: step 1: expect_link.failed_attempts: expected a count"),
        (#"[{"expect_link": {"link": "1", "colour": "red"}}]"#, "f.json: step 1: expect_link.colour: not a field of a link; the fields are link, amount"),
        (#"[{"name": "check", "aps": {"query_command": "CHECK_PAYMENT_LINK_STATUS"}, "expect": {"fields": {"payment_link_status": "Payed"}}}]"#,
         "f.json: step 1 (check): expect.fields.payment_link_status: Payed is not a link state"),
        (#"[{"parallel": [{"http": {"method": "GET", "path": "/"}}, {"http": {"method": "GET", "path": "/"}}], "expect_any_order": [{}, {"fields": {"payment_link_status": "Cancelled"}}]}]"#,
         "f.json: step 1: expect_any_order[1].fields.payment_link_status: Cancelled is not a link state"),
        (#"[{"expect_deliveries": {"state": "delivred"}}]"#,
         "f.json: step 1: expect_deliveries.state: delivred is not a delivery state; expected pending, delivered or failed"),
    ])
    func expectationsNamingNoLinkFieldOrState_areRefusedAtLoad_namingTheStep(_ steps: String, _ message: String) {
        let refused = Self.refusal(Self.scenario(steps: steps))
        #expect(refused?.hasPrefix(message) == true, "\(refused ?? "loaded")")
    }

    @Test func validNamesAndPlaceholders_load() {
        let steps = #"""
        [{"name": "create", "aps": {"service_command": "PAYMENT_LINK"}, "expect": {"fields": {"payment_link_status": null}}},
         {"expect_link": {"link": "${create.payment_link_id}", "payment_link_status": "${create.payment_link_status}", "failed_attempts": 0,
                          "paid_at": null, "customer_name": {"present": false}, "user_attempts_count": 0}},
         {"expect_link": {"link": "${create.payment_link_id}", "payment_link_status": {"not": "Paid"}}},
         {"expect_deliveries": {"state": "failed", "count": 0}}]
        """#
        #expect(Self.refusal(Self.scenario(steps: steps)) == nil)
    }

    /// The names checked at load are the ones the control API shows: a link with every optional
    /// field set and a failed attempt has no field the check would refuse.
    @Test func theLinkFieldNames_coverEveryFieldTheControlAPIShows() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("names-1", ["customer_name": "Sara", "customer_phone": "966500000000", "order_description": "Tea",
                                                    "return_url": "https://shop.example/back"])
            _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4000000000000028"}"#)
            _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
            let link = try #require(try JSONParser.parse(try aps.http.get("/__sandbox/links/\(id)").body).objectValue)
            #expect(link["failed_attempts"] != nil && link["paid_at"] != nil && link["customer_name"] != nil)
            #expect(Set(link.keys).subtracting(LinkRepresentation.fieldNames).isEmpty, "\(Set(link.keys).subtracting(LinkRepresentation.fieldNames))")
        }
    }

    @Test(arguments: [
        ("{\n  \"scenario_version\": 1,\n  \"description\": \"d\"\n  \"steps\": []\n}", "f.json: not valid JSON at line 4, column 3: expected ',' or '}' after an object member, found '\"'"),
        ("{\"description\": \"é\", \"x\": tru}", "f.json: not valid JSON at line 1, column 30: expected the literal 'true', found '}'"),
        ("", "f.json: not valid JSON at line 1, column 1:"),
    ])
    func jsonErrors_giveLineAndColumn(_ text: String, _ message: String) {
        let refused = Self.refusal(text)
        #expect(refused?.hasPrefix(message) == true, "\(refused ?? "loaded")")
    }

    @Test func aSetupOnlyScenario_loads_andRunsItsSetup() throws {
        let text = #"{"scenario_version": 1, "description": "links for an application to work on", "setup": {"links": [{"name": "a", "merchant_reference": "so-1"}]}}"#
        let scenario = try ScenarioLoader.load(Array(text.utf8), file: "so.json")
        #expect(scenario.steps.isEmpty)
        #expect(ScenarioRunner().run(scenario).passed)
        // A setup that cannot be applied fails the run, naming the link.
        let broken = #"{"scenario_version": 1, "description": "d", "setup": {"links": [{"merchant_reference": "so-1"}, {"merchant_reference": "so-1"}]}, "steps": []}"#
        let failed = ScenarioRunner().run(try ScenarioLoader.load(Array(broken.utf8), file: "b.json"))
        #expect(!failed.passed && failed.failedStep == "setup" && failed.expected == "setup.links[1]")
        // Neither setup nor steps: nothing to load.
        #expect(Self.refusal(#"{"scenario_version": 1, "description": "d"}"#)?.hasPrefix("f.json: steps: required") == true)
        #expect(Self.refusal(#"{"scenario_version": 1, "description": "d", "setup": {}, "steps": {}}"#)?.hasPrefix("f.json: steps: expected a list") == true)
    }

    /// The merchant's feedback fields of a link: set on a setup link, checked by `expect_link`;
    /// a setup link's misspelt state is named, with the likely one.
    @Test func setupLinks_takeTheFeedbackFields_andExpectLinkChecksThem() throws {
        let text = Self.scenario(steps: #"""
        [{"expect_link": {"link": "${x.payment_link_id}", "merchant_extra": "cart-1", "merchant_extra5": "e5", "settlement_reference": "s-1"}}]
        """#, setup: #"{"links": [{"name": "x", "merchant_reference": "fx-1", "merchant_extra": "cart-1", "merchant_extra5": "e5", "settlement_reference": "s-1"}]}"#)
        #expect(ScenarioRunner().run(try ScenarioLoader.load(Array(text.utf8), file: "f.json")).passed)
        let payed = Self.refusal(Self.scenario(steps: "[]", setup: #"{"links": [{"merchant_reference": "x", "state": "Payed"}]}"#))
        #expect(payed?.contains(#"setup.links[0].state: "Payed" is not a link state (did you mean Paid?)"#) == true, "\(payed ?? "loaded")")
    }

    @Test func everyMismatchOfAStep_isReported() throws {
        let text = Self.scenario(steps: #"""
        [{"name": "create", "aps": {"service_command": "PAYMENT_LINK", "merchant_reference": "m-1", "amount": "100", "currency": "SAR",
          "language": "en", "customer_email": "c@example.com", "request_expiry_date": "2026-01-02T00:00:00Z", "notification_type": "NONE"},
          "expect": {"status": 201, "fields": {"response_code": "48001", "merchant_reference": "m-2", "payment_link_id": {"present": true}}}}]
        """#)
        let result = ScenarioRunner().run(try ScenarioLoader.load(Array(text.utf8), file: "f.json"))
        #expect(result.failedStep == "step 1 (create)")
        #expect(result.expected == "HTTP status 201, response_code = 48001, merchant_reference = m-2")
        #expect(result.actual?.hasPrefix("HTTP status 200: {") == true)
        #expect(result.actual?.hasSuffix(", response_code = 48000, merchant_reference = m-1") == true, "\(result.actual ?? "")")

        let link = Self.scenario(steps: #"""
        [{"expect_link": {"link": "${open.payment_link_id}", "payment_link_status": "Paid", "amount": 5, "currency": "SAR", "failed_attempts": 1}}]
        """#, setup: #"{"links": [{"name": "open", "merchant_reference": "o-1"}]}"#)
        let linkResult = ScenarioRunner().run(try ScenarioLoader.load(Array(link.utf8), file: "f.json"))
        #expect(linkResult.expected == "payment_link_status = Paid, amount = 5, 1 failed attempts")
        #expect(linkResult.actual == "payment_link_status = Open, amount = 10000, 0 failed attempts")

        let received = Self.scenario(steps: #"""
        [{"customer": "pay", "link": "${open.payment_link_id}", "card_number": "4005550000000001"},
         {"expect_received": {"count": 2, "merchant_references": ["o-2"], "wait_ms": 0}}]
        """#, setup: #"{"links": [{"name": "open", "merchant_reference": "o-1"}]}"#)
        let receivedResult = ScenarioRunner().run(try ScenarioLoader.load(Array(received.utf8), file: "f.json"))
        #expect(receivedResult.failedStep == "step 2")
        #expect(receivedResult.expected == #"2 notifications received, merchant_references ["o-2"]"#)
        #expect(receivedResult.actual == #"1: 14000, ["o-1"]"#)
    }

    @Test func anExpectationOnALinkThatDoesNotExist_saysSo() throws {
        let text = Self.scenario(steps: #"""
        [{"name": "check", "expect_link": {"link": "old", "payment_link_status": "Open"}},
         {"expect_link": {"link": "999999999999999999"}}]
        """#, setup: #"{"links": [{"name": "old", "merchant_reference": "o-1"}]}"#)
        let result = ScenarioRunner().run(try ScenarioLoader.load(Array(text.utf8), file: "f.json"))
        #expect(ScenarioBatch.line(result) == "FAIL f: step 1 (check): expected link old to exist; got no link has payment_link_id old; "
                + "a setup link named old is written ${old.payment_link_id}")
        let numeric = Self.scenario(steps: #"[{"expect_link": {"link": "999999999999999999"}}]"#)
        let second = ScenarioRunner().run(try ScenarioLoader.load(Array(numeric.utf8), file: "f.json"))
        #expect(second.expected == "link 999999999999999999 to exist" && second.actual == "no link has payment_link_id 999999999999999999")
    }

    /// `run --junit`: a file that cannot be loaded is an `<error>` whose message is the reason;
    /// a setup-only file passes. Read back with Python's XML parser.
    @Test func runCommand_reportsAnUnloadableFileAsAJUnitError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = [
            "a-setup-only.json": #"{"scenario_version": 1, "description": "d", "setup": {"links": [{"name": "x", "merchant_reference": "x-1"}]}}"#,
            "b-typo.json": Self.scenario(steps: #"[{"name": "look", "expect_link": {"link": "1", "payment_link_stauts": "Paid"}}]"#),
            "c-broken.json": "{\"scenario_version\": 1,\n \"description\": \"<&>\",,}",
            "d-fails.json": Self.scenario(steps: #"[{"control": {"method": "GET", "path": "/__sandbox/health"}, "expect": {"status": 404}}]"#),
        ]
        for (name, text) in files { try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let junit = directory.appendingPathComponent("junit.xml").path
        let captured = CommandLineTests.Captured()
        #expect(CommandLineTool.main(["paylink-sandbox", "run", directory.path, "--junit", junit], output: captured.output) == 1)
        #expect(captured.text.contains("PASS a-setup-only"))
        #expect(captured.text.contains("ERROR b-typo: not loaded: \(directory.path)/b-typo.json: step 1 (look): expect_link.payment_link_stauts: not a field"))
        #expect(captured.text.contains("ERROR c-broken: not loaded: \(directory.path)/c-broken.json: not valid JSON at line 2, column 23"))
        #expect(captured.text.hasSuffix("1 passed, 3 failed"))
        let check = ChildProcess()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", """
            import sys, xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            suite = root.find('testsuite')
            for element in (root, suite):
                assert (element.get('tests'), element.get('failures'), element.get('errors')) == ('4', '1', '2'), element.attrib
            cases = {c.get('name'): c for c in suite.findall('testcase')}
            assert len(list(cases['a-setup-only'])) == 0
            typo = cases['b-typo'].find('error')
            assert cases['b-typo'].find('failure') is None
            assert 'step 1 (look): expect_link.payment_link_stauts: not a field of a link (did you mean payment_link_status?)' in typo.get('message'), typo.attrib
            broken = cases['c-broken'].find('error').get('message')
            assert 'not valid JSON at line 2, column 23' in broken, broken
            assert cases['d-fails'].find('error') is None
            assert 'expected HTTP status 404' in cases['d-fails'].find('failure').get('message')
            """, junit]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)
    }
}
