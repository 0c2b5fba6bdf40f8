import Foundation
import Testing

/// The module map keeps itself: dependencies point one way (CLI → runtime → dialects →
/// support and core → crypto and JSON), the core imports no dialect, and the two dialects never
/// import each other or the runtime. Read from Package.swift and from every `import` line.
@Suite struct ModuleDependencyTests {
    /// Which project modules each module may depend on. A module not listed may depend on nothing of ours.
    static let allowed: [String: Set<String>] = [
        "PayLinkCrypto": ["CSHAExtensions"],
        "PayLinkJSON": [],
        "PayLinkHTTP": ["CEpoll"],
        "PayLinkCore": ["PayLinkCrypto", "PayLinkJSON"],
        "PayLinkSupport": ["PayLinkHTTP", "PayLinkJSON"],
        "PayLinkExports": [],
        "PayLinkAPS": ["PayLinkCore", "PayLinkCrypto", "PayLinkJSON", "PayLinkHTTP", "PayLinkSupport"],
        "PayLinkPayByLink": ["PayLinkCore", "PayLinkCrypto", "PayLinkJSON", "PayLinkHTTP", "PayLinkSupport"],
        "PayLinkSandbox": ["PayLinkCore", "PayLinkCrypto", "PayLinkJSON", "PayLinkHTTP", "PayLinkSupport", "PayLinkExports",
                           "PayLinkAPS", "PayLinkPayByLink"],
        "PayLinkCLI": ["PayLinkSandbox", "PayLinkCore", "PayLinkCrypto", "PayLinkJSON", "PayLinkHTTP", "PayLinkSupport",
                       "PayLinkExports", "PayLinkAPS", "PayLinkPayByLink"],
        "paylink-sandbox": ["PayLinkCLI"],
        // Test helpers (Tests/PayLinkTestSupport): depends on no module of ours.
        "PayLinkTestSupport": [],
    ]
    /// Toolchain modules a library may import. Foundation is left out: the core and the server
    /// are written against the standard library, the C library (Glibc, Musl or Darwin) and Dispatch only.
    static let system: Set<String> = ["Glibc", "Musl", "Darwin", "Dispatch", "Synchronization"]

    static let root = Repository.root

    /// `name → dependencies` of every non-test target in a Package.swift text.
    static func targets(inManifest text: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        let pattern = try! NSRegularExpression(pattern: #"\.(?:target|executableTarget)\(\s*name:\s*"([^"]+)"(?:,\s*dependencies:\s*\[([^\]]*)\])?"#)
        let range = NSRange(text.startIndex..., in: text)
        for match in pattern.matches(in: text, range: range) {
            let name = String(text[Range(match.range(at: 1), in: text)!])
            let list = Range(match.range(at: 2), in: text).map { String(text[$0]) } ?? ""
            result[name] = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
                .filter { !$0.isEmpty }
        }
        return result
    }

    /// The modules a Swift file imports.
    static func imports(inSource text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
            guard words.count >= 2, words[0] == "import" else { return nil }
            return String(words[1])
        }
    }

    /// Every broken rule, as a sentence.
    static func violations(targets: [String: [String]], importsByFile: [(module: String, file: String, imports: [String])]) -> [String] {
        var problems: [String] = []
        for (name, dependencies) in targets.sorted(by: { $0.key < $1.key }) {
            let allowed = Self.allowed[name] ?? []
            for dependency in dependencies where !allowed.contains(dependency) {
                problems.append("Package.swift: \(name) depends on \(dependency), against the one-way rule")
            }
        }
        for (module, file, imports) in importsByFile {
            let declared = Set(targets[module] ?? [])
            for imported in imports where !system.contains(imported) && !declared.contains(imported) {
                problems.append("\(file): \(module) imports \(imported), which Package.swift does not let it depend on")
            }
        }
        return problems
    }

    static func sourceImports() throws -> [(module: String, file: String, imports: [String])] {
        let sources = root.appendingPathComponent("Sources")
        var result: [(String, String, [String])] = []
        for module in try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted() {
            guard let walker = FileManager.default.enumerator(atPath: sources.appendingPathComponent(module).path) else { continue }
            for case let relative as String in walker where relative.hasSuffix(".swift") {
                let path = sources.appendingPathComponent(module).appendingPathComponent(relative)
                result.append((module, "Sources/\(module)/\(relative)", imports(inSource: try String(contentsOf: path, encoding: .utf8))))
            }
        }
        return result
    }

    @Test func theModulesDependOneWay_inPackageSwiftAndInEveryImport() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let targets = Self.targets(inManifest: manifest)
        #expect(Set(targets.keys) == Set(Self.allowed.keys).union(["CEpoll", "CSHAExtensions"]),
                "a module was added or renamed: give it a place in the rules above")
        let problems = Self.violations(targets: targets, importsByFile: try Self.sourceImports())
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// The checker itself finds each kind of break.
    @Test func theCheckerReportsADialectImportingAnother_andCoreImportingADialect() {
        let targets = Self.targets(inManifest: """
            .target(name: "PayLinkCore", dependencies: ["PayLinkCrypto", "PayLinkAPS"]),
            .target(name: "PayLinkAPS", dependencies: ["PayLinkCore"]),
            """)
        #expect(targets == ["PayLinkCore": ["PayLinkCrypto", "PayLinkAPS"], "PayLinkAPS": ["PayLinkCore"]])
        let problems = Self.violations(targets: targets, importsByFile: [
            ("PayLinkAPS", "Sources/PayLinkAPS/A.swift", Self.imports(inSource: "import PayLinkCore\n@testable import PayLinkPayByLink\nimport Glibc")),
            ("PayLinkAPS", "Sources/PayLinkAPS/B.swift", ["Foundation"]),
        ])
        #expect(problems == [
            "Package.swift: PayLinkCore depends on PayLinkAPS, against the one-way rule",
            "Sources/PayLinkAPS/A.swift: PayLinkAPS imports PayLinkPayByLink, which Package.swift does not let it depend on",
            "Sources/PayLinkAPS/B.swift: PayLinkAPS imports Foundation, which Package.swift does not let it depend on",
        ])
    }
}
