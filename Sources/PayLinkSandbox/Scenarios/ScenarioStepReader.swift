import PayLinkJSON
import PayLinkCore
import PayLinkHTTP

/// Checks one step's JSON. A step has exactly one kind key (`aps`, `payment_page`, `customer`, `clock`,
/// `fault`, `control`, `http`, `parallel`, `expect_link`, `expect_outbox`,
/// `expect_deliveries`, `expect_received`) plus `name`, and for requests `expect` and `timeout_ms` (and `wait_ms` for http, paybylink and control).
enum ScenarioStepReader {
    static func read(_ object: JSONObject, index: Int, nested: Bool = false) throws(ConfigurationError) -> ScenarioStep {
        let kinds = ScenarioStep.Kind.allCases.filter { object[$0.rawValue] != nil }
        guard kinds.count == 1, let kind = kinds.first else {
            throw ConfigurationError(key: "", "give exactly one of " + ScenarioStep.Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if nested && (kind == .parallel || kind == .paymentPage || kind.rawValue.hasPrefix("expect") || object["customer"]?.stringValue == "3ds"
                       || ScenarioBrowser.bnplKeys.contains(where: { object[$0] != nil })) {
            throw ConfigurationError(key: kind.rawValue, "a parallel step runs single requests only (aps, paybylink, customer open, pay or fail, control, http)")
        }
        let r = JSONReader(object, path: "")
        var allowed: Set<String> = ["name", kind.rawValue]
        switch kind {
        case .aps: allowed.formUnion(["merchant", "credentials", "expect", "timeout_ms"])
        case .paymentPage: allowed.formUnion(["merchant", "credentials", "expect", "timeout_ms"] + ScenarioBrowser.customerKeys)
        case .customer where object["customer"]?.stringValue == "3ds": allowed.formUnion(["url", "3ds_code", "expect", "timeout_ms"])
        case .customer: allowed.formUnion(["link", "card_number", "expiry_date", "card_security_code", "card_holder_name", "payment_option",
                                           "phone_number", "otp", "3ds_code", "message_code", "expect", "timeout_ms"] + ScenarioBrowser.bnplKeys)
        case .control, .http, .paybylink: allowed.formUnion(["expect", "timeout_ms", "wait_ms"])
        case .parallel: allowed.insert("expect_any_order")
        default: break
        }
        try r.allowOnly(allowed)
        let name = try r.optionalString("name")
        if let name, name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) {
            throw ConfigurationError(key: "name", "use letters, digits, _ and - (it is referred to as ${\(name).field})")
        }
        if let expect = object["expect"] { try expectation(expect, path: "expect") }
        if let wait = object["wait_ms"] {
            guard case .number(let literal) = wait, let n = Int(literal), (0...60_000).contains(n) else {
                throw ConfigurationError(key: "wait_ms", "expected a whole number of milliseconds from 0 to 60000")
            }
            guard object["expect"] != nil else { throw ConfigurationError(key: "wait_ms", "waits for the step's expect, which is missing") }
        }
        if let timeout = object["timeout_ms"] {
            guard case .number(let literal) = timeout, let n = Int(literal), (1...120_000).contains(n) else {
                throw ConfigurationError(key: "timeout_ms", "expected a whole number of milliseconds from 1 to 120000")
            }
        }
        switch kind {
        case .aps:
            guard case .object? = object["aps"] else { throw ConfigurationError(key: "aps", "expected the request's parameters as an object") }
            if let credentials = object["credentials"], credentials != .bool(true), credentials != .bool(false) {
                throw ConfigurationError(key: "credentials", "expected true or false")
            }
        case .paymentPage:
            guard case .object? = object["payment_page"] else {
                throw ConfigurationError(key: "payment_page", "expected the form's parameters as an object")
            }
            if let credentials = object["credentials"], credentials != .bool(true), credentials != .bool(false) {
                throw ConfigurationError(key: "credentials", "expected true or false")
            }
            for key in ScenarioBrowser.customerKeys { _ = try r.optionalString(key) }
            _ = try r.optionalString("merchant")
            try ScenarioBrowser.checkBNPL(r)
        case .customer where object["customer"]?.stringValue == "3ds":
            guard try r.optionalString("url") != nil else { throw ConfigurationError(key: "url", "required: the challenge's address, e.g. ${pay.3ds_url}") }
            guard try r.optionalString("3ds_code") != nil else { throw ConfigurationError(key: "3ds_code", "required: the code typed into the challenge (1234 passes)") }
        case .customer:
            guard let action = try r.optionalString("customer"), ["open", "pay", "fail"].contains(action) else {
                throw ConfigurationError(key: "customer", "expected open, pay, fail or 3ds")
            }
            guard try r.optionalString("link") != nil else { throw ConfigurationError(key: "link", "required: the payment_link_id, e.g. ${create.payment_link_id}") }
            for key in ["card_number", "expiry_date", "card_security_code", "card_holder_name", "payment_option", "phone_number", "otp", "3ds_code", "message_code"] {
                _ = try r.optionalString(key)
            }
            if ScenarioBrowser.bnplKeys.contains(where: { object[$0] != nil }) {
                // The link's page in the browser: Tabby is the one provider checkout a link offers.
                guard action == "pay" else { throw ConfigurationError(key: "customer", "bnpl_* keys go with customer pay (the link's page, then Tabby's checkout)") }
                guard try r.optionalString("payment_option") == "TABBY" else {
                    throw ConfigurationError(key: "payment_option", "bnpl_* keys on a link need payment_option TABBY (links do not take Tamara)")
                }
                for key in ["card_number", "phone_number", "otp", "3ds_code", "message_code"] where object[key] != nil {
                    throw ConfigurationError(key: key, "not with bnpl_* keys: the customer pays with Tabby on the link's page")
                }
                try ScenarioBrowser.checkBNPL(r)
            }
        case .clock:
            guard case .object(let clock)? = object["clock"], clock.members.count == 1,
                  let key = clock.keys.first, ["advance_seconds", "set", "mode"].contains(key) else {
                throw ConfigurationError(key: "clock", "expected one of {\"advance_seconds\": N}, {\"set\": ISO8601}, {\"mode\": \"frozen\"|\"running\"}")
            }
        case .fault:
            guard case .object(let fault)? = object["fault"] else { throw ConfigurationError(key: "fault", "expected a fault object") }
            do { _ = try FaultJSON.fault(fault) } catch { throw ConfigurationError(key: "fault.\(error.path)", error.message) }
        case .control, .http, .paybylink:
            guard case .object(let request)? = object[kind.rawValue] else { throw ConfigurationError(key: kind.rawValue, "expected {method, path, …}") }
            let rr = JSONReader(request, path: kind.rawValue)
            try rr.allowOnly(kind == .control ? ["method", "path", "body"]
                             : kind == .paybylink ? ["method", "path", "body", "subscription_key"] : ["method", "path", "headers", "body", "form"])
            _ = try rr.optionalString("subscription_key")
            guard let method = try rr.optionalString("method"), ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"].contains(method) else {
                throw ConfigurationError(key: rr.path("method"), "expected GET, POST, PUT, DELETE, PATCH or HEAD")
            }
            guard let path = try rr.optionalString("path"), path.hasPrefix("/") else { throw ConfigurationError(key: rr.path("path"), "expected a path starting with /") }
            if kind == .control && !path.hasPrefix("/__sandbox/") { throw ConfigurationError(key: rr.path("path"), "control paths start with /__sandbox/") }
            if let headers = request["headers"] {
                guard case .object(let h) = headers, h.allSatisfy({ $0.value.stringValue != nil }) else {
                    throw ConfigurationError(key: rr.path("headers"), "expected an object of strings")
                }
            }
            if let form = request["form"] {
                guard case .object(let f) = form, f.allSatisfy({ $0.value.stringValue != nil }) else {
                    throw ConfigurationError(key: rr.path("form"), "expected an object of strings")
                }
                if request["body"] != nil { throw ConfigurationError(key: rr.path("form"), "give body or form, not both") }
            }
        case .parallel:
            guard case .array(let items)? = object["parallel"], items.count >= 2 else {
                throw ConfigurationError(key: "parallel", "expected a list of at least two request steps")
            }
            for (i, item) in items.enumerated() {
                guard case .object(let nestedStep) = item else { throw ConfigurationError(key: "parallel[\(i)]", "expected a step object") }
                do { _ = try read(nestedStep, index: i, nested: true) } catch {
                    throw ConfigurationError(key: "parallel[\(i)]" + (error.key.isEmpty ? "" : "." + error.key), error.message)
                }
            }
            if let expected = object["expect_any_order"] {
                guard case .array(let list) = expected, list.count == items.count else {
                    throw ConfigurationError(key: "expect_any_order", "expected one expectation per parallel request")
                }
                for (i, item) in list.enumerated() { try expectation(item, path: "expect_any_order[\(i)]") }
            }
        case .expectLink, .expectOutbox, .expectDeliveries, .expectReceived:
            guard case .object(let body)? = object[kind.rawValue] else { throw ConfigurationError(key: kind.rawValue, "expected an object") }
            let known: Set<String> = switch kind {
            case .expectLink: []  // any link field, plus link and failed_attempts
            case .expectOutbox: ["count", "channel", "recipient", "payment_link_id", "text_contains"]
            case .expectDeliveries: ["count", "state", "event", "payment_link_id", "attempts", "wait_ms"]
            default: ["count", "response_codes", "merchant_references", "signatures", "wait_ms"]
            }
            if kind == .expectLink {
                guard body["link"]?.stringValue != nil else { throw ConfigurationError(key: "expect_link.link", "required: the payment_link_id") }
                try ScenarioExpectationNames.checkLink(body)
            } else if let unknown = body.keys.first(where: { !known.contains($0) }) {
                throw ConfigurationError(key: "\(kind.rawValue).\(unknown)", "unknown (known: \(known.sorted().joined(separator: ", ")))")
            }
            if kind == .expectDeliveries { try ScenarioExpectationNames.checkDeliveryState(body["state"]) }
        }
        return ScenarioStep(index: index, name: name, kind: kind, object: object)
    }

