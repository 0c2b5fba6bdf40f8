import PayLinkCore
@testable import PayLinkAPS
import PayLinkJSON

/// Builds an APS response: the request's parameters echoed ("every parameter the Merchant
/// sends in the Request should be received by the Merchant in the Response"), the command's
/// own fields, the code, and a signature with the merchant's response phrase.
///
/// All values go out as JSON strings. Empty values are left out, so the response signature is
/// the same whether a client's verifier includes `name=` for empties or not.
///
/// The readable reference the sandbox's one writer, the fast `APSResponseWriter`, is held
/// byte-identical to; it lives with the tests only.
enum APSResponseBuilder {
    static func build(echoing request: JSONObject, fields: [(String, String)], code: APSResponseCode,
                      merchant: Merchant?) -> JSONObject {
        var members: [JSONObject.Member] = []
        members.reserveCapacity(request.count + fields.count + 4)
        // Request keys are unique (duplicates are refused before this), so echoing appends.
        for (key, value) in request where key != "signature" {
            switch value {
            case .string(let s) where !s.isEmpty: members.append(.init(key: key, value: .string(s)))
            case .number(let literal): members.append(.init(key: key, value: .string(CanonicalString.plainNumber(literal))))
            case .bool(let b): members.append(.init(key: key, value: .string(b ? "true" : "false")))
            case .array, .object: members.append(.init(key: key, value: value))
            default: continue
            }
        }
        var response = JSONObject(members)
        for (key, value) in fields where !value.isEmpty { response[key] = .string(value) }
        response["response_code"] = .string(code.code)
        response["response_message"] = .string(code.responseMessage)
        response["status"] = .string(code.status)
        if let merchant {
            response["signature"] = .string(merchant.signer.sign(response, phrase: merchant.responsePhrase))
        }
        return response
    }
}
