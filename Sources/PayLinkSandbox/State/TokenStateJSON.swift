import PayLinkCore
import PayLinkJSON

/// The saved cards (`CardToken`) in a state snapshot: a top-level list `tokens`, oldest first,
/// each under APS's own field names. It came later within version 1: a snapshot without it has
/// no tokens. `card_bin` came later still: without it, the masked number's first digits. Like every part of a snapshot, a token carries only the masked card number.
///
/// ```json
/// "tokens": [{"token_name": "1f0e…", "merchant_identifier": "Shop1", "card_number": "400555******0001",
///   "card_bin": "400555", "card_brand": "VISA", "expiry_date": "2705", "card_holder_name": "Jane Doe",
///   "token_status": "ACTIVE", "creation_date": "2026-01-01T00:00:00.000Z"}]
/// ```
enum TokenStateJSON {
    static let keys = ["token_name", "merchant_identifier", "card_number", "card_bin", "card_brand", "expiry_date", "card_holder_name",
                       "token_status", "creation_date"]
    static let statuses = CardToken.Status.allCases.map { ($0.rawValue, $0) }

    static func encode(_ token: CardToken) -> JSONValue {
        [
            "token_name": .string(token.name), "merchant_identifier": .string(token.merchantIdentifier),
            "card_number": .string(token.maskedCardNumber), "card_bin": .string(token.cardBin), "card_brand": .string(token.brand),
            "expiry_date": .string(token.expiryDate), "card_holder_name": StateValues.string(token.cardHolderName),
            "token_status": .string(token.status.rawValue), "creation_date": StateValues.instant(token.createdAt),
        ]
    }

    static func encode(_ tokens: [CardToken]) -> JSONValue { .array(tokens.map(encode)) }

    static func decode(_ value: JSONValue, path: String) throws(StateImportError) -> CardToken {
        let r = try JSONReader(value, path: path, keys: keys)
        guard let masked = try r.maskedCardNumber("card_number") else { throw r.failure("card_number", "is required") }
        return CardToken(name: try r.string("token_name"), merchantIdentifier: try r.string("merchant_identifier"),
                         maskedCardNumber: masked, cardBin: try r.optionalString("card_bin"), brand: try r.string("card_brand"), expiryDate: try r.string("expiry_date"),
                         cardHolderName: try r.optionalString("card_holder_name"), status: try r.choice("token_status", statuses),
                         createdAt: try r.instant("creation_date"))
    }

    /// The list, each name once.
    static func decodeList(_ value: JSONValue, path: String) throws(StateImportError) -> [CardToken] {
        guard case .array(let elements) = value else { throw StateImportError(path: path, message: "expected a list") }
        var tokens: [CardToken] = [], seen = Set<String>()
        for (i, element) in elements.enumerated() {
            let token = try decode(element, path: "\(path)[\(i)]")
            guard seen.insert(token.name).inserted else {
                throw StateImportError(path: "\(path)[\(i)].token_name", message: "\(token.name) appears twice")
            }
            tokens.append(token)
        }
        return tokens
    }
}
