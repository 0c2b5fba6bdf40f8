import Dispatch
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON

import PayLinkSandbox
import PayLinkSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `paylink-sandbox serve`: runs the emulator until SIGINT or SIGTERM.
enum ServeCommand {
    static let help = """
        USAGE: paylink-sandbox serve [options]

        OPTIONS:
          --host HOST          Address to bind (default 127.0.0.1).
          --port PORT          Port to listen on (default 8080; 0 picks a free one).
          --config FILE        JSON config file (merchants, paybylink, clock, public_url).
          --public-url URL     Base of the payment_link URLs handed out (default http://HOST:PORT).
          --seed N             Make IDs and tokens reproducible.
          --log-format FORMAT  text (default) or json, for the lines written after startup.
          --quiet              No line per request (method, path, surface, command, status,
                               APS response_code, milliseconds) on standard output.
          --scenario FILE      Load a scenario's setup (merchants, clock, links, faults); repeatable.
                               Prints the merchants it adds and its named links' ids; starts a
                               receiver for ${receiver.url} that keeps what it is sent.
          --state-dir DIR      Keep the state in DIR across restarts (created if missing): every
                               change is logged before its answer is sent.
          --durability MODE    With --state-dir: fsync (default) flushes each change to disk before
                               answering; os only writes it (a killed process loses nothing, a
                               machine crash can lose the last changes).
          --help               Show this help.

        ENVIRONMENT (a flag wins; an empty variable counts as unset):
          PAYLINK_HOST, PAYLINK_PORT, PAYLINK_CONFIG, PAYLINK_STATE_DIR, PAYLINK_PUBLIC_URL,
          PAYLINK_SEED        the option of the same name.
          PAYLINK_SCENARIOS   comma-separated scenario files, as repeated --scenario.
        """

    /// - Parameter environment: the process environment, handed in by the entry point; the
    ///   `PAYLINK_*` variables fill options the arguments leave out (`ServeEnvironment`).
    static func main(_ arguments: [String], environment: [String: String] = [:], output: TextOutput) -> Int32 {
        var parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(arguments, valued: ["host", "port", "config", "scenario", "state-dir", "durability", "public-url", "seed", "log-format"],
                                              flags: ["help", "quiet"])
        } catch {
            output.error("paylink-sandbox serve: \(error)\n\n\(help)")
            return 64
        }
        if parsed.flags.contains("help") { output.out(help); return 0 }
        if let extra = parsed.positionals.first {
            output.error("paylink-sandbox serve: unexpected argument '\(extra)'")
            return 64
        }
        parsed = ServeEnvironment.apply(environment, to: parsed)
        var configuration: SandboxConfiguration
        let jsonLogs: Bool
        do {
            (configuration, jsonLogs) = try configure(parsed)
        } catch let error as ConfigurationError {
            output.error("paylink-sandbox serve: config: \(error)")
            return 78
        } catch {
            output.error("paylink-sandbox serve: \(error)")
            return 64
        }

        let requestLog = parsed.flags.contains("quiet") ? nil : RequestLog(format: jsonLogs ? .json : .text, write: output.outLines)
        configuration.requestLog = requestLog

