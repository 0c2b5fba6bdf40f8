import PayLinkHTTP
@testable import PayLinkSandbox

/// A `ScenarioReceiver` listening on a port of its own (port 0), where a test's merchant sends
/// its feedback: `failures` answers of 500 first, then 200s. Stop it when the test ends.
struct FeedbackReceiverServer {
    let receiver: ScenarioReceiver
    let port: Int
    private let server: HTTPServer

    init(failures: Int = 0) throws {
        receiver = ScenarioReceiver(failures: failures)
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        server = HTTPServer(configuration: configuration, handler: receiver)
        port = try server.start()
    }

    func stop() { server.stop() }
}
