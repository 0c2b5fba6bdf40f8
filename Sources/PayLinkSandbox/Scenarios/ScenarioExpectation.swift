import PayLinkSupport
import PayLinkCore
import PayLinkJSON

/// Checks of a request step's outcome (`expect`): `status`, `transport` (`response`,
/// `closed`, `truncated`, `timeout`), `fields` of the JSON body (a string must equal the
/// field, `null` means absent, `{"present": true}` any value, `{"not": "x"}` anything else),
/// `signature` (`valid`/`invalid` against the merchant's response phrase), `json`
/// (`valid`/`invalid`), `body_contains`.
struct ScenarioExpectation {
    let object: JSONObject

    /// What failed, as (expected, actual); nil when every check passed. Every check that fails
    /// is reported (joined with ", "), so one run shows all that is wrong with a response.
    func check(_ outcome: ScenarioClient.Outcome, merchants: [Merchant]) -> (String, String)? {
        let transport = object["transport"]?.stringValue ?? "response"
        guard outcome.transport == transport else {
            return ("transport \(transport)", "transport \(outcome.transport)" + (outcome.response.map { " (HTTP \($0.status))" } ?? ""))
        }
        guard let response = outcome.response else { return nil }
        var failures: [(String, String)] = []
        if case .number(let literal)? = object["status"], String(response.status) != literal {
            failures.append(("HTTP status \(literal)", "HTTP status \(response.status): \(Self.excerpt(response.body))"))
        }
        let parsed = try? JSONParser.parse(response.body)
        if let json = object["json"]?.stringValue, (parsed != nil) != (json == "valid") {
            failures.append(("\(json) JSON", parsed == nil ? "invalid JSON: \(Self.excerpt(response.body))" : "valid JSON"))
        }
        if let needle = object["body_contains"]?.stringValue, !String(decoding: response.body, as: UTF8.self).contains(needle) {
            failures.append(("body containing \"\(needle)\"", Self.excerpt(response.body)))
        }
        // A JSON array answer (`GET /__sandbox/links`) has one field to expect: its `count`.
        let body = parsed?.objectValue ?? parsed?.arrayValue.map { ["count": .number(String($0.count))] }
        if case .object(let fields)? = object["fields"] {
            failures += fields.compactMap { name, wanted in Self.compare(name, wanted, body?[name]) }
        }
        if let signature = object["signature"]?.stringValue, let failure = Self.signature(signature, body, merchants: merchants) {
            failures.append(failure)
        }
        return Self.joined(failures)
    }

    /// `signature`: whether the body's signature verifies with its merchant's response phrase.
    private static func signature(_ wanted: String, _ body: JSONObject?, merchants: [Merchant]) -> (String, String)? {
        guard let body, let provided = body["signature"]?.stringValue,
              let merchant = merchants.first(where: { $0.identifier == body["merchant_identifier"]?.stringValue }) ?? merchants.first else {
            return ("\(wanted == "invalid" ? "an" : "a") \(wanted) signature", "no signature in the response")
        }
        let signer = merchant.account(signing: body)
        let valid = signer.signer.sign(body, phrase: signer.responsePhrase) == provided.lowercased()
        return valid == (wanted == "valid") ? nil : ("\(wanted == "invalid" ? "an" : "a") \(wanted) signature", valid ? "a valid signature" : "a signature that does not verify")
    }

    /// Several failures as one (expected, actual) pair, in the order they were found; nil for none.
    static func joined(_ failures: [(String, String)]) -> (String, String)? {
        guard !failures.isEmpty else { return nil }
        return (failures.map(\.0).joined(separator: ", "), failures.map(\.1).joined(separator: ", "))
    }

    /// One field: a string (or number) must match as text; null: absent; {"present": Bool}; {"not": x}.
    static func compare(_ name: String, _ wanted: JSONValue, _ actual: JSONValue?) -> (String, String)? {
        let actualText = actual.map(text) ?? "absent"
        switch wanted {
        case .null:
            return actual == nil ? nil : ("\(name) absent", "\(name) = \(actualText)")
        case .object(let rule):
            if case .bool(let present)? = rule["present"], (actual != nil) != present {
                return ("\(name) \(present ? "present" : "absent")", "\(name) = \(actualText)")
            }
            if let excluded = rule["not"], let actual, text(actual) == text(excluded) {
                return ("\(name) not \(text(excluded))", "\(name) = \(actualText)")
            }
            return nil
        default:
            return actual.map(text) == text(wanted) ? nil : ("\(name) = \(text(wanted))", "\(name) = \(actualText)")
        }
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        default: String(decoding: value.serialized(), as: UTF8.self)
        }
    }

    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return body.count > 300 ? text + "…" : text
    }
}
