import Foundation
import Testing
import PayLinkTestSupport

/// The short version of `bench/crash.py`: the built binary under concurrent writers of every
/// kind, killed with SIGKILL at a random moment and restarted on the same directory, three
/// times; every acknowledged change must be there and every restart clean. (The script waits
/// on the processes and the sockets, not on background work.)
struct CrashTests {
    @Test func killNine_losesNoAcknowledgedChange() throws {
        let binary = try #require(CommandLineTests.binaryPath(), "paylink-sandbox binary not found next to the test bundle")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../bench/crash.py").standardized.path
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--binary", binary, "--trials", "3", "--writers", "1", "--min-ms", "200", "--max-ms", "600",
                             "--batch-lines", "2000"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch {
            Issue.record("could not start /usr/bin/env python3 (\(error)); this test needs python3 on PATH")
            return
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("3/3 trials lost nothing and restarted cleanly"), "\(text)")
    }
}
