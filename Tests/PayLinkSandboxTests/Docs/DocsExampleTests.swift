import Foundation
import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
@testable import PayLinkSandbox
@testable import PayLinkCLI
import Testing

/// The examples of the pages under `docs/`, run as printed against a sandbox with the default
/// configuration on a real clock, so the manual cannot drift from the behaviour. (The README's
/// examples are `ReadmeExampleTests`; the PayByLink page's `PayByLinkReadmeTests`; the APS batch
/// file `APSBatchTests`; the example scenario `ScenarioTests`.)
struct DocsExampleTests {
    static let root = Repository.root

    /// A file of the repository, by its path from the root (`docs/aps.md`).
    static func page(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The fenced blocks of one language (`json`, `sh`, …) in a page, in order.
    static func blocks(_ text: String, language: String) -> [String] {
        text.components(separatedBy: "```\(language)\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
    }

    /// The `curl` commands of a page, in order, continuation lines (`\` at the end) joined.
    static func curls(_ text: String) -> [String] {
        var commands: [String] = []
        var pending: String?
        for raw in text.components(separatedBy: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if var command = pending {
                command += " " + line
                pending = nil
                if command.hasSuffix("\\") { pending = String(command.dropLast()) } else { commands.append(command) }
                continue
            }
            guard line.hasPrefix("curl ") else { continue }
            if line.hasSuffix("\\") { pending = String(line.dropLast()) } else { commands.append(line) }
        }
        return commands
    }

    /// A `curl` command line as the pages print it: `-X`, `-H`, `-d` (repeatable, joined with `&`
    /// as curl does), `--data-binary @FILE`, the URL, and `> FILE`.
    struct Curl {
        var method = "GET"
        var path = ""
        var headers: [(String, String)] = []
        var body: String?
        var dataFile: String?
        var outputFile: String?

        init(_ command: String) throws {
            let words = Self.words(command)
            guard words.first == "curl" else { throw Problem("not a curl command: \(command)") }
            var explicitMethod: String?
            var data: [String] = []
            var index = 1
            func next() throws -> String {
                index += 1
                guard index < words.count else { throw Problem("\(words[index - 1]) needs a value in: \(command)") }
                return words[index]
            }
            while index < words.count {
                let word = words[index]
                switch word {
                case "-s": break
                case "-X": explicitMethod = try next()
                case "-H":
                    let header = try next()
                    guard let colon = header.firstIndex(of: ":") else { throw Problem("bad header \(header)") }
                    headers.append((String(header[..<colon]), header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
                case "-d": data.append(try next())
                case "--data-binary":
                    let value = try next()
                    guard value.hasPrefix("@") else { throw Problem("--data-binary takes @FILE in the docs") }
                    dataFile = String(value.dropFirst())
                case ">": outputFile = try next()
                default:
                    guard word.hasPrefix("http://127.0.0.1:8080/") else { throw Problem("unexpected \(word) in: \(command)") }
                    path = String(word.dropFirst("http://127.0.0.1:8080".count))
                }
                index += 1
            }
            if !data.isEmpty {
                body = data.joined(separator: "&")
                if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
                    headers.append(("Content-Type", "application/x-www-form-urlencoded"))
                }
            }
            method = explicitMethod ?? (data.isEmpty && dataFile == nil ? "GET" : "POST")
        }

        /// Splits as a POSIX shell would for these commands: blanks separate words, and single
        /// or double quotes keep what they enclose together.
        static func words(_ command: String) -> [String] {
            var words: [String] = []
            var current = ""
            var inWord = false
            var quote: Character?
            for ch in command {
                if let open = quote {
                    if ch == open { quote = nil } else { current.append(ch) }
                } else if ch == "'" || ch == "\"" {
                    quote = ch
                    inWord = true
                } else if ch == " " || ch == "\t" {
                    if inWord { words.append(current) }
                    current = ""
                    inWord = false
                } else {
                    current.append(ch)
                    inWord = true
                }
            }
            if inWord { words.append(current) }
            return words
        }

        struct Problem: Error, CustomStringConvertible {
            let description: String
            init(_ description: String) { self.description = description }
        }
    }

    static func defaultConfiguration() -> SandboxConfiguration {
        var config = SandboxConfiguration()
        config.server.port = 0
        return config
    }

    @Test func controlAPIExamples_runInOrder_andSucceed() async throws {
        let commands = Self.curls(try Self.page("docs/control-api.md"))
        // One example or more per endpoint.
        #expect(commands.count >= 18)
        try await withSandbox(Self.defaultConfiguration()) { _, aps in
            let created = try aps.sendRaw(try ReadmeExampleTests.curlBodies()[0])
            let linkID = try #require(created["payment_link_id"])
            var faultID: String?
            var files: [String: [UInt8]] = [:]
            for command in commands {
                var curl = try Curl(command)
                #expect(curl.path.hasPrefix("/__sandbox/"), "\(command)")
                curl.path = curl.path.replacingOccurrences(of: "PAYMENT_LINK_ID", with: linkID)
                if curl.path.contains("FAULT_ID") {
                    curl.path = curl.path.replacingOccurrences(of: "FAULT_ID", with: try #require(faultID, "no fault was armed before: \(command)"))
                }
                var body = Array((curl.body ?? "").utf8)
                if let file = curl.dataFile {
                    body = try files[file] ?? Array(Data(contentsOf: Self.root.appendingPathComponent(file)))
                }
                let response = try aps.http.request(curl.method, curl.path, body: body, headers: curl.headers)
                #expect((200..<300).contains(response.status), "\(command) answered \(response.status): \(response.text)")
                if let file = curl.outputFile { files[file] = response.body }
                if curl.method == "POST" && curl.path == "/__sandbox/faults",
                   case .object(let answer) = try JSONParser.parse(response.body) {
                    faultID = answer["armed"]?.arrayValue?.first?.stringValue
                }
            }
        }
    }

    @Test func faultExample_arms() async throws {
        let example = try #require(Self.blocks(try Self.page("docs/faults.md"), language: "json").first)
        try await withSandbox(Self.defaultConfiguration()) { _, aps in
            let armed = try aps.http.post("/__sandbox/faults", json: example)
            #expect(armed.status == 201, "\(armed.text)")
        }
    }

    @Test func configurationExample_isAValidConfigFile() throws {
        let example = try #require(Self.blocks(try Self.page("docs/configuration.md"), language: "json").first)
        let config = try ConfigurationFile.parse(Array(example.utf8))
        #expect(config.merchants.map(\.identifier) == ["CycHZxVj"])
        #expect(config.payByLink.subscriptionKeys == ["test-subscription-key"])
        #expect(config.publicURL == "http://127.0.0.1:8080")
    }

    /// `echo '{…}' | swift run paylink-sandbox sign --phrase request-secret` prints the signature
    /// the README's status check carries.
    @Test func signExample_printsTheSignatureOfTheReadmesStatusCheck() throws {
        let text = try Self.page("docs/aps.md")
        let lines = text.components(separatedBy: "\n")
        let echo = try #require(lines.firstIndex { $0.hasPrefix("echo '") })
        let input = try #require(Curl.words(String(lines[echo].dropLast())).dropFirst().first)
        let pipe = lines[echo + 1].trimmingCharacters(in: .whitespaces)
        #expect(pipe.hasPrefix("| swift run paylink-sandbox sign "))
        let arguments = Curl.words(String(pipe.dropFirst("| swift run paylink-sandbox sign ".count)))
        let captured = CommandLineTests.Captured()
        #expect(SignCommand.main(arguments, output: captured.output, standardInput: { Array(input.utf8) }) == 0)
        guard case .object(let check) = try JSONParser.parse(Array(try ReadmeExampleTests.curlBodies()[1].utf8)) else {
            Issue.record("the README's status check is not a JSON object")
            return
        }
        let signature = try #require(check["signature"]?.stringValue)
        #expect(captured.text.contains("signature: \(signature)"), "\(captured.text)")
    }

    /// The hosted page's form, posted by the page's `curl` (with a real link's token), pays the link.
    @Test func hostedPageFormExample_paysTheLink() async throws {
        let command = try #require(Self.curls(try Self.page("docs/aps.md")).first { $0.contains("/pay/TOKEN") })
        try await withSandbox(Self.defaultConfiguration()) { sandbox, aps in
            let created = try aps.sendRaw(try ReadmeExampleTests.curlBodies()[0])
            let id = try #require(created["payment_link_id"])
            let url = try #require(created["payment_link"])
            let token = try #require(url.split(separator: "/").last.map(String.init))
            var curl = try Curl(command)
            curl.path = curl.path.replacingOccurrences(of: "TOKEN", with: token)
            let response = try aps.http.request(curl.method, curl.path, body: Array((curl.body ?? "").utf8), headers: curl.headers)
            #expect(response.status == 200, "\(response.text)")
            #expect(sandbox.engine.link(id: id)?.state == .paid)
        }
    }

    /// `scenarios/README.md` names every scenario file, and the pages give their number right.
    @Test func scenarioList_andCounts_matchTheFiles() throws {
        let files = ScenarioTests.libraryFiles()
        let list = try Self.page("scenarios/README.md")
        for name in files { #expect(list.contains("[`\(name)`](\(name))"), "scenarios/README.md does not list \(name)") }
        let listed = list.components(separatedBy: "\n").filter { $0.hasPrefix("| [`") }.count
        #expect(listed == files.count)
        #expect(list.hasPrefix("# Scenarios\n\n\(files.count) scenario files"))
        #expect(try Self.page("docs/scenarios.md").contains("holds \(files.count) of them"))
        #expect(try Self.page("docs/README.md").contains("| `scenarios/` | \(files.count) scenario files"))
    }
}
