import PayLinkCore
import PayLinkJSON

/// Loading a scenario's setup into a sandbox that is already serving (`POST
/// /__sandbox/scenarios`, `serve --scenario`): its clock (when the file sets one), its links
/// and its faults. Steps are not run: the application under test takes it from there.
package struct ScenarioLoading {
    package let engine: LinkEngine
    package let faults: FaultRegistry
    package let merchants: [Merchant]
    package let urls: LinkURLs
    /// The receiver `serve --scenario` started for `${receiver.url}`; nil where there is none
    /// (`POST /__sandbox/scenarios`).
    package var receiverURL: String?

    /// What was loaded: each named link's fields, and how many faults were armed.
    package func load(_ scenario: Scenario) throws(FieldProblem) -> JSONObject {
        let setup = scenario.setup
        for (index, merchant) in (setup.merchants ?? []).enumerated() {
            let identifier = merchant.objectValue?["merchant_identifier"]?.stringValue ?? ""
            guard merchants.contains(where: { $0.identifier == identifier }) else {
                throw .init(path: "setup.merchants[\(index)]", message: "merchant \(identifier) is not on this sandbox; add it to the config file, or make it with POST /__sandbox/merchants")
            }
        }
        if setup.clockGiven {
            if let start = setup.clock.start { _ = engine.clock.set(start) }
            _ = engine.clock.setMode(setup.clock.mode)
        }
        let before = faults.list().count
        var variables = ScenarioVariables()
        if let receiverURL { variables.set("receiver", ["url": receiverURL]) }
        // Setup links without a merchant belong to the scenario's first, as under `run`.
        var ordered = merchants
        if let first = setup.merchants?.first?.objectValue?["merchant_identifier"]?.stringValue,
           let index = ordered.firstIndex(where: { $0.identifier == first }) {
            ordered.insert(ordered.remove(at: index), at: 0)
        }
        try ScenarioSetupApplier.apply(setup, engine: engine, faults: faults, merchants: ordered, urls: urls, variables: &variables)
        var links: JSONObject = [:]
        for link in setup.links {
            guard let name = link.name, let id = try? variables.substitute("${\(name).payment_link_id}") else { continue }
            links[name] = .object(["payment_link_id": .string(id), "payment_link": .string((try? variables.substitute("${\(name).payment_link}")) ?? "")])
        }
        return ["scenario": .string(scenario.name), "links": .object(links), "links_created": .number(String(setup.links.count)),
                "faults_armed": .number(String(faults.list().count - before))]
    }

    package init(engine: LinkEngine, faults: FaultRegistry, merchants: [Merchant], urls: LinkURLs, receiverURL: String? = nil) {
        self.engine = engine
        self.faults = faults
        self.merchants = merchants
        self.urls = urls
        self.receiverURL = receiverURL
    }
}
