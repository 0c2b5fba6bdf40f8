import PayLinkJSON
import PayLinkHTTP

/// Faults as JSON, the same in scenario files and `POST /__sandbox/faults`:
///
///     {"type": "delay", "milliseconds": 5000, "match": {"command": "PAYMENT_LINK"}, "times": 1}
///
/// Types: `delay` (`milliseconds`), `http_status` (`status`, `body`), `drop_connection`
/// (`when`: `before` | `after`), `truncated_body`, `malformed_json`, `wrong_signature`,
/// `response_code` (`response_code`), `slow_drip` (`bytes`, `interval_ms`),
/// `notification_fail`, `notification_duplicate`, `notification_delay` (`seconds`),
/// `notification_reorder`. `match` takes `dialect`, `command`, `path`, `payment_link_id`,
/// `merchant_reference`, `merchant_identifier`, `method`, `response_code` (the answer's or the
/// notification's; not with a fault that keeps the request from being processed). `times` (default 1) or `"times": null` for
/// every match; `probability` (0–1) with `seed` for a reproducible share of matches.
enum FaultJSON {
    static func fault(_ object: JSONObject) throws(FieldProblem) -> Fault {
        let r = JSONReader(object, path: "")
        try r.allowOnly(["type", "milliseconds", "status", "body", "when", "response_code", "bytes", "interval_ms", "seconds",
                         "match", "times", "probability", "seed"])
        guard let type = try r.optionalString("type") else { throw FieldProblem(path: "type", message: "required: the kind of fault") }
        let action: Fault.Action
        switch type {
        case "delay": action = .delay(milliseconds: try int(r, "milliseconds", 1...600_000))
        case "http_status":
            action = .httpStatus(try int(r, "status", 100...599), body: try r.optionalString("body") ?? "")
        case "drop_connection":
            switch try r.optionalString("when") ?? "before" {
            case "before": action = .dropConnection(afterProcessing: false)
            case "after": action = .dropConnection(afterProcessing: true)
            default: throw FieldProblem(path: "when", message: "must be before or after")
            }
        case "truncated_body": action = .truncatedBody
        case "malformed_json": action = .malformedJSON
        case "wrong_signature": action = .wrongSignature
        case "response_code":
            guard let code = try r.optionalString("response_code"), code.utf8.count == 5, code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw FieldProblem(path: "response_code", message: "required: a five-digit APS code such as 00006")
            }
            action = .responseCode(code)
        case "slow_drip":
            action = .slowDrip(bytes: try int(r, "bytes", 1...65_536, default: 16), intervalMilliseconds: try int(r, "interval_ms", 1...10_000, default: 100))
        case "notification_fail": action = .failNotification
        case "notification_duplicate": action = .duplicateNotification
        case "notification_delay": action = .delayNotification(seconds: try int(r, "seconds", 1...86_400))
        case "notification_reorder": action = .reorderNotification
        default:
            throw FieldProblem(path: "type", message: "unknown fault type \(type); use delay, http_status, drop_connection, truncated_body, malformed_json, wrong_signature, response_code, slow_drip, notification_fail, notification_duplicate, notification_delay or notification_reorder")
        }
        var fault = Fault(action: action, match: try match(try r.optionalObject("match")))
        // The answer's code is known only once the request was processed, too late to keep it from being.
        if fault.match.responseCode != nil && RequestFaults.replacesProcessing(action) {
            throw FieldProblem(path: "match.response_code", message: "a \(type) fault acts before the request is processed, when no response_code is known yet; match response_code with delay, drop_connection after, truncated_body, malformed_json, wrong_signature, slow_drip or a notification fault")
        }
        switch object["times"] {
        case nil: fault.times = object["probability"] == nil ? 1 : nil
        case .null?: fault.times = nil
        default: fault.times = try int(r, "times", 1...1_000_000)
        }
        if let value = object["probability"] {
            guard case .number(let literal) = value, let p = Double(literal), p > 0, p <= 1 else {
                throw FieldProblem(path: "probability", message: "must be a number above 0 and at most 1")
            }
            fault.probability = p
        }
        if object["seed"] != nil { fault.seed = UInt64(try int(r, "seed", 0...Int.max)) }
        return fault
    }

    private static func match(_ reader: JSONReader?) throws(FieldProblem) -> Fault.Match {
        guard let reader else { return Fault.Match() }
        var match = Fault.Match()
        for key in reader.object.keys {
            let text = try reader.string(key)
            switch key {
            case "dialect":
                guard ["aps", "paybylink", "hosted_page"].contains(text) else {
                    throw FieldProblem(path: "match.dialect", message: "must be aps, paybylink or hosted_page")
                }
                match.dialect = text
            case "command": match.command = text
            case "path": match.path = text
            case "payment_link_id": match.paymentLinkID = text
            case "merchant_reference": match.merchantReference = text
            case "merchant_identifier": match.merchantIdentifier = text
            case "method":
                guard !text.isEmpty, text.utf8.allSatisfy({ (65...90).contains($0) || (97...122).contains($0) }) else {
                    throw FieldProblem(path: "match.method", message: "must be an HTTP method such as GET or POST")
                }
                match.method = text.uppercased()
            case "response_code":
                guard text.utf8.count == 5, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                    throw FieldProblem(path: "match.response_code", message: "must be a five-digit APS code such as 14000")
                }
                match.responseCode = text
            default: throw FieldProblem(path: "match.\(key)", message: "unknown; use dialect, command, path, payment_link_id, merchant_reference, merchant_identifier, method or response_code")
            }
        }
        return match
    }

    private static func int(_ reader: JSONReader, _ name: String, _ range: ClosedRange<Int>, default fallback: Int? = nil) throws(FieldProblem) -> Int {
        guard let value = reader.object[name] else {
            if let fallback { return fallback }
            throw FieldProblem(path: name, message: "required: a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        guard case .number(let literal) = value, let n = Int(literal), range.contains(n) else {
            throw FieldProblem(path: name, message: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// An armed fault as `GET /__sandbox/faults` lists it.
    static func json(_ armed: FaultRegistry.Armed) -> JSONObject {
        var object: JSONObject = ["id": .string(armed.id)]
        switch armed.fault.action {
        case .delay(let ms): object["type"] = "delay"; object["milliseconds"] = .number(String(ms))
        case .httpStatus(let status, let body): object["type"] = "http_status"; object["status"] = .number(String(status)); object["body"] = .string(body)
        case .dropConnection(let after): object["type"] = "drop_connection"; object["when"] = after ? "after" : "before"
        case .truncatedBody: object["type"] = "truncated_body"
        case .malformedJSON: object["type"] = "malformed_json"
        case .wrongSignature: object["type"] = "wrong_signature"
        case .responseCode(let code): object["type"] = "response_code"; object["response_code"] = .string(code)
        case .slowDrip(let bytes, let interval):
            object["type"] = "slow_drip"; object["bytes"] = .number(String(bytes)); object["interval_ms"] = .number(String(interval))
        case .failNotification: object["type"] = "notification_fail"
        case .duplicateNotification: object["type"] = "notification_duplicate"
        case .delayNotification(let seconds): object["type"] = "notification_delay"; object["seconds"] = .number(String(seconds))
        case .reorderNotification: object["type"] = "notification_reorder"
        }
        let m = armed.fault.match
        var match: JSONObject = [:]
        for (key, value) in [("dialect", m.dialect), ("command", m.command), ("path", m.path), ("payment_link_id", m.paymentLinkID),
                             ("merchant_reference", m.merchantReference), ("merchant_identifier", m.merchantIdentifier),
                             ("method", m.method), ("response_code", m.responseCode)] {
            if let value { match[key] = .string(value) }
        }
        object["match"] = .object(match)
        object["remaining"] = armed.remaining.map { .number(String($0)) } ?? .null
        if let p = armed.fault.probability { object["probability"] = .number(String(p)); object["seed"] = .number(String(armed.fault.seed)) }
        object["hits"] = .number(String(armed.hits))
        return object
    }
}
