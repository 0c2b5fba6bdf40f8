import PayLinkSupport
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON

/// What running a scenario gave.
public struct ScenarioResult: Sendable {
    public var scenario: String
    public var file: String
    public var passed: Bool
    /// On failure: the step, what was expected and what came instead.
    public var failedStep: String?
    public var expected: String?
    public var actual: String?
    public var durationSeconds: Double
    /// Every response body in order but those of `control` steps, for the determinism check
    /// (same file, same seed, same bytes).
    public var transcript: [[UInt8]]
    /// Why the file could not be loaded (unreadable, not JSON, not a valid scenario): nothing ran.
    /// JUnit reports it as an error rather than a failure.
    public var loadError: String?

    package init(scenario: String, file: String, passed: Bool, failedStep: String? = nil, expected: String? = nil, actual: String? = nil, durationSeconds: Double, transcript: [[UInt8]], loadError: String? = nil) {
        self.scenario = scenario
        self.file = file
        self.passed = passed
        self.failedStep = failedStep
        self.expected = expected
        self.actual = actual
        self.durationSeconds = durationSeconds
        self.transcript = transcript
        self.loadError = loadError
    }
}

/// Runs a scenario in its own fresh sandbox on a free port, over real HTTP, with its own
/// notification receiver: the same traffic an application under test would send.
public struct ScenarioRunner: Sendable {
    /// Base of the `payment_link` URLs a scenario's sandbox hands out, fixed so that runs are
    /// byte-identical whatever port the sandbox got.
    public static let publicURL = "http://paylink-sandbox.test"

    public init() {}

    public func run(_ scenario: Scenario, seed: UInt64? = nil) -> ScenarioResult {
        let started = ContinuousClock.now
        var result = ScenarioResult(scenario: scenario.name, file: scenario.file, passed: false, durationSeconds: 0, transcript: [])
        defer { _ = result }
        var run = Execution(scenario: scenario)
        do {
            try run.start(seed: seed)
            defer { run.stop() }
            try run.applySetup()
            for step in scenario.steps {
                try run.perform(step)
                // Whatever the step set going (notifications, settlements, batch files) is
                // done before the next one: the order of events never depends on a timer.
                run.settle()
            }
            result.passed = true
        } catch {
            result.failedStep = error.step
            result.expected = error.expected
            result.actual = error.actual
        }
        result.transcript = run.transcript
        let elapsed = ContinuousClock.now - started
        result.durationSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return result
    }
}

/// Why a run stopped: the step, what it expected, what it got.
struct StepFailure: Error {
    var step: String
    var expected: String
    var actual: String
}

/// One run's moving parts.
private struct Execution {
    let scenario: Scenario
    var sandbox: Sandbox?
    var receiverServer: HTTPServer?
    var receiver: ScenarioReceiver?
    var client: ScenarioClient?
    var variables = ScenarioVariables()
    var transcript: [[UInt8]] = []
    var merchants: [Merchant] = []
    var payByLink = PayByLinkSettings()

    init(scenario: Scenario) { self.scenario = scenario }

    mutating func start(seed: UInt64?) throws(StepFailure) {
        let setup = scenario.setup
        let receiver = ScenarioReceiver(failures: setup.receiverFailures)
        var serverConfig = HTTPServerConfiguration()
        serverConfig.port = 0
        let receiverServer = HTTPServer(configuration: serverConfig, handler: receiver)
        let receiverPort: Int
        do { receiverPort = try receiverServer.start() } catch { throw StepFailure(step: "setup", expected: "a notification receiver", actual: "\(error)") }
        self.receiver = receiver
        self.receiverServer = receiverServer
        let receiverURL = "http://127.0.0.1:\(receiverPort)/notify"
        variables.set("receiver", ["url": receiverURL])

        var config = SandboxConfiguration.testing(seed: seed ?? setup.seed)
        config.clock = setup.clock
        config.backgroundWork = .manual
        config.publicURL = ScenarioRunner.publicURL
        if let retries = setup.notificationRetries { config.notificationRetries = retries }
        if let interval = setup.notificationRetryIntervalSeconds { config.notificationRetryIntervalSeconds = interval }
        if let merchants = setup.merchants {
            let wrapped: JSONObject = ["merchants": .array(merchants)]
            let text = String(decoding: wrapped.serialized(), as: UTF8.self)
                .split(separator: "${receiver.url}", omittingEmptySubsequences: false).joined(separator: receiverURL)
            do throws(ConfigurationError) { config.merchants = try ConfigurationFile.parse(Array(text.utf8)).merchants } catch {
                throw StepFailure(step: "setup", expected: "valid merchants", actual: error.description)
            }
        } else {
            var demo = Merchant.demo
            demo.notificationURL = receiverURL
            config.merchants = [demo]
        }
        merchants = config.merchants
        payByLink = config.payByLink
        do { sandbox = try Sandbox.startBlocking(config) } catch {
            throw StepFailure(step: "setup", expected: "a running sandbox", actual: "\(error)")
        }
        client = ScenarioClient(port: sandbox!.port)
    }

