import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// Saved cards for the developer: `GET /__sandbox/tokens`.
extension ControlAPI {
    /// Every token, oldest first, as the state snapshot writes it plus `card_bin`; only masked
    /// card numbers, as everywhere. `?merchant_identifier=` keeps one merchant's.
    func listTokens(_ request: HTTPRequest) -> HTTPResponse {
        var merchant: String?
        for (name, value) in QueryParameters.parse(request.query) {
            guard name == "merchant_identifier" else {
                return JSONResponses.error(400, "invalid_query", "unknown filter \(name); use merchant_identifier", extra: ["field": .string(name)])
            }
            merchant = value
        }
        let tokens = state.tokens.all().filter { merchant == nil || $0.merchantIdentifier == merchant }
        return JSONResponses.ok(array: tokens.map { token in
            var object = TokenStateJSON.encode(token).objectValue ?? [:]
            object["card_bin"] = .string(token.cardBin)
            return .object(object)
        })
    }
}
