import PayLinkHTTP
@testable import PayLinkSandbox
import Testing

/// `server.event_backend` picks how the event loop waits: epoll (Linux's default) or poll(2).
struct EventBackendConfigurationTests {
    @Test func theKey_choosesTheBackend_andASandboxServesOnPoll() async throws {
        let config = try ConfigurationFile.parse(Array(#"{"server": {"event_backend": "poll"}}"#.utf8))
        #expect(config.server.eventBackend == .poll)
        var testing = SandboxConfiguration.testing()
        testing.server.eventBackend = .poll
        let sandbox = try await Sandbox.start(testing)
        let health = try HTTPTestClient(port: sandbox.port).get("/__sandbox/health")
        await sandbox.stop()
        #expect(health.status == 200)
    }

    @Test func anUnknownBackend_isRefused_namingTheKey() {
        #expect {
            try ConfigurationFile.parse(Array(#"{"server": {"event_backend": "kqueue"}}"#.utf8))
        } throws: { error in
            "\(error)".contains("server.event_backend") && "\(error)".contains("epoll, poll")
        }
    }
}
