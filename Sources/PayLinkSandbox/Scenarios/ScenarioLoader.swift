import PayLinkAPS
import PayLinkCore
import PayLinkJSON

/// Reads and checks scenario files. Every field is checked here, with placeholders allowed in
/// strings, so a bad file fails before it runs with the file, the step and the field named.
public enum ScenarioLoader {
    public static func load(_ bytes: [UInt8], file: String) throws(ScenarioError) -> Scenario {
        func fail(_ field: String, _ message: String, step: String? = nil) -> ScenarioError {
            ScenarioError(file: file, step: step, field: field, message: message)
        }
        let root: JSONObject
        do {
            guard case .object(let object) = try JSONParser.parse(bytes) else { throw fail("", "a scenario is one JSON object") }
            root = object
        } catch let error as ScenarioError {
            throw error
        } catch let error as JSONParseError {
            let (line, column) = error.position(in: bytes)
            throw fail("", "not valid JSON at line \(line), column \(column): \(error.explanation)")
        } catch {
            throw fail("", "not valid JSON: \(error)")
        }
        // `$schema` names the file's JSON Schema (docs/scenario.schema.json) for editors and
        // validators; the sandbox checks it is text and otherwise ignores it.
        let known: Set<String> = ["$schema", "scenario_version", "name", "description", "setup", "steps"]
        if let unknown = root.keys.first(where: { !known.contains($0) }) { throw fail(unknown, "unknown key (known: \(known.sorted().joined(separator: ", ")))") }
        if let schema = root["$schema"], schema.stringValue == nil { throw fail("$schema", "must be a string: the location of the scenario schema") }
        guard case .number(let version)? = root["scenario_version"] else { throw fail("scenario_version", "required: 1") }
        guard version == String(Scenario.supportedVersion) else { throw fail("scenario_version", "version \(version) is not supported; this sandbox reads 1") }
        guard case .string(let description)? = root["description"], !description.isEmpty else {
            throw fail("description", "required: one line saying why this edge case matters")
        }
        var name = file.split(separator: "/").last.map(String.init) ?? file
        if name.hasSuffix(".json") { name.removeLast(5) }
        if let value = root["name"] {
            guard case .string(let text) = value, !text.isEmpty else { throw fail("name", "must be a non-empty string") }
            name = text
        }
        let setup: ScenarioSetup
        do { setup = try ScenarioSetupReader.read(root["setup"]) } catch { throw fail("setup." + error.key, error.message) }
        // A setup-only file (no steps, or none yet) is for `serve --scenario` and `POST
        // /__sandbox/scenarios`; `run` then checks that its setup loads.
        let items: [JSONValue]
        switch root["steps"] {
        case nil: items = []
        case .array(let list)?: items = list
        default: throw fail("steps", "expected a list of steps")
        }
        guard !items.isEmpty || root["setup"] != nil else { throw fail("steps", "required: a list of steps, a setup, or both") }
        var steps: [ScenarioStep] = []
        var names = Set<String>(setup.links.compactMap(\.name))
        for (index, item) in items.enumerated() {
            let provisional = "step \(index + 1)"
            guard case .object(let object) = item else { throw fail("", "a step is a JSON object", step: provisional) }
            let step: ScenarioStep
            do { step = try ScenarioStepReader.read(object, index: index) } catch {
                let label = object["name"]?.stringValue.map { "step \(index + 1) (\($0))" } ?? provisional
                throw fail(error.key, error.message, step: label)
            }
            // A reference names an earlier step, a setup link or the receiver: caught here, not
            // half-way through the run.
            if let unknown = Self.references(in: .object(object)).first(where: { !names.contains($0.scope) && $0.scope != "receiver" }) {
                throw fail(unknown.text, "no setup link or earlier step is named \(unknown.scope)", step: step.label)
            }
            if let stepName = step.name, !names.insert(stepName).inserted {
                throw fail("name", "\(stepName) is already the name of a link or an earlier step", step: step.label)
            }
            // Requests named inside a parallel step are recorded too.
            for case .object(let nested) in object["parallel"]?.arrayValue ?? [] {
                if let nestedName = nested["name"]?.stringValue { names.insert(nestedName) }
            }
            steps.append(step)
        }
        return Scenario(name: name, description: description, file: file, setup: setup, steps: steps)
    }

    /// Every `${scope.field}` in the strings of a value, with its text.
    package static func references(in value: JSONValue) -> [(scope: String, text: String)] {
        switch value {
        case .string(let text):
            var found: [(scope: String, text: String)] = []
            var rest = Substring(text)
            while let start = rest.firstRange(of: "${") {
                guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
                let name = rest[start.upperBound..<end]
                found.append((String(name.prefix { $0 != "." }), "${\(name)}"))
                rest = rest[rest.index(after: end)...]
            }
            return found
        case .array(let items): return items.flatMap(references)
        case .object(let object): return object.flatMap { references(in: $0.value) }
        default: return []
        }
    }
}

