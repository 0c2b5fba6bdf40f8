#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// The `expect_link`, `expect_outbox`, `expect_deliveries` and `expect_received` steps: they
/// read the sandbox's control API (and the runner's receiver) the way a test would. The two
/// about notifications settle the sandbox first; with a running clock they look again, for up
/// to `wait_ms` (default 3000), for retries that real time makes due.
struct ScenarioStateChecks {
    let client: ScenarioClient
    let receiver: ScenarioReceiver
    let merchants: [Merchant]
    /// Runs the background work due now (`SandboxService.settle`).
    let settle: () -> Void

    func check(_ step: ScenarioStep, _ object: JSONObject) throws(StepFailure) {
        let body = object[step.kind.rawValue]?.objectValue ?? [:]
        let failure: (String, String)?
        switch step.kind {
        case .expectLink: failure = link(body)
        case .expectOutbox: failure = outbox(body)
        case .expectDeliveries: failure = waiting(body) { deliveries(body) }
        default: failure = waiting(body) { received(body) }
        }
        if let (expected, actual) = failure { throw StepFailure(step: step.label, expected: expected, actual: actual) }
    }

    private func get(_ path: String) -> JSONObject? {
        guard case .response(let response) = client.send(method: "GET", path: path, headers: [], body: [], timeoutMilliseconds: 10_000),
              let value = try? JSONParser.parse(response.body) else { return nil }
        return value.objectValue
    }

    private func waiting(_ body: JSONObject, _ check: () -> (String, String)?) -> (String, String)? {
        var waitMs = 3_000
        if case .number(let literal)? = body["wait_ms"], let n = Int(literal) { waitMs = n }
        settle()
        var failure = check()
        var waited = 0
        while failure != nil && waited < waitMs {
            usleep(20_000)
            waited += 20
            settle()
            failure = check()
        }
        return failure
    }

    /// `{"link": id, "payment_link_status": "Paid", "user_attempts_count": 1, "failed_attempts": 2, …}`:
    /// every field that differs is reported.
    private func link(_ body: JSONObject) -> (String, String)? {
        let id = body["link"]?.stringValue ?? ""
        // The 404 answer names the id too: only a 200 is the link.
        guard case .response(let response) = client.send(method: "GET", path: "/__sandbox/links/\(ScenarioRequests.formEscape(id))", headers: [], body: [],
                                                          timeoutMilliseconds: 10_000),
              response.status == 200, let link = (try? JSONParser.parse(response.body))?.objectValue else {
            // A setup link's name where its id belongs is the likely slip.
            let hint = id.allSatisfy(\.isNumber) ? "" : "; a setup link named \(id) is written ${\(id).payment_link_id}"
            return ("link \(id) to exist", "no link has payment_link_id \(id)\(hint)")
        }
        var failures: [(String, String)] = []
        for (name, wanted) in body where name != "link" {
            if name == "failed_attempts" {
                let count = link["failed_attempts"]?.arrayValue?.count ?? 0
                if String(count) != ScenarioExpectation.text(wanted) { failures.append(("\(ScenarioExpectation.text(wanted)) failed attempts", "\(count) failed attempts")) }
                continue
            }
            if let failure = ScenarioExpectation.compare(name, wanted, link[name]) { failures.append(failure) }
        }
        return ScenarioExpectation.joined(failures)
    }

