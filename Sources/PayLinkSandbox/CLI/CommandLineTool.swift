#if canImport(Glibc)
import Glibc
#endif

/// The `paylink-sandbox` command: `serve`, `run`, `sign`, `--help`, `--version` (design §4.1).
/// Returns the exit status instead of exiting, so tests can drive it.
public enum CommandLineTool {
    public static let usage = """
        paylink-sandbox: an offline, stateful emulator of payment-link services (APS FortAPI, PayByLink)

        USAGE:
          paylink-sandbox serve [--host 127.0.0.1] [--port 8080|0] [--config FILE] [--scenario FILE]...
                                [--state-dir DIR] [--public-url URL] [--seed N] [--log-format text|json]
          paylink-sandbox run SCENARIO_OR_DIR... [--junit FILE] [--seed N]
          paylink-sandbox sign [--phrase P] [--sha-type SHA-256|SHA-512|HMAC-SHA256|HMAC-SHA512] [FILE|-]
          paylink-sandbox --help | --version

        COMMANDS:
          serve   Listen for APS requests (POST /FortAPI/paymentApi) and the control API (/__sandbox/).
                  Prints "listening on http://HOST:PORT" (the real port with --port 0). Without
                  --config it runs one demo merchant and prints its credentials.
          run     Run scenario files, each in its own sandbox, in parallel; print a line per
                  scenario and "N passed, N failed"; exit 0 only if all passed.
          sign    Read a JSON object of APS parameters (from FILE or standard input) and print the
                  canonical string and the signature, to compare with a client's own.

        Run 'paylink-sandbox COMMAND --help' for a command's options.
        """

    public static func main(_ arguments: [String], output: TextOutput = .standard) -> Int32 {
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
            return ServeCommand.main(rest, output: output)
        case "sign":
            return SignCommand.main(rest, output: output)
        case "run":
            return RunCommand.main(rest, output: output)
        default:
            output.error("paylink-sandbox: unknown command '\(command)'\n\n\(usage)")
            return 64
        }
    }
}

/// Where the command line writes. Standard output is flushed after every line, so a script
/// reading `listening on …` through a pipe sees it at once.
public struct TextOutput: Sendable {
    public let out: @Sendable (String) -> Void
    public let error: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.error = error
    }

    public static let standard = TextOutput(out: { writeLine($0, to: 1) }, error: { writeLine($0, to: 2) })

    /// Unbuffered `write(2)`: nothing waits in a stdio buffer when the output is a pipe.
    private static func writeLine(_ line: String, to fd: Int32) {
        var bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}
