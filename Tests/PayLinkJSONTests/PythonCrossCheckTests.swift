import Foundation
import Testing
import PayLinkJSON
import PayLinkTestSupport

/// Checks the parser and writer against an independent implementation, Python's `json`
/// module: it must accept everything we write, and we must read back what it writes as the
/// value we started from. Python re-formats floats (`1.50` → `1.5`, `1e5` → `100000.0`), so
/// numbers are compared as values there.
struct PythonCrossCheckTests {
    /// Reads one document per line, writes for each its compact re-serialisation and then
    /// the same with sorted keys, one per line.
    static let script = """
        import json, sys
        with open(sys.argv[1], 'rb') as f:
            lines = f.read().decode('utf-8').split('\\n')
        out = []
        for number, line in enumerate(lines):
            try:
                value = json.loads(line)
            except ValueError as error:
                sys.stderr.write('document %d rejected by Python: %s\\n%s\\n' % (number, error, line))
                sys.exit(1)
            out.append(json.dumps(value, ensure_ascii=False, separators=(',', ':')))
            out.append(json.dumps(value, ensure_ascii=False, separators=(',', ':'), sort_keys=True))
        with open(sys.argv[2], 'wb') as f:
            f.write('\\n'.join(out).encode('utf-8'))
        """

    /// Runs the script on `input` and returns its output, or records why it could not.
    static func runPython(on input: [UInt8]) throws -> [UInt8]? {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("paylink-json-crosscheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent("in.jsonl")
        let outputURL = directory.appendingPathComponent("out.jsonl")
        try Data(input).write(to: inputURL)

        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, inputURL.path, outputURL.path]
        let standardError = Pipe()
        process.standardError = standardError
        do {
            try process.run()
        } catch {
            Issue.record("could not start /usr/bin/env python3 (\(error)); this cross-check needs python3 on PATH")
            return nil
        }
        let messages = String(decoding: standardError.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            Issue.record("python3 was not found on PATH; this cross-check needs it (CI installs python3). \(messages)")
            return nil
        }
        guard process.terminationStatus == 0 else {
            Issue.record("python3 exited with status \(process.terminationStatus): \(messages)")
            return nil
        }
        return Array(try Data(contentsOf: outputURL))
    }

    @Test func crossCheck_pythonReadsOurOutput_andWeReadPythonsBackAsTheSameValues() throws {
        var generator = RandomJSON(rng: SplitMix64(seed: 20_260_101))
        let documents = (0..<200).map { _ in generator.document() }
        var input: [UInt8] = []
        for (index, document) in documents.enumerated() {
            if index > 0 { input.append(0x0A) }
            // Compact output never holds a raw newline (it is escaped), so lines separate documents.
            let written = document.serialized()
            #expect(!written.contains(0x0A))
            input += written
        }

        guard let output = try Self.runPython(on: input) else { return }
        let lines = output.split(separator: 0x0A, omittingEmptySubsequences: false)
        try #require(lines.count == documents.count * 2, "Python wrote \(lines.count) lines for \(documents.count) documents")

        for (index, document) in documents.enumerated() {
            let fromPython = try JSONParser.parse(Array(lines[2 * index]))
            #expect(equivalent(fromPython, document), "document \(index): Python read \(document.jsonText) as \(fromPython.jsonText)")

            // Python sorts keys by code point, which is the UTF-8 byte order we sort by.
            let sortedByPython = try JSONParser.parse(Array(lines[2 * index + 1]))
            let sortedByUs = try JSONParser.parse(document.serialized(sortedKeys: true))
            #expect(equivalent(sortedByPython, sortedByUs), "document \(index): sorted key order differs")
        }
    }
}
