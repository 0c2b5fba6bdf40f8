import Foundation
import PayLinkCore
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport
import PayLinkTestSupport

/// Every file in `scenarios/` runs as a test, twice, and both runs must answer byte for byte
/// the same; the loader's refusals name the file, the step and the field.
struct ScenarioTests {
    static let root = Repository.root

    static func libraryFiles() -> [String] {
        let directory = root.appendingPathComponent("scenarios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test(arguments: libraryFiles())
    func libraryScenario_passes_andRepeatsByteForByte(_ name: String) throws {
        let path = Self.root.appendingPathComponent("scenarios/\(name)").path
        let first = ScenarioBatch.runFile(path)
        #expect(first.passed, "\(ScenarioBatch.line(first))")
        let second = ScenarioBatch.runFile(path)
        #expect(second.passed)
        #expect(first.transcript.count == second.transcript.count)
        for (index, (a, b)) in zip(first.transcript, second.transcript).enumerated() where a != b {
            Issue.record("response \(index + 1) differs between runs:\n\(String(decoding: a, as: UTF8.self))\n\(String(decoding: b, as: UTF8.self))")
            break
        }
    }

    @Test func theLibrary_hasAtLeastTwentyFiveScenarios_eachWithADescription() throws {
        let files = Self.libraryFiles()
        #expect(files.count >= 25)
        for name in files {
            let bytes = try Array(Data(contentsOf: Self.root.appendingPathComponent("scenarios/\(name)")))
            let scenario = try ScenarioLoader.load(bytes, file: name)
            #expect(!scenario.description.isEmpty)
        }
    }

    @Test(arguments: [
        (#"{"description": "d", "steps": [{"clock": {"advance_seconds": 1}}]}"#, "f.json: scenario_version: required"),
        (#"{"scenario_version": 2, "description": "d", "steps": []}"#, "f.json: scenario_version: version 2"),
        (#"{"scenario_version": 1, "steps": [{"clock": {"advance_seconds": 1}}]}"#, "f.json: description: required"),
        (#"{"scenario_version": 1, "description": "d", "steps": []}"#, "f.json: steps: required"),
        (#"{"scenario_version": 1, "description": "d", "colour": 1, "steps": [{"clock": {"advance_seconds": 1}}]}"#, "f.json: colour: unknown key"),
        (#"{"scenario_version": 1, "description": "d", "steps": [{"name": "pay", "customer": "pay", "link": "1", "card_number": 4005}]}"#,
         "f.json: step 1 (pay): card_number: expected a string"),
        (#"{"scenario_version": 1, "description": "d", "steps": [{"clock": {"advance_seconds": 1}}, {"fault": {"type": "delay"}}]}"#,
         "f.json: step 2: fault.milliseconds: required"),
        (#"{"scenario_version": 1, "description": "d", "steps": [{"aps": {}, "clock": {"advance_seconds": 1}}]}"#, "f.json: step 1: give exactly one of"),
        (#"{"scenario_version": 1, "description": "d", "steps": [{"aps": {}, "expect": {"status": "ok"}}]}"#, "f.json: step 1: expect.status"),
        (#"{"scenario_version": 1, "description": "d", "setup": {"links": [{"state": "Lost", "merchant_reference": "r"}]}, "steps": [{"clock": {"advance_seconds": 1}}]}"#,
         "f.json: setup.links[0].state"),
        (#"{"scenario_version": 1, "description": "d", "setup": {"merchants": [{"merchant_identifier": "M"}]}, "steps": [{"clock": {"advance_seconds": 1}}]}"#,
         "f.json: setup.merchants[0].access_code"),
        (#"{"scenario_version": 1, "description": "d", "steps": [{"name": "a", "clock": {"advance_seconds": 1}}, {"name": "a", "clock": {"advance_seconds": 1}}]}"#,
         "f.json: step 2 (a): name: a is already"),
        ("{not json", "f.json: not valid JSON"),
        (#"{"scenario_version": 1, "description": "d", "steps": [{"name": "first", "clock": {"advance_seconds": 1}}, {"http": {"method": "GET", "path": "/x/${nostep.RequestId}"}}]}"#,
         "f.json: step 2: ${nostep.RequestId}: no setup link or earlier step is named nostep"),
        (#"{"scenario_version": 1, "description": "d", "steps": [{"name": "self", "http": {"method": "GET", "path": "/x/${self.status}"}}]}"#,
         "f.json: step 1 (self): ${self.status}: no setup link or earlier step"),
        (#"{"scenario_version": 1, "description": "d", "steps": [{"http": {"method": "GET", "path": "/"}, "wait_ms": 100}]}"#,
         "f.json: step 1: wait_ms: waits for the step's expect"),
        (#"{"scenario_version": 1, "description": "d", "steps": [{"http": {"method": "GET", "path": "/"}, "wait_ms": -1, "expect": {"status": 200}}]}"#,
         "f.json: step 1: wait_ms: expected a whole number"),
    ])
    func invalidFiles_areRefused_namingFileStepAndField(_ text: String, _ message: String) {
        #expect {
            _ = try ScenarioLoader.load(Array(text.utf8), file: "f.json")
        } throws: { error in
            (error as? ScenarioError)?.description.hasPrefix(message) == true
        }
    }

    /// `wait_ms` asks again until the expectation holds: here a running clock, which shows its
    /// first second at the first answer, until it has moved on.
    @Test func waitMs_repeatsARequestUntilItsExpectationHolds_andGivesUpAfterIt() throws {
        let passing = #"""
        {"scenario_version": 1, "description": "d", "setup": {"clock": {"start": "2026-01-01T00:00:00Z", "mode": "running"}},
         "steps": [{"control": {"method": "GET", "path": "/__sandbox/clock"}, "wait_ms": 3000,
                    "expect": {"fields": {"now": {"not": "2026-01-01T00:00:00Z"}}}}]}
        """#
        let passed = ScenarioRunner().run(try ScenarioLoader.load(Array(passing.utf8), file: "p.json"))
        #expect(passed.passed, "\(ScenarioBatch.line(passed))")
        let failing = #"""
        {"scenario_version": 1, "description": "d", "steps": [{"control": {"method": "GET", "path": "/__sandbox/health"}, "wait_ms": 200,
          "expect": {"status": 201}}]}
        """#
        let started = ContinuousClock.now
        let failed = ScenarioRunner().run(try ScenarioLoader.load(Array(failing.utf8), file: "f.json"))
        #expect(!failed.passed)
        #expect(ContinuousClock.now - started >= .milliseconds(200))
    }

    @Test func aFailingExpectation_namesTheStep_whatWasExpected_andWhatCame() throws {
        let text = #"""
        {"scenario_version": 1, "description": "d", "steps": [
          {"name": "check", "aps": {"query_command": "CHECK_PAYMENT_LINK_STATUS", "payment_link_id": "100000000000000001"},
           "expect": {"fields": {"response_code": "12000"}}}]}
        """#
        let result = ScenarioRunner().run(try ScenarioLoader.load(Array(text.utf8), file: "f.json"))
        #expect(!result.passed && result.failedStep == "step 1 (check)")
        #expect(result.expected == "response_code = 12000" && result.actual == "response_code = 11149")
    }

    @Test func runCommand_printsALinePerScenario_writesJUnit_andExitsNonZeroOnFailure() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scenarios-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = #"{"scenario_version": 1, "description": "d", "steps": [{"clock": {"advance_seconds": 5}}]}"#
        let bad = #"{"scenario_version": 1, "description": "d", "steps": [{"control": {"method": "GET", "path": "/__sandbox/health"}, "expect": {"status": 404}}]}"#
        try good.write(to: directory.appendingPathComponent("a-good.json"), atomically: true, encoding: .utf8)
        try bad.write(to: directory.appendingPathComponent("b-bad.json"), atomically: true, encoding: .utf8)
        let junit = directory.appendingPathComponent("junit.xml").path
        let captured = CommandLineTests.Captured()
        let status = CommandLineTool.main(["paylink-sandbox", "run", directory.path, "--junit", junit], output: captured.output)
        #expect(status == 1)
        #expect(captured.text.contains("PASS a-good") && captured.text.contains("FAIL b-bad: step 1: expected HTTP status 404; got HTTP status 200"))
        #expect(captured.text.hasSuffix("1 passed, 1 failed"))
        // An independent reader: Python's XML parser.
        let check = ChildProcess()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", """
            import sys, xml.etree.ElementTree as ET
            suite = ET.parse(sys.argv[1]).getroot().find('testsuite')
            cases = {c.get('name'): c for c in suite.findall('testcase')}
            assert suite.get('tests') == '2' and suite.get('failures') == '1', suite.attrib
            assert cases['a-good'].find('failure') is None
            assert 'expected HTTP status 404' in cases['b-bad'].find('failure').get('message')
            """, junit]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)
        #expect(CommandLineTool.main(["paylink-sandbox", "run", directory.appendingPathComponent("a-good.json").path], output: captured.output) == 0)
        #expect(CommandLineTool.main(["paylink-sandbox", "run"], output: captured.output) == 64)
        #expect(CommandLineTool.main(["paylink-sandbox", "run", "/no/such/dir"], output: captured.output) == 66)
    }

    /// The example scenario of `docs/scenarios.md`, run as printed.
    @Test func theReadmeExample_isAValidScenarioThatPasses() throws {
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/scenarios.md"), encoding: .utf8)
        let section = try #require(page.components(separatedBy: "## The format").dropFirst().first)
        let blocks = section.components(separatedBy: "```json\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        let example = try #require(blocks.first { $0.contains("scenario_version") })
        let result = ScenarioRunner().run(try ScenarioLoader.load(Array(example.utf8), file: "docs/scenarios.md"))
        #expect(result.passed, "\(ScenarioBatch.line(result))")
    }
}
