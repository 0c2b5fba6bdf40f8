import PayLinkCore
import PayLinkJSON

/// `serve --scenario`: the merchants a scenario's setup names join the configured ones, or
/// take the demo merchant's place when no config file named any. `${receiver.url}` (in any
/// of a merchant's URLs) is the receiver `serve` started for the scenarios.
package enum ScenarioMerchants {
    /// The merchants added, each with the file and the key that named it, in order.
    @discardableResult
    package static func add(from scenarios: [Scenario], to configuration: inout SandboxConfiguration,
                            receiverURL: String? = nil) throws(ScenarioError) -> [(merchant: Merchant, file: String, field: String)] {
        var added: [(merchant: Merchant, file: String, field: String)] = []
        for scenario in scenarios {
            for (index, value) in (scenario.setup.merchants ?? []).enumerated() {
                func fail(_ message: String) -> ScenarioError {
                    ScenarioError(file: scenario.file, step: nil, field: "setup.merchants[\(index)]", message: message)
                }
                let wrapped: JSONObject = ["merchants": .array([value])]
                let text = String(decoding: wrapped.serialized(), as: UTF8.self).split(separator: "${receiver.url}", omittingEmptySubsequences: false)
                guard text.count == 1 || receiverURL != nil else { throw fail("${receiver.url} needs the scenario receiver, which is not running") }
                let merchant: Merchant
                do { merchant = try ConfigurationFile.parse(Array(text.joined(separator: receiverURL ?? "").utf8)).merchants[0] } catch {
                    throw fail(error.message)
                }
                if let earlier = added.first(where: { $0.merchant.identifier == merchant.identifier }) {
                    guard earlier.merchant == merchant else { throw fail("merchant \(merchant.identifier) is set differently in \(earlier.file)") }
                    continue
                }
                added.append((merchant, scenario.file, "setup.merchants[\(index)]"))
            }
        }
        if configuration.usesDemoMerchant && !added.isEmpty {
            configuration.merchants = []
            configuration.usesDemoMerchant = false
        }
        var kept: [(merchant: Merchant, file: String, field: String)] = []
        for entry in added {
            if let existing = configuration.merchants.first(where: { $0.identifier == entry.merchant.identifier }) {
                guard existing == entry.merchant else {
                    throw ScenarioError(file: entry.file, step: nil, field: entry.field, message: "merchant \(entry.merchant.identifier) is configured differently already")
                }
                continue
            }
            configuration.merchants.append(entry.merchant)
            kept.append(entry)
        }
        return kept
    }
}
