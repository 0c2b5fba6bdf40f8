import PayLinkCore
@testable import PayLinkSandbox

/// How a test reaches the sandbox: over a real socket to a started `Sandbox`, or in memory
/// through `SandboxService.handle` with no server at all. A test taking `TestTransport.allCases`
/// as its arguments checks that the two answer alike (what the socket adds, HTTP framing and
/// fault transmissions, is tested over the socket only).
enum TestTransport: String, CaseIterable, CustomStringConvertible {
    case inMemory = "in memory"
    case socket = "over a socket"

    var description: String { rawValue }

    /// Runs `body` with a fresh sandbox's service and a client of it on this transport.
    func withService(_ configuration: SandboxConfiguration = .testing(),
                     _ body: (SandboxService, APSTestClient) async throws -> Void) async throws {
        switch self {
        case .inMemory:
            let service = SandboxService(configuration: configuration)
            try await body(service, APSTestClient(http: HTTPTestClient(service: service), merchant: configuration.merchants[0]))
        case .socket:
            try await withSandbox(configuration) { sandbox, aps in try await body(sandbox.service, aps) }
        }
    }
}