    mutating func stop() {
        sandbox?.stopBlocking()
        receiverServer?.stop()
    }

    func settle() { sandbox?.service.settle() }

    mutating func applySetup() throws(StepFailure) {
        guard let service = sandbox?.service else { return }
        do { try ScenarioSetupApplier.apply(scenario.setup, to: service, variables: &variables) } catch {
            throw StepFailure(step: "setup", expected: error.path, actual: error.message)
        }
    }

    mutating func perform(_ step: ScenarioStep) throws(StepFailure) {
        let object: JSONObject
        do {
            guard case .object(let filled) = try variables.substitute(.object(step.object)) else { return }
            object = filled
        } catch {
            throw StepFailure(step: step.label, expected: "variable ${\(error.name)} from an earlier step", actual: "no such value")
        }
        switch step.kind {
        case .paymentPage:
            try browse(step, object)
        case .customer where object["customer"]?.stringValue == "3ds" || ScenarioBrowser.walksLinkPage(object):
            try browse(step, object)
        case .aps, .paybylink, .customer, .control, .http, .clock, .fault:
            let request = ScenarioRequests.request(for: step.kind, object, merchants: merchants, payByLink: payByLink)
            let expectation = object["expect"]?.objectValue ?? (step.kind == .clock || step.kind == .fault ? ["status": .number(step.kind == .fault ? "201" : "200")] : nil)
            var outcome = send(request, timeout: timeout(object))
            // `wait_ms`: asynchronous outcomes (a batch's status) are asked for again until they
            // hold; only the last answer enters the transcript, so reruns compare equal.
            if let expectation, case .number(let literal)? = object["wait_ms"], let wait = Int(literal) {
                let deadline = ContinuousClock.now + .milliseconds(wait)
                while ScenarioExpectation(object: expectation).check(outcome, merchants: merchants) != nil && ContinuousClock.now < deadline {
                    usleep(20_000)
                    settle()
                    outcome = send(request, timeout: timeout(object))
                }
            }
            record(step, outcome)
            if let expectation, let (expected, actual) = ScenarioExpectation(object: expectation).check(outcome, merchants: merchants) {
                throw StepFailure(step: step.label, expected: expected, actual: actual)
            }
        case .parallel:
            try parallel(step, object)
        case .expectLink, .expectOutbox, .expectDeliveries, .expectReceived:
            let service = sandbox?.service
            try ScenarioStateChecks(client: client!, receiver: receiver!, merchants: merchants, settle: { service?.settle() }).check(step, object)
        }
    }

    /// A `payment_page` step, a `customer` `3ds` action or a `customer` `pay` through Tabby (its
    /// `bnpl_*` keys): the browser's pages in the transcript, the result form's fields as the step's response.
    private mutating func browse(_ step: ScenarioStep, _ object: JSONObject) throws(StepFailure) {
        let browser = ScenarioBrowser(client: client!, timeout: timeout(object))
        let journey = step.kind == .paymentPage ? browser.paymentPage(object, merchants: merchants)
            : ScenarioBrowser.walksLinkPage(object) ? browser.linkPage(object) : browser.challenge(object)
        transcript += journey.pages.map { $0.response?.body ?? Array($0.transport.utf8) }
        record(step, journey.result)
        if let expectation = object["expect"]?.objectValue,
           let (expected, actual) = ScenarioExpectation(object: expectation).check(journey.result, merchants: merchants) {
            throw StepFailure(step: step.label, expected: expected, actual: actual)
        }
    }

