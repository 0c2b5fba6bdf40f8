import Foundation
import PayLinkTestSupport

/// Python with a third-party module (`jsonschema`, `openapi_spec_validator`), for the checks
/// that read the repository's schemas with the reference validators. The interpreter is
/// `PAYLINK_PYTHON` when set (scripts/openapi-check.sh points it at its venv), else `python3`
/// on the PATH. Tests that need a module are skipped, saying so, where it is not installed.
enum PythonTool {
    static var interpreter: String { ProcessInfo.processInfo.environment["PAYLINK_PYTHON"] ?? "python3" }

    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs `python -c script arguments…`, standard output and error together.
    static func run(_ script: String, _ arguments: [String] = []) throws -> Result {
        let child = ChildProcess()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        child.arguments = [interpreter, "-c", script] + arguments
        let pipe = Pipe()
        child.standardOutput = pipe
        child.standardError = pipe
        child.standardInput = FileHandle.nullDevice
        try child.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        return Result(status: child.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Whether `import module` works.
    static func has(_ module: String) -> Bool {
        (try? run("import \(module)"))?.status == 0
    }
}
