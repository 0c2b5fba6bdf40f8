import Foundation
import Testing
import PayLinkTestSupport

/// The Swift API a team embeds is the `Sandbox` facade and the configuration: code outside the
/// package is compiled against the built modules, as a user's test target would be, and must
/// reach the facade and nothing behind it.
struct PublicAPITests {
    /// The folder of the build the tests run from: its `Modules/` and the C modules' maps.
    static func buildDirectory() -> URL? {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Modules/PayLinkSandbox.swiftmodule").path) { return folder }
            folder.deleteLastPathComponent()
        }
        return nil
    }

    static func swiftc() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return (path.split(separator: ":").map(String.init) + ["/opt/swift/usr/bin", "/usr/bin"])
            .map { $0 + "/swiftc" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Type-checks `source` as a client of the package would; returns the compiler's errors.
    static func typecheck(_ source: String) throws -> (status: Int32, errors: String) {
        let build = try #require(buildDirectory(), "no build folder with Modules/PayLinkSandbox.swiftmodule near the test bundle")
        let compiler = try #require(swiftc(), "swiftc not found")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("public-api-\(UUID().uuidString).swift")
        try Data(source.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var arguments = ["-typecheck", "-swift-version", "6", "-I", build.appendingPathComponent("Modules").path]
        for module in ["CEpoll", "CSHAExtensions"] {
            arguments += ["-Xcc", "-fmodule-map-file=" + build.appendingPathComponent("\(module).build/module.modulemap").path]
        }
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: compiler)
        process.arguments = arguments + [file.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test func aClientReachesTheFacade() throws {
        let result = try Self.typecheck("""
            import PayLinkSandbox
            import PayLinkCore

            func test() async throws {
                let sandbox = try await Sandbox.start(.testing())
                _ = sandbox.baseURL + sandbox.publicURL
                _ = sandbox.link(id: "x")?.state == .paid
                _ = sandbox.link(merchant: "CycHZxVj", reference: "order-1")
                _ = sandbox.links().count + sandbox.messages().count + sandbox.deliveries().count
                try sandbox.clock.advance(milliseconds: 86_400_000)
                sandbox.settle()
                sandbox.reset(.merchant("CycHZxVj"))
                await sandbox.stop()
                var configuration = SandboxConfiguration.testing()
                configuration.backgroundWork = .manual
                _ = try Sandbox.startBlocking(configuration)
            }
            """)
        #expect(result.status == 0, "\(result.errors)")
    }

    @Test(arguments: ["sandbox.service", "sandbox.engine", "LinkEngine.self", "SandboxService.self", "Journal.self"])
    func whatIsBehindTheFacade_isNotPublic(_ expression: String) throws {
        let result = try Self.typecheck("""
            import PayLinkSandbox
            import PayLinkCore

            func test(_ sandbox: Sandbox) { _ = \(expression) }
            """)
        #expect(result.status != 0 && (result.errors.contains("inaccessible") || result.errors.contains("cannot find")),
                "\(expression) compiled from outside the package")
    }
}