    /// `{"count": 1, "channel": "SMS", "recipient": …, "payment_link_id": …, "text_contains": …}`.
    private func outbox(_ body: JSONObject) -> (String, String)? {
        var query: [String] = []
        for key in ["channel", "recipient", "payment_link_id"] {
            if let value = body[key]?.stringValue { query.append("\(key)=\(ScenarioRequests.formEscape(value))") }
        }
        guard let outbox = get("/__sandbox/outbox" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))) else { return ("the outbox", "no answer") }
        let messages = outbox["messages"]?.arrayValue?.compactMap(\.objectValue) ?? []
        var failures: [(String, String)] = []
        if let count = body["count"], String(messages.count) != ScenarioExpectation.text(count) {
            failures.append(("\(ScenarioExpectation.text(count)) outbox messages", "\(messages.count): " + messages.compactMap { $0["text"]?.stringValue }.joined(separator: " | ")))
        }
        if let needle = body["text_contains"]?.stringValue, !messages.contains(where: { $0["text"]?.stringValue?.contains(needle) == true }) {
            failures.append(("a message containing \"\(needle)\"", messages.compactMap { $0["text"]?.stringValue }.joined(separator: " | ")))
        }
        return ScenarioExpectation.joined(failures)
    }

    /// `{"count": 2, "state": "delivered", "event": "PURCHASE", "payment_link_id": …, "attempts": 4}`.
    private func deliveries(_ body: JSONObject) -> (String, String)? {
        guard let list = get("/__sandbox/deliveries")?["deliveries"]?.arrayValue?.compactMap(\.objectValue) else { return ("deliveries", "no answer") }
        let matched = list.filter { delivery in
            ["state", "event", "payment_link_id"].allSatisfy { key in body[key].map { delivery[key]?.stringValue == $0.stringValue } ?? true }
        }
        var failures: [(String, String)] = []
        if let count = body["count"], String(matched.count) != ScenarioExpectation.text(count) {
            failures.append(("\(ScenarioExpectation.text(count)) matching deliveries", "\(matched.count) of \(list.count): " + summary(list)))
        }
        if let attempts = body["attempts"] {
            let total = matched.reduce(0) { $0 + ($1["attempts"]?.arrayValue?.count ?? 0) }
            if String(total) != ScenarioExpectation.text(attempts) { failures.append(("\(ScenarioExpectation.text(attempts)) attempts", "\(total): " + summary(matched))) }
        }
        return ScenarioExpectation.joined(failures)
    }

    private func summary(_ deliveries: [JSONObject]) -> String {
        deliveries.map { d in
            "#\(d["id"].map(ScenarioExpectation.text) ?? "?") \(d["event"]?.stringValue ?? "") \(d["state"]?.stringValue ?? "") attempts=\(d["attempts"]?.arrayValue?.count ?? 0)"
        }.joined(separator: ", ")
    }

    /// `{"count": 2, "response_codes": ["13029", "14000"], "merchant_references": […], "signatures": "valid"}`:
    /// what the merchant's endpoint received, in arrival order. Like every check here, it
    /// reports all that differs, not only the first.
    private func received(_ body: JSONObject) -> (String, String)? {
        let payloads = receiver.requests.map { ScenarioReceiver.payload($0.body) }
        var failures: [(String, String)] = []
        if let count = body["count"], String(payloads.count) != ScenarioExpectation.text(count) {
            failures.append(("\(ScenarioExpectation.text(count)) notifications received", "\(payloads.count): " + codes(payloads).joined(separator: ", ")))
        }
        for (key, field) in [("response_codes", "response_code"), ("merchant_references", "merchant_reference")] {
            if let wanted = body[key]?.arrayValue?.map(ScenarioExpectation.text) {
                let actual = payloads.map { $0[field]?.stringValue ?? "-" }
                if actual != wanted { failures.append(("\(key) \(wanted)", "\(actual)")) }
            }
        }
        if body["signatures"]?.stringValue == "valid" {
            let unsigned = payloads.first { payload in
                guard let merchant = merchants.first(where: { $0.identifier == payload["merchant_identifier"]?.stringValue })?.account(signing: payload) else { return true }
                return merchant.signer.sign(payload, phrase: merchant.responsePhrase) != payload["signature"]?.stringValue
            }
            if let unsigned {
                failures.append(("every notification signed with the response phrase",
                                 "a signature that does not verify: \(unsigned["response_code"]?.stringValue ?? "")"))
            }
        }
        return ScenarioExpectation.joined(failures)
    }

    private func codes(_ payloads: [JSONObject]) -> [String] { payloads.map { $0["response_code"]?.stringValue ?? "-" } }
}
