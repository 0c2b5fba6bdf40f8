import PayLinkCore
import PayLinkJSON

/// Load-time checks of the names and values expectations use: a misspelt link field
/// (`payment_link_stauts`) or state (`Payed`) is refused with its step named, instead of
/// running and failing as "absent" or as a mismatch nobody could ever meet.
enum ScenarioExpectationNames {
    /// `expect_link`: `link`, `failed_attempts` (a count) and the fields the control API shows
    /// a link with (`GET /__sandbox/links/{id}`).
    static func checkLink(_ body: JSONObject) throws(ConfigurationError) {
        for (key, value) in body where key != "link" {
            let path = "expect_link.\(key)"
            guard LinkRepresentation.fieldNames.contains(key) else {
                throw ConfigurationError(key: path, "not a field of a link\(suggestion(key, among: LinkRepresentation.fieldNames)); "
                                         + "the fields are link, \(LinkRepresentation.fieldNames.sorted().joined(separator: ", "))")
            }
            if key == "failed_attempts" {
                guard case .number(let literal) = value, Int(literal).map({ $0 >= 0 }) == true else {
                    throw ConfigurationError(key: path, "expected a count of failed attempts (a whole number)")
                }
            }
            if key == "payment_link_status" { try linkState(value, path: path) }
        }
    }

    /// A request's `expect.fields`: where it names `payment_link_status`, the value must be a
    /// state a link can be in.
    static func checkFields(_ fields: JSONObject, path: String) throws(ConfigurationError) {
        if let status = fields["payment_link_status"] { try linkState(status, path: path + ".payment_link_status") }
    }

    /// `expect_deliveries.state`: pending, delivered or failed.
    static func checkDeliveryState(_ value: JSONValue?) throws(ConfigurationError) {
        guard let value else { return }
        guard let text = value.stringValue, text.contains("${") || Delivery.State(rawValue: text) != nil else {
            throw ConfigurationError(key: "expect_deliveries.state", "\(ScenarioExpectation.text(value)) is not a delivery state; expected pending, delivered or failed")
        }
    }

    /// A link state as an expectation writes it: `"Paid"`, `null` (absent), `{"not": "Paid"}`,
    /// `{"present": true}`; a `${…}` placeholder is checked when it runs.
    private static func linkState(_ value: JSONValue, path: String) throws(ConfigurationError) {
        let states = LinkState.allCases.map(\.rawValue)
        let named: JSONValue? = switch value {
        case .null: nil
        case .object(let rule): rule["not"]
        default: value
        }
        guard let named else { return }
        if let text = named.stringValue, text.contains("${") || states.contains(text) { return }
        let shown = ScenarioExpectation.text(named)
        throw ConfigurationError(key: path, "\(shown) is not a link state\(suggestion(shown, among: Set(states))); expected \(states.joined(separator: ", "))")
    }

    /// ` (did you mean payment_link_status?)` when one name is a slip away (two edits, or a
    /// different case), else nothing.
    static func suggestion(_ name: String, among names: Set<String>) -> String {
        let lowered = name.lowercased()
        let ranked = names.map { ($0, editDistance(lowered, $0.lowercased())) }.filter { $0.1 <= 2 }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        return ranked.first.map { " (did you mean \($0.0)?)" } ?? ""
    }

    /// Levenshtein distance, with a swap of two neighbours counted as one edit (`stauts`).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { rows[i][0] = i }
        for j in 0...b.count { rows[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1) }
            }
        }
        return rows[a.count][b.count]
    }
}