    /// `{"status": 200, "transport": "response", "fields": {…}, "signature": "valid", "json": "valid", "body_contains": "…"}`.
    static func expectation(_ value: JSONValue, path: String) throws(ConfigurationError) {
        guard case .object(let object) = value else { throw ConfigurationError(key: path, "expected an object") }
        let r = JSONReader(object, path: path)
        try r.allowOnly(["status", "transport", "fields", "signature", "json", "body_contains"])
        if let status = object["status"] {
            guard case .number(let literal) = status, let n = Int(literal), (100...599).contains(n) else {
                throw ConfigurationError(key: r.path("status"), "expected an HTTP status code")
            }
        }
        if let transport = try r.optionalString("transport"), !["response", "closed", "truncated", "timeout"].contains(transport) {
            throw ConfigurationError(key: r.path("transport"), "expected response, closed, truncated or timeout")
        }
        for key in ["signature", "json"] {
            if let v = try r.optionalString(key), v != "valid", v != "invalid" { throw ConfigurationError(key: r.path(key), "expected valid or invalid") }
        }
        _ = try r.optionalString("body_contains")
        if let fields = object["fields"] {
            guard case .object(let named) = fields else { throw ConfigurationError(key: r.path("fields"), "expected an object of field expectations") }
            try ScenarioExpectationNames.checkFields(named, path: r.path("fields"))
        }
    }
}
