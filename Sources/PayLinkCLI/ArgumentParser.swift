/// A small command-line parser: `--name value`, `--name=value`, boolean flags and positionals.
/// Unknown options and missing values are errors that name the option.
struct ParsedArguments: Sendable {
    var options: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    /// Options that came from somewhere other than the command line: the environment
    /// variable that gave each (see `ServeEnvironment`).
    var origins: [String: String] = [:]

    func value(_ name: String) -> String? { options[name]?.last }
    func values(_ name: String) -> [String] { options[name] ?? [] }
    /// How to name where an option came from in an error: `--port` or `PAYLINK_PORT`.
    func source(_ name: String) -> String { origins[name] ?? "--\(name)" }
    /// ` (from PAYLINK_X)` when the option came from the environment, else nothing: for
    /// messages that name a value, not the option.
    func fromEnvironment(_ name: String) -> String { origins[name].map { " (from \($0))" } ?? "" }
}

struct ArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

enum ArgumentParser {
    /// - Parameters:
    ///   - valued: options that take a value (without the leading `--`).
    ///   - flags: options that take none.
    static func parse(_ arguments: [String], valued: Set<String>, flags: Set<String>) throws(ArgumentError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("--") || argument == "-" {
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let eq = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if flags.contains(name) {
                guard inlineValue == nil else { throw ArgumentError("--\(name) takes no value") }
                parsed.flags.insert(name)
            } else if valued.contains(name) {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else { throw ArgumentError("--\(name) needs a value") }
                    value = arguments[index]
                    index += 1
                }
                parsed.options[name, default: []].append(value)
            } else {
                throw ArgumentError("unknown option --\(name)")
            }
        }
        return parsed
    }
}
