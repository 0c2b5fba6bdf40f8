import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// PayByLink subscription keys at run time: `GET|POST /__sandbox/paybylink/subscription-keys`,
/// `DELETE /__sandbox/paybylink/subscription-keys/{key}`. A key added is accepted in
/// `Ocp-Apim-Subscription-Key` from the next request; a configured key cannot be deleted.
extension ControlAPI {
    /// Every key accepted, the configured ones first.
    func listSubscriptionKeys() -> HTTPResponse {
        JSONResponses.ok(["subscription_keys": .array(subscriptionKeys.all.map { .string($0) })])
    }

    /// `{"subscription_key": "…"}`: 201; 409 when the sandbox has it already.
    func addSubscriptionKey(_ request: HTTPRequest) -> HTTPResponse {
        let body: JSONObject
        do { body = try JSONResponses.objectBody(request) } catch { return error.response }
        if let unknown = body.keys.first(where: { $0 != "subscription_key" }) {
            return JSONResponses.error(400, "invalid_field", "unknown field \(unknown); send {\"subscription_key\": …}", extra: ["field": .string(unknown)])
        }
        guard case .string(let key)? = body["subscription_key"], !key.isEmpty, key.utf8.count <= 256,
              key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            return JSONResponses.error(400, "invalid_field", "subscription_key must be 1 to 256 visible ASCII characters (it travels in a header)",
                                       extra: ["field": "subscription_key"])
        }
        do { try subscriptionKeys.add(key) } catch {
            return JSONResponses.error(409, "subscription_key_exists", "the sandbox accepts \(key) already", extra: ["subscription_key": .string(key)])
        }
        return JSONResponses.ok(["subscription_key": .string(key)], status: 201)
    }

    /// Deletes a key added at run time; answers the keys left.
    func deleteSubscriptionKey(_ encoded: String) -> HTTPResponse {
        // A path segment: percent-decoded, `+` kept as it is.
        let key = encoded.split(separator: "+", omittingEmptySubsequences: false).map(QueryParameters.decode).joined(separator: "+")
        do { try subscriptionKeys.remove(key) } catch {
            switch error {
            case .configured:
                return JSONResponses.error(409, "subscription_key_configured", "\(key) comes from the configuration and cannot be deleted",
                                           extra: ["subscription_key": .string(key)])
            case .notFound, .exists:
                return JSONResponses.error(404, "subscription_key_not_found", "no subscription key \(key)", extra: ["subscription_key": .string(key)])
            }
        }
        return listSubscriptionKeys()
    }
}