/// The `setup` object.
enum ScenarioSetupReader {
    static func read(_ value: JSONValue?) throws(ConfigurationError) -> ScenarioSetup {
        var setup = ScenarioSetup()
        guard let value else { return setup }
        guard case .object(let object) = value else { throw ConfigurationError(key: "", "must be an object") }
        let r = JSONReader(object, path: "")
        try r.allowOnly(["merchants", "clock", "seed", "links", "faults", "notifications", "receiver"])
        if let merchants = try r.optionalArray("merchants") {
            // Checked as the config file checks them, with a stand-in receiver URL.
            let probe: JSONObject = ["merchants": .array(merchants)]
            let text = String(decoding: probe.serialized(), as: UTF8.self).split(separator: "${receiver.url}", omittingEmptySubsequences: false)
                .joined(separator: "http://127.0.0.1:9/notify")
            _ = try ConfigurationFile.parse(Array(text.utf8))
            setup.merchants = merchants
        }
        if let clock = try r.optionalObject("clock") {
            setup.clockGiven = true
            try clock.allowOnly(["start", "mode"])
            if let start = try clock.optionalString("start") {
                guard let instant = ISO8601.parseDateTime(start) else { throw ConfigurationError(key: "clock.start", "expected ISO 8601 with a time zone") }
                setup.clock.start = instant
            }
            if let mode = try clock.optionalString("mode") {
                guard let parsed = SandboxClock.Mode(rawValue: mode) else { throw ConfigurationError(key: "clock.mode", "expected frozen or running") }
                setup.clock.mode = parsed
            }
        }
        if let seed = object["seed"] {
            guard case .number(let literal) = seed, let n = UInt64(literal) else { throw ConfigurationError(key: "seed", "expected a whole number") }
            setup.seed = n
        }
        if let links = try r.optionalArray("links") {
            setup.links = try links.enumerated().map { (i, item) throws(ConfigurationError) in try link(item, path: "links[\(i)]") }
        }
        if let faults = try r.optionalArray("faults") {
            setup.faults = try faults.enumerated().map { (i, item) throws(ConfigurationError) in
                guard case .object(let fault) = item else { throw ConfigurationError(key: "faults[\(i)]", "expected a fault object") }
                do throws(FieldProblem) { _ = try FaultJSON.fault(fault) } catch {
                    throw ConfigurationError(key: "faults[\(i)].\(error.path)", error.message)
                }
                return fault
            }
        }
        if let notifications = try r.optionalObject("notifications") {
            try notifications.allowOnly(["retries", "retry_interval_seconds"])
            if let value = notifications.object["retries"] {
                guard case .number(let literal) = value, let n = Int(literal), (0...100).contains(n) else {
                    throw ConfigurationError(key: "notifications.retries", "expected a whole number from 0 to 100")
                }
                setup.notificationRetries = n
            }
            setup.notificationRetryIntervalSeconds = try notifications.optionalPositiveInteger("retry_interval_seconds")
        }
        if let receiver = try r.optionalObject("receiver") {
            try receiver.allowOnly(["fail_first"])
            if let value = receiver.object["fail_first"] {
                guard case .number(let literal) = value, let n = Int(literal), (0...1_000).contains(n) else {
                    throw ConfigurationError(key: "receiver.fail_first", "expected a whole number from 0 to 1000")
                }
                setup.receiverFailures = n
            }
        }
        return setup
    }

    /// A setup link: `state` (Open, Paid, Closed, Expired) plus PAYMENT_LINK field names.
    static func link(_ value: JSONValue, path: String) throws(ConfigurationError) -> SetupLink {
        guard case .object(let object) = value else { throw ConfigurationError(key: path, "expected an object") }
        let r = JSONReader(object, path: path)
        try r.allowOnly(Set(["name", "state", "payment_link_id", "merchant_identifier", "merchant_reference", "amount", "currency", "language",
                         "customer_email", "customer_name", "customer_phone", "order_description", "notification_type", "link_command",
                         "payment_option", "return_url", "request_expiry_date", "settlement_reference"] + APSFields.merchantExtraNames))
        let stateName = try r.optionalString("state") ?? "Open"
        guard let state = LinkState(rawValue: stateName) else {
            let states = LinkState.allCases.map(\.rawValue)
            throw ConfigurationError(key: r.path("state"), "\"\(stateName)\" is not a link state"
                                     + "\(ScenarioExpectationNames.suggestion(stateName, among: Set(states))); expected \(states.joined(separator: ", "))")
        }
        guard try r.optionalString("merchant_reference") != nil else { throw ConfigurationError(key: r.path("merchant_reference"), "is required") }
        if let expiry = try r.optionalString("request_expiry_date"), !expiry.hasPrefix("${"), ISO8601.parseDateTime(expiry) == nil {
            throw ConfigurationError(key: r.path("request_expiry_date"), "expected ISO 8601 with a time zone")
        }
        if let amount = object["amount"] {
            switch amount {
            case .number(let literal) where Int64(literal).map({ $0 > 0 }) == true: break
            case .string(let text) where Int64(text).map({ $0 > 0 }) == true: break
            default: throw ConfigurationError(key: r.path("amount"), "expected a positive whole number of minor units")
            }
        }
        return SetupLink(name: try r.optionalString("name"), id: try r.optionalString("payment_link_id"), merchantIdentifier: try r.optionalString("merchant_identifier"),
                         state: state, fields: object)
    }
}
