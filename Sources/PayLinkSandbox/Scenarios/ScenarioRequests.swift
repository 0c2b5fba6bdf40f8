import PayLinkSupport
import PayLinkCore
import PayLinkJSON
import Synchronization

/// The HTTP request each kind of step sends (after its placeholders are filled in).
enum ScenarioRequests {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [(String, String)]
        var body: [UInt8]
    }

    static let json = [("Content-Type", "application/json")]

    static func request(for kind: ScenarioStep.Kind, _ step: JSONObject, merchants: [Merchant],
                        payByLink: PayByLinkSettings = PayByLinkSettings()) -> Request {
        switch kind {
        case .aps: return aps(step, merchants: merchants)
        case .customer:
            let action = step["customer"]?.stringValue ?? "pay"
            let link = step["link"]?.stringValue ?? ""
            var body = JSONObject()
            for key in ["card_number", "expiry_date", "card_security_code", "card_holder_name", "payment_option", "phone_number", "otp",
                        "3ds_code", "message_code"] {
                if let value = step[key] { body[key] = value }
            }
            return Request(method: "POST", path: "/__sandbox/links/\(link)/\(action)", headers: json, body: body.serialized())
        case .clock: return Request(method: "POST", path: "/__sandbox/clock", headers: json, body: (step["clock"] ?? .object([:])).serialized())
        case .fault: return Request(method: "POST", path: "/__sandbox/faults", headers: json, body: (step["fault"] ?? .object([:])).serialized())
        case .control, .http: return plain(step[kind.rawValue]?.objectValue ?? [:])
        case .paybylink: return payByLinkRequest(step["paybylink"]?.objectValue ?? [:], settings: payByLink)
        default: return Request(method: "GET", path: "/__sandbox/health", headers: [], body: [])
        }
    }

    /// An APS request: credentials added unless `"credentials": false`, signed with the
    /// merchant's request phrase unless the parameters carry a `signature`.
    static func aps(_ step: JSONObject, merchants: [Merchant]) -> Request {
        var params = step["aps"]?.objectValue ?? [:]
        let identifier = step["merchant"]?.stringValue ?? params["merchant_identifier"]?.stringValue
        // An Apple Pay payment is signed with the merchant's Apple Pay credentials.
        let merchant = (merchants.first { $0.identifier == identifier } ?? merchants[0]).account(signing: params)
        if step["credentials"] != .bool(false) {
            if params["merchant_identifier"] == nil { params["merchant_identifier"] = .string(merchant.identifier) }
            if params["access_code"] == nil { params["access_code"] = .string(merchant.accessCode) }
        }
        if params["signature"] == nil { params["signature"] = .string(merchant.signer.sign(params, phrase: merchant.requestPhrase)) }
        return Request(method: "POST", path: "/FortAPI/paymentApi", headers: json, body: params.serialized())
    }

    /// A PayByLink call: `path` under the base path, with the subscription key (the step's
    /// `subscription_key`, else the first configured one) and a JSON body.
    static func payByLinkRequest(_ request: JSONObject, settings: PayByLinkSettings) -> Request {
        var plainRequest = request
        plainRequest["path"] = .string(settings.basePath + (request["path"]?.stringValue ?? "/"))
        plainRequest["subscription_key"] = nil
        var built = plain(plainRequest)
        let key = request["subscription_key"]?.stringValue ?? settings.subscriptionKeys.first ?? ""
        built.headers.append(("Ocp-Apim-Subscription-Key", key))
        return built
    }

    static func plain(_ request: JSONObject) -> Request {
        let method = request["method"]?.stringValue ?? "GET"
        let path = request["path"]?.stringValue ?? "/"
        var headers: [(String, String)] = request["headers"]?.objectValue?.compactMap { key, value in value.stringValue.map { (key, $0) } } ?? []
        var body: [UInt8] = []
        if let form = request["form"]?.objectValue {
            body = Array(form.map { key, value in formEscape(key) + "=" + formEscape(value.stringValue ?? "") }.joined(separator: "&").utf8)
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        } else if let value = request["body"] {
            if case .string(let text) = value {
                body = Array(text.utf8)
            } else {
                body = value.serialized()
                if !headers.contains(where: { $0.0.lowercased() == "content-type" }) { headers += json }
            }
        }
        return Request(method: method, path: path, headers: headers, body: body)
    }

    static func formEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "*"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out += "+"
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }
}

/// One slot per parallel request, filled from several threads.
final class ResultSlots: Sendable {
    private let slots: Mutex<[ScenarioClient.Outcome?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func store(_ index: Int, _ outcome: ScenarioClient.Outcome) { slots.withLock { $0[index] = outcome } }

    var all: [ScenarioClient.Outcome] { slots.withLock { $0.map { $0 ?? .failed("no outcome") } } }
}
