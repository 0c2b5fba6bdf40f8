/// `PAYLINK_*` environment variables as `serve` options, for containers and CI services that
/// configure by environment. A variable only fills an option the command line left out: a flag
/// always wins. An empty variable counts as unset, as Compose's `${VAR:-}` produces one.
///
/// The environment is handed in by the entry point (`main.swift`), never read here, so tests
/// can give any environment without touching the real one.
enum ServeEnvironment {
    /// Variable and the `serve` option it sets.
    static let variables: [(variable: String, option: String)] = [
        ("PAYLINK_HOST", "host"), ("PAYLINK_PORT", "port"), ("PAYLINK_CONFIG", "config"),
        ("PAYLINK_STATE_DIR", "state-dir"), ("PAYLINK_PUBLIC_URL", "public-url"), ("PAYLINK_SEED", "seed"),
        ("PAYLINK_SCENARIOS", "scenario"),
    ]

    /// `parsed` with every option it lacks taken from `environment`, each marked with the
    /// variable it came from so a bad value is reported under that name.
    static func apply(_ environment: [String: String], to parsed: ParsedArguments) -> ParsedArguments {
        var merged = parsed
        for (variable, option) in variables where parsed.options[option] == nil {
            guard let value = environment[variable], !value.isEmpty else { continue }
            // PAYLINK_SCENARIOS is a comma-separated list of files, like repeating --scenario.
            let values = option == "scenario" ? value.split(separator: ",").map(trimmed).filter { !$0.isEmpty } : [value]
            merged.options[option] = values
            merged.origins[option] = variable
        }
        return merged
    }
}

private func trimmed(_ text: Substring) -> String {
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let first = text.firstIndex(where: { !blank($0) }), let last = text.lastIndex(where: { !blank($0) }) else { return "" }
    return String(text[first...last])
}
