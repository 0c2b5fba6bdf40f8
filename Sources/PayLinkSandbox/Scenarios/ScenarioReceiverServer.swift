import PayLinkHTTP
import PayLinkJSON

/// `serve --scenario`: the notification receiver a scenario's `${receiver.url}` names, as a
/// listener of its own on a free port next to the sandbox, as `run` starts one per scenario.
/// It keeps what it is sent (a GET on it lists that) and answers 500 to the first
/// `receiver.fail_first` posts, so a scenario's merchants get their notifications somewhere
/// real instead of losing them.
package final class ScenarioReceiverServer: Sendable {
    /// Where notifications go: `http://HOST:PORT/notify`.
    package let url: String
    private let server: HTTPServer

    private init(url: String, server: HTTPServer) {
        self.url = url
        self.server = server
    }

    /// Listens on `host` (a wildcard address is reached at 127.0.0.1); `report` hears of each
    /// notification received.
    package static func start(host: String, failures: Int, report: @escaping @Sendable (String) -> Void) throws(HTTPServerError) -> ScenarioReceiverServer {
        let receiver = ScenarioReceiver(failures: failures) { request, status in
            let payload = ScenarioReceiver.payload(request.body)
            let summary = ["response_code", "merchant_reference", "payment_link_id"].compactMap { key in
                payload[key]?.stringValue.map { "\(key)=\($0)" }
            }
            report((["receiver: \(request.method) \(request.target)"] + summary + ["answered \(status)"]).joined(separator: " "))
        }
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, handler: receiver)
        let port = try server.start()
        let reachable = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host.contains(":") ? "[\(host)]" : host
        return ScenarioReceiverServer(url: "http://\(reachable):\(port)/notify", server: server)
    }

    package func stop() { server.stop() }
}

extension Scenario {
    /// Whether the setup refers to `${receiver.url}` (a merchant's notification URL, a link's
    /// return URL, a fault): `serve` then starts a receiver for it.
    package var usesReceiver: Bool {
        let values: [JSONValue] = (setup.merchants ?? []) + setup.links.map { .object($0.fields) } + setup.faults.map { .object($0) }
        return values.contains { value in ScenarioLoader.references(in: value).contains { $0.scope == "receiver" } }
    }
}
