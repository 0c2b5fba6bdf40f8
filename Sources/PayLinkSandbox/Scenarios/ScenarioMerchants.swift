import PayLinkCore
import PayLinkJSON

/// `serve --scenario`: the merchants a scenario's setup names join the configured ones. A
/// `${receiver.url}` notification or direct feedback URL (the runner's own receiver) is left
/// out: a served sandbox notifies only the URLs its config names.
package enum ScenarioMerchants {
    package static func add(from scenarios: [Scenario], to configuration: inout SandboxConfiguration) throws(ScenarioError) {
        for scenario in scenarios {
            for (index, value) in (scenario.setup.merchants ?? []).enumerated() {
                guard case .object(var object) = value else { continue }
                for key in ["notification_url", "direct_feedback_url"] where object[key]?.stringValue?.contains("${receiver.url}") == true {
                    object[key] = nil
                }
                let wrapped: JSONObject = ["merchants": .array([.object(object)])]
                let merchant: Merchant
                do { merchant = try ConfigurationFile.parse(wrapped.serialized()).merchants[0] } catch {
                    throw ScenarioError(file: scenario.file, step: nil, field: "setup.merchants[\(index)]", message: error.message)
                }
                if let existing = configuration.merchants.firstIndex(where: { $0.identifier == merchant.identifier }) {
                    guard configuration.merchants[existing] == merchant else {
                        throw ScenarioError(file: scenario.file, step: nil, field: "setup.merchants[\(index)]",
                                            message: "merchant \(merchant.identifier) is configured differently already")
                    }
                    continue
                }
                configuration.merchants.append(merchant)
            }
        }
    }
}
