import PayLinkCore
import PayLinkJSON
import PayLinkSandbox
import PayLinkSupport

/// What `serve --scenario` prints after `listening on`: the merchants the scenarios added
/// (with the credentials to configure the application under test), the receiver their
/// `${receiver.url}` became, and each scenario's named setup links (name → payment_link_id),
/// which the application needs and could otherwise only find through the control API.
enum ScenarioBanner {
    struct Loaded {
        var scenario: Scenario
        /// `ScenarioLoading.load`'s answer: `links` (name → payment_link_id, payment_link),
        /// `links_created`, `faults_armed`.
        var summary: JSONObject
    }

    static func print(merchants: [(merchant: Merchant, file: String, field: String)], receiverURL: String?, loaded: [Loaded],
                      endpoint: String, json: Bool, output: TextOutput) {
        for (merchant, file, _) in merchants {
            var fields: [(String, String)] = [
                ("merchant_identifier", merchant.identifier), ("access_code", merchant.accessCode), ("sha_type", merchant.shaType.rawValue),
                ("sha_request_phrase", merchant.requestPhrase), ("sha_response_phrase", merchant.responsePhrase),
            ]
            if let url = merchant.directFeedbackURL { fields.append(("direct_feedback_url", url)) }
            if let url = merchant.notificationURL { fields.append(("notification_url", url)) }
            if merchant.directFeedbackURL != nil || merchant.notificationURL != nil {
                fields.append(("feedback_format", merchant.feedbackFormat.rawValue))
            }
            fields.append(("endpoint", endpoint))
            if json {
                var line: JSONObject = ["event": "scenario_merchant", "file": .string(file)]
                for (key, value) in fields { line[key] = .string(value) }
                output.out(String(decoding: line.serialized(), as: UTF8.self))
            } else {
                output.out((["scenario merchant (\(file)):"] + fields.map { "  " + $0.0.padding(20) + " " + $0.1 }).joined(separator: "\n"))
            }
        }
        if let receiverURL {
            if json {
                let line: JSONObject = ["event": "scenario_receiver", "url": .string(receiverURL)]
                output.out(String(decoding: line.serialized(), as: UTF8.self))
            } else {
                output.out("scenario receiver: \(receiverURL) (keeps the notifications it is sent; GET it to list them)")
            }
        }
        for entry in loaded {
            let links = entry.summary["links"]?.objectValue ?? [:]
            if json {
                let line: JSONObject = ["event": "scenario_loaded", "scenario": .string(entry.scenario.name), "file": .string(entry.scenario.file),
                                        "links": .object(links), "links_created": entry.summary["links_created"] ?? .number("0"),
                                        "faults_armed": entry.summary["faults_armed"] ?? .number("0")]
                output.out(String(decoding: line.serialized(), as: UTF8.self))
                continue
            }
            func count(_ key: String) -> String {
                guard case .number(let n)? = entry.summary[key] else { return "0" }
                return n
            }
            var lines = ["scenario \(entry.scenario.name) loaded (\(entry.scenario.file)): \(count("links_created")) links, \(count("faults_armed")) faults armed"]
            let width = links.keys.map(\.count).max() ?? 0
            for (name, value) in links {
                let link = value.objectValue ?? [:]
                lines.append("  \(name.padding(width)) → \(link["payment_link_id"]?.stringValue ?? "?")  \(link["payment_link"]?.stringValue ?? "")")
            }
            output.out(lines.joined(separator: "\n"))
        }
    }
}

private extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