    private func timeout(_ object: JSONObject) -> Int {
        if case .number(let literal)? = object["timeout_ms"], let n = Int(literal) { return n }
        return 10_000
    }

    private func send(_ request: ScenarioRequests.Request, timeout: Int) -> ScenarioClient.Outcome {
        client!.send(method: request.method, path: request.path, headers: request.headers, body: request.body, timeoutMilliseconds: timeout)
    }

    private mutating func record(_ step: ScenarioStep, _ outcome: ScenarioClient.Outcome) {
        let response = outcome.response
        // Control-API reads (the journal's timings) are not part of the deterministic transcript.
        if step.kind != .control { transcript.append(response?.body ?? Array(outcome.transport.utf8)) }
        if let name = step.name { variables.record(step: name, status: response?.status, body: response?.body ?? []) }
    }

    private mutating func parallel(_ step: ScenarioStep, _ object: JSONObject) throws(StepFailure) {
        let items = object["parallel"]?.arrayValue?.compactMap(\.objectValue) ?? []
        let requests = items.map { item -> (ScenarioRequests.Request, Int) in
            let kind = ScenarioStep.Kind.allCases.first { item[$0.rawValue] != nil } ?? .http
            return (ScenarioRequests.request(for: kind, item, merchants: merchants, payByLink: payByLink), timeout(item))
        }
        let client = self.client!
        let outcomes = ParallelRequests.send(requests, client: client)
        // Which of the simultaneous requests wins is up to the scheduler: the transcript takes
        // their answers in a fixed (sorted) order so that runs compare equal.
        transcript += outcomes.map { $0.response?.body ?? Array($0.transport.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        for (item, outcome) in zip(items, outcomes) {
            if let name = item["name"]?.stringValue { variables.record(step: name, status: outcome.response?.status, body: outcome.response?.body ?? []) }
        }
        guard let expected = object["expect_any_order"]?.arrayValue?.compactMap(\.objectValue) else { return }
        if let unmatched = Self.unmatched(expected, outcomes, merchants: merchants) {
            let got = outcomes.map { ($0.response.map { "HTTP \($0.status) " + ScenarioExpectation.excerpt($0.body) } ?? $0.transport) }
            throw StepFailure(step: step.label, expected: "responses matching \(unmatched) in some order", actual: got.joined(separator: " | "))
        }
    }

    /// The first expectation no remaining outcome satisfies, trying every assignment.
    private static func unmatched(_ expectations: [JSONObject], _ outcomes: [ScenarioClient.Outcome], merchants: [Merchant]) -> String? {
        func assign(_ index: Int, _ used: Set<Int>) -> Bool {
            guard index < expectations.count else { return true }
            for (i, outcome) in outcomes.enumerated() where !used.contains(i) {
                if ScenarioExpectation(object: expectations[index]).check(outcome, merchants: merchants) == nil, assign(index + 1, used.union([i])) {
                    return true
                }
            }
            return false
        }
        return assign(0, []) ? nil : String(decoding: JSONValue.array(expectations.map { .object($0) }).serialized(), as: UTF8.self)
    }
}

/// Sends requests at the same moment, each on its own thread, and returns their outcomes in order.
enum ParallelRequests {
    static func send(_ requests: [(ScenarioRequests.Request, Int)], client: ScenarioClient) -> [ScenarioClient.Outcome] {
        let results = ResultSlots(count: requests.count)
        DispatchQueue.concurrentPerform(iterations: requests.count) { index in
            let (request, timeout) = requests[index]
            results.store(index, client.send(method: request.method, path: request.path, headers: request.headers, body: request.body,
                                             timeoutMilliseconds: timeout))
        }
        return results.all
    }
}
