import PayLinkCrypto
import PayLinkSandbox
import PayLinkSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `paylink-sandbox` command: `serve`, `run`, `sign`, `healthcheck`, `--help`, `--version`.
/// Returns the exit status instead of exiting, so tests can drive it, and takes the environment
/// as an argument for the same reason.
public enum CommandLineTool {
    public static let usage = """
        paylink-sandbox: an offline, stateful emulator of payment-link services (APS FortAPI, PayByLink)

        USAGE:
          paylink-sandbox serve [--host 127.0.0.1] [--port 8080|0] [--config FILE] [--scenario FILE]...
                                [--state-dir DIR [--durability fsync|os]] [--public-url URL] [--seed N]
                                [--log-format text|json]
          paylink-sandbox run SCENARIO_OR_DIR... [--junit FILE] [--seed N]
          paylink-sandbox sign [--phrase P] [--sha-type SHA-256|SHA-512|HMAC-SHA256|HMAC-SHA512]
                               [--signature S] [FILE|-]
          paylink-sandbox healthcheck [--url http://127.0.0.1:8080]
          paylink-sandbox --help | --version

        COMMANDS:
          serve   Listen for APS requests (POST /FortAPI/paymentApi) and the control API (/__sandbox/).
                  Prints "listening on http://HOST:PORT" (the real port with --port 0). Without
                  --config it runs one demo merchant and prints its credentials
                  (with --scenario: the scenarios' merchants, if they name any).
          run     Run scenario files, each in its own sandbox, in parallel; print a line per
                  scenario and "N passed, N failed"; exit 0 only if all passed.
          sign    Read a JSON object of APS parameters (from FILE or standard input) and print the
                  canonical string and the signature, to compare with a client's own; exit 1
                  when the signature given (in the object or --signature) does not match.
          healthcheck
                  Exit 0 when a sandbox answers GET /__sandbox/health with ok, else 1 and a line
                  saying why; without --url it asks PAYLINK_HOST:PAYLINK_PORT (127.0.0.1:8080).

        ENVIRONMENT:
          PAYLINK_HOST, PAYLINK_PORT, PAYLINK_CONFIG, PAYLINK_STATE_DIR, PAYLINK_PUBLIC_URL,
          PAYLINK_SEED and PAYLINK_SCENARIOS (comma-separated) set the serve options of the same
          name; a flag wins.

        Run 'paylink-sandbox COMMAND --help' for a command's options.
        """

    /// The variables the command reads; the entry point passes their values to `main`.
    public static let environmentNames = ServeEnvironment.variables.map(\.variable)

    /// - Parameter environment: the `environmentNames` that are set, with their values.
    public static func main(_ arguments: [String], environment: [String: String] = [:], output: TextOutput = .standard) -> Int32 {
        let args = Array(arguments.dropFirst())
        guard let command = args.first else {
            output.error(usage)
            return 64
        }
        let rest = Array(args.dropFirst())
        switch command {
        case "--help", "-h", "help":
            output.out(usage)
            return 0
        case "--version", "-V":
            output.out("paylink-sandbox \(Sandbox.version)")
            return 0
        case "serve":
            return ServeCommand.main(rest, environment: environment, output: output)
        case "sign":
            return SignCommand.main(rest, output: output)
        case "run":
            return RunCommand.main(rest, output: output)
        case "healthcheck":
            return HealthcheckCommand.main(rest, environment: environment, output: output)
        default:
            output.error("paylink-sandbox: unknown command '\(command)'\n\n\(usage)")
            return 64
        }
    }
}
