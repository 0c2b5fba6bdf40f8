import PayLinkSupport

/// Where the scenario runner sends its requests: the sandbox under test on loopback, through
/// the one `HTTPClient`, each request with its own timeout.
struct ScenarioClient: Sendable {
    let port: Int

    typealias Outcome = HTTPClient.Outcome

    func send(method: String, path: String, headers: [(String, String)], body: [UInt8], timeoutMilliseconds: Int) -> Outcome {
        HTTPClient(timeoutMilliseconds: timeoutMilliseconds)
            .send(method, to: HTTPClient.Target(host: "127.0.0.1", port: UInt16(port), path: path), headers: headers, body: body)
    }
}
