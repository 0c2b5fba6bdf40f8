import PayLinkJSON
import PayLinkSupport

/// `paylink-sandbox healthcheck`: exit 0 when a sandbox answers `GET /__sandbox/health` with
/// `"status": "ok"`, else 1 with one line saying why. Made for a container's `HEALTHCHECK`, so
/// the image needs no curl: with no `--url` it asks the address `serve` would use under the same
/// environment (`PAYLINK_HOST`, `PAYLINK_PORT`), so it needs no arguments either.
enum HealthcheckCommand {
    static let help = """
        USAGE: paylink-sandbox healthcheck [--url http://127.0.0.1:8080] [--timeout-ms 2000]

        Asks a running sandbox GET /__sandbox/health; exits 0 when it answers ok, else 1 with
        one line saying why (refused, timed out, not ok).

        OPTIONS:
          --url URL         The sandbox's base URL (default: http://PAYLINK_HOST:PAYLINK_PORT, where an
                            unset, 0.0.0.0 or :: host means this machine and an unset port 8080).
          --timeout-ms N    How long to wait for each step (default 2000).
          --help            Show this help.
        """

    static func main(_ arguments: [String], environment: [String: String] = [:], output: TextOutput) -> Int32 {
        let parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(arguments, valued: ["url", "timeout-ms"], flags: ["help"])
        } catch {
            output.error("paylink-sandbox healthcheck: \(error)\n\n\(help)")
            return 64
        }
        if parsed.flags.contains("help") { output.out(help); return 0 }
        if let extra = parsed.positionals.first {
            output.error("paylink-sandbox healthcheck: unexpected argument '\(extra)'")
            return 64
        }
        var timeout = 2_000
        if let text = parsed.value("timeout-ms") {
            guard let value = Int(text), (1...600_000).contains(value) else {
                output.error("paylink-sandbox healthcheck: --timeout-ms must be 1 to 600000, got '\(text)'")
                return 64
            }
            timeout = value
        }
        let base: String
        do { base = try parsed.value("url") ?? defaultURL(environment) } catch {
            output.error("paylink-sandbox healthcheck: \(error)")
            return 64
        }
        let url = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/__sandbox/health"
        let target: HTTPClient.Target
        do { target = try HTTPClient.parse(url) } catch {
            output.error("paylink-sandbox healthcheck: --url \(base): \(error)")
            return 64
        }
        if let reason = problem(HTTPClient(timeoutMilliseconds: timeout).send("GET", to: target)) {
            output.error("unhealthy: \(url): \(reason)")
            return 1
        }
        output.out("ok: \(url)")
        return 0
    }

    /// Why the answer is not a healthy sandbox's, or nil when it is.
    static func problem(_ outcome: HTTPClient.Outcome) -> String? {
        switch outcome {
        case .response(let response):
            guard response.status == 200 else { return "answered HTTP \(response.status)" }
            guard let object = try? JSONParser.parse(response.body).objectValue else { return "the answer is not a JSON object" }
            let status = object["status"]?.stringValue
            return status == "ok" ? nil : "status is \(status.map { "\"\($0)\"" } ?? "missing"), not \"ok\""
        case .truncated: return "the answer was cut short"
        case .timeout: return "no answer in time"
        case .closed, .notHTTP: return "the answer was not an HTTP response"
        case .failed(let why): return why
        }
    }

    /// `http://HOST:PORT` from the environment `serve` reads; a wildcard bind address is asked
    /// on the loopback, where the server also listens.
    static func defaultURL(_ environment: [String: String]) throws(ArgumentError) -> String {
        var host = environment["PAYLINK_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        if host == "0.0.0.0" { host = "127.0.0.1" }
        if host == "::" || host == "[::]" { host = "::1" }
        let portText = environment["PAYLINK_PORT"].flatMap { $0.isEmpty ? nil : $0 } ?? "8080"
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw ArgumentError("PAYLINK_PORT must be 1 to 65535 to be checked, got '\(portText)'; give --url")
        }
        return "http://\(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host):\(port)"
    }
}
