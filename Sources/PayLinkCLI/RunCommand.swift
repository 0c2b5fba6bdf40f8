import Dispatch
import PayLinkExports
import PayLinkSandbox
import PayLinkSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `paylink-sandbox run SCENARIO_OR_DIR... [--junit FILE] [--seed N]`: runs each scenario in
/// its own sandbox, in parallel on the available cores; prints a line per scenario and
/// `N passed, N failed`; exits 0 only if all passed (1 otherwise, 64 for usage errors).
enum RunCommand {
    static let help = """
        USAGE: paylink-sandbox run SCENARIO_OR_DIR... [--junit FILE] [--seed N]

        Runs scenario files (a directory means every *.json in it), each in a fresh in-process
        sandbox, in parallel. Prints one line per scenario, the failing step with what was
        expected and what came instead, and "N passed, N failed". Exit status 0 only if all passed.

        OPTIONS:
          --junit FILE  Also write the results as JUnit XML.
          --seed N      Use this seed instead of each scenario's own.
        """

    static func main(_ arguments: [String], output: TextOutput) -> Int32 {
        let parsed: ParsedArguments
        do { parsed = try ArgumentParser.parse(arguments, valued: ["junit", "seed"], flags: ["help"]) } catch {
            output.error("paylink-sandbox run: \(error)\n\n\(help)")
            return 64
        }
        if parsed.flags.contains("help") { output.out(help); return 0 }
        guard !parsed.positionals.isEmpty else {
            output.error("paylink-sandbox run: name at least one scenario file or directory\n\n\(help)")
            return 64
        }
        var seed: UInt64?
        if let text = parsed.value("seed") {
            guard let n = UInt64(text) else { output.error("paylink-sandbox run: --seed needs a whole number"); return 64 }
            seed = n
        }
        var files: [String] = []
        for path in parsed.positionals {
            guard let found = ScenarioFiles.list(path) else { output.error("paylink-sandbox run: cannot read \(path)"); return 66 }
            files += found
        }
        let results = ScenarioBatch.run(files: files, seed: seed)
        for result in results { output.out(ScenarioBatch.line(result)) }
        let failed = results.filter { !$0.passed }.count
        output.out("\(results.count - failed) passed, \(failed) failed")
        if let junit = parsed.value("junit") {
            guard ScenarioFiles.write(JUnitReport.xml(results), to: junit) else {
                output.error("paylink-sandbox run: cannot write \(junit)")
                return 73
            }
        }
        return failed == 0 ? 0 : 1
    }
}

/// Loading and running many scenario files at once.
public enum ScenarioBatch {
    /// Runs every file (in parallel); a file that does not load is a failed result naming the problem.
    public static func run(files: [String], seed: UInt64? = nil) -> [ScenarioResult] {
        let slots = ScenarioResultSlots(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            slots.store(index, runFile(files[index], seed: seed))
        }
        return slots.all
    }

    public static func runFile(_ file: String, seed: UInt64? = nil) -> ScenarioResult {
        var name = file.split(separator: "/").last.map(String.init) ?? file
        if name.hasSuffix(".json") { name.removeLast(5) }
        guard let bytes = FileInput.contents(atPath: file) else {
            return notLoaded(name, file, expected: "a readable file", reason: "\(file): cannot read it")
        }
        do {
            return ScenarioRunner().run(try ScenarioLoader.load(bytes, file: file), seed: seed)
        } catch {
            return notLoaded(name, file, expected: "a valid scenario", reason: error.description)
        }
    }

    private static func notLoaded(_ name: String, _ file: String, expected: String, reason: String) -> ScenarioResult {
        ScenarioResult(scenario: name, file: file, passed: false, failedStep: "file", expected: expected, actual: reason, durationSeconds: 0,
                       transcript: [], loadError: reason)
    }

    /// `PASS name (0.04 s)`, `FAIL name: step 3 (pay): expected …; got …`, or `ERROR name: not
    /// loaded: f.json: step 2: …` for a file that could not be loaded.
    public static func line(_ result: ScenarioResult) -> String {
        let seconds = String(Double(Int(result.durationSeconds * 100)) / 100)
        if result.passed { return "PASS \(result.scenario) (\(seconds) s)" }
        if let reason = result.loadError { return "ERROR \(result.scenario): not loaded: \(reason)" }
        return "FAIL \(result.scenario): \(result.failedStep ?? "?"): expected \(result.expected ?? "?"); got \(result.actual ?? "?")"
    }
}

/// Files named on the command line: a file as is, a directory's `*.json` sorted by name.
enum ScenarioFiles {
    static func list(_ path: String) -> [String]? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { return [path] }
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".json") && !name.hasPrefix(".") { names.append(name) }
        }
        let base = path.hasSuffix("/") ? path : path + "/"
        return names.sorted().map { base + $0 }
    }

    static func write(_ text: String, to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }
}

/// JUnit XML as CI systems read it: one `<testcase>` per scenario, a `<failure>` for each one
/// that failed, an `<error>` for each file that could not be loaded (its `message` the reason).
enum JUnitReport {
    static func xml(_ results: [ScenarioResult]) -> String {
        let errors = results.filter { $0.loadError != nil }.count
        let failures = results.filter { !$0.passed }.count - errors
        let total = results.reduce(0) { $0 + $1.durationSeconds }
        let counts = "tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(total)\""
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites \(counts)>\n"
        xml += "  <testsuite name=\"paylink-sandbox scenarios\" \(counts)>\n"
        for result in results {
            xml += "    <testcase classname=\"scenarios\" name=\"\(XMLText.escape(result.scenario))\" file=\"\(XMLText.escape(result.file))\" time=\"\(result.durationSeconds)\""
            if result.passed {
                xml += "/>\n"
                continue
            }
            let (element, message) = result.loadError.map { ("error", $0) } ?? ("failure", "\(result.failedStep ?? ""): expected \(result.expected ?? "")")
            xml += ">\n      <\(element) message=\"\(XMLText.escape(message))\">\(XMLText.escape(ScenarioBatch.line(result)))</\(element)>\n    </testcase>\n"
        }
        return xml + "  </testsuite>\n</testsuites>\n"
    }
}