        var scenarios: [Scenario] = []
        for path in parsed.values("scenario") {
            guard let bytes = FileInput.contents(atPath: path) else {
                output.error("paylink-sandbox serve: cannot read \(path)\(parsed.fromEnvironment("scenario"))")
                return 66
            }
            do { scenarios.append(try ScenarioLoader.load(bytes, file: path)) } catch {
                output.error("paylink-sandbox serve: \(error)")
                return 65
            }
        }
        // Signals are blocked before the receiver and the sandbox start their threads (see `StopSignals`).
        let signals = StopSignals { signal, sandbox in
            log(json: jsonLogs, output: output, "received \(signal == SIGINT ? "SIGINT" : "SIGTERM"), stopping")
            sandbox.stopBlocking()
        }
        // `${receiver.url}` becomes a real listener that keeps what it is sent, as under `run`.
        var receiver: ScenarioReceiverServer?
        let receiving = scenarios.filter(\.usesReceiver)
        if !receiving.isEmpty {
            let failures = receiving.map(\.setup.receiverFailures).max() ?? 0
            do { receiver = try ScenarioReceiverServer.start(host: configuration.server.host, failures: failures) { log(json: jsonLogs, output: output, $0) } } catch {
                output.error("paylink-sandbox serve: scenario receiver: \(error)")
                return 69
            }
        }
        defer { receiver?.stop() }
        let scenarioMerchants: [(merchant: Merchant, file: String, field: String)]
        do { scenarioMerchants = try ScenarioMerchants.add(from: scenarios, to: &configuration, receiverURL: receiver?.url) } catch {
            output.error("paylink-sandbox serve: \(error)")
            return 65
        }
        for scenario in scenarios {
            if let retries = scenario.setup.notificationRetries { configuration.notificationRetries = retries }
            if let interval = scenario.setup.notificationRetryIntervalSeconds { configuration.notificationRetryIntervalSeconds = interval }
        }
        let sandbox: Sandbox
        do {
            sandbox = try Sandbox.startBlocking(configuration, report: { log(json: jsonLogs, output: output, $0) })
        } catch let error as StateDirectoryError {
            output.error("paylink-sandbox serve: \(parsed.source("state-dir")): \(error)")
            return 74
        } catch {
            output.error("paylink-sandbox serve: \(error)\(parsed.fromEnvironment("host"))\(parsed.fromEnvironment("port"))")
            return 69
        }
        var loaded: [ScenarioBanner.Loaded] = []
        for scenario in scenarios {
            let service = sandbox.service
            let loading = ScenarioLoading(engine: service.engine, faults: service.faults, merchants: configuration.merchants, urls: service.urls,
                                          receiverURL: receiver?.url)
            do throws(FieldProblem) { loaded.append(.init(scenario: scenario, summary: try loading.load(scenario))) } catch {
                output.error("paylink-sandbox serve: \(scenario.file): \(error.path): \(error.message)")
                sandbox.stopBlocking(savingState: false)
                return 65
            }
        }
        if let warning = sandbox.publicURLWarning { output.error(warning) }
        output.out("listening on \(sandbox.baseURL)")
        if configuration.usesDemoMerchant { printDemoCredentials(sandbox, json: jsonLogs, output: output) }
        ScenarioBanner.print(merchants: scenarioMerchants, receiverURL: receiver?.url, loaded: loaded, endpoint: sandbox.baseURL + "/FortAPI/paymentApi",
                             json: jsonLogs, output: output)
        signals.attach(sandbox)
        sandbox.waitUntilStopped()
        requestLog?.flush()
        log(json: jsonLogs, output: output, "stopped")
        return 0
    }

    static func configure(_ parsed: ParsedArguments) throws -> (SandboxConfiguration, Bool) {
        var configuration = SandboxConfiguration()
        if let path = parsed.value("config") {
            guard let data = FileInput.contents(atPath: path) else {
                throw ConfigurationError(key: "", "cannot read \(path)\(parsed.fromEnvironment("config"))")
            }
            do { configuration = try ConfigurationFile.parse(data, into: configuration) } catch {
                // A file named by PAYLINK_CONFIG says so: the user may not know a variable chose it.
                throw ConfigurationError(key: error.path, error.message + (parsed.origins["config"].map { " (in \(path), from \($0))" } ?? ""))
            }
        }
        if let host = parsed.value("host") {
            guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" || $0 == "\t" }) else {
                throw ArgumentError("\(parsed.source("host")) must be a host name or an address, got '\(host)'")
            }
            configuration.server.host = host
        }
        if let text = parsed.value("port") {
            guard let port = Int(text), (0...65_535).contains(port) else { throw ArgumentError("\(parsed.source("port")) must be 0 to 65535, got '\(text)'") }
            configuration.server.port = port
        }
        if let url = parsed.value("public-url") { configuration.publicURL = try ConfigurationFile.publicURL(url, key: parsed.source("public-url")) }
        if let text = parsed.value("seed") {
            guard let seed = UInt64(text) else { throw ArgumentError("\(parsed.source("seed")) must be a non-negative whole number, got '\(text)'") }
            configuration.seed = seed
        }
        if let directory = parsed.value("state-dir") {
            guard !directory.isEmpty else { throw ArgumentError("\(parsed.source("state-dir")) needs a directory") }
            configuration.stateDirectory = directory
        }
        if let mode = parsed.value("durability") {
            guard let durability = Durability(rawValue: mode) else { throw ArgumentError("--durability must be fsync or os, got '\(mode)'") }
            configuration.durability = durability
        }
        let format = parsed.value("log-format") ?? "text"
        guard format == "text" || format == "json" else { throw ArgumentError("--log-format must be text or json, got '\(format)'") }
        return (configuration, format == "json")
    }

    private static func printDemoCredentials(_ sandbox: Sandbox, json: Bool, output: TextOutput) {
        guard let merchant = sandbox.configuration.merchants.first else { return }
        if json {
            let line: JSONObject = [
                "event": "demo_merchant", "merchant_identifier": .string(merchant.identifier),
                "access_code": .string(merchant.accessCode), "sha_type": .string(merchant.shaType.rawValue),
                "sha_request_phrase": .string(merchant.requestPhrase), "sha_response_phrase": .string(merchant.responsePhrase),
                "endpoint": .string(sandbox.baseURL + "/FortAPI/paymentApi"),
            ]
            output.out(String(decoding: line.serialized(), as: UTF8.self))
        } else {
            output.out("""
                demo merchant (no --config given):
                  merchant_identifier  \(merchant.identifier)
                  access_code          \(merchant.accessCode)
                  sha_type             \(merchant.shaType.rawValue)
                  sha_request_phrase   \(merchant.requestPhrase)
                  sha_response_phrase  \(merchant.responsePhrase)
                  endpoint             \(sandbox.baseURL)/FortAPI/paymentApi
                """)
        }
    }

    private static func log(json: Bool, output: TextOutput, _ message: String) {
        let line: JSONObject = ["event": "log", "message": .string(message)]
        output.error(json ? String(decoding: line.serialized(), as: UTF8.self) : message)
    }
}
