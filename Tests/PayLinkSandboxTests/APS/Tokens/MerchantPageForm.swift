import Foundation
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// A Merchant Page (TOKENIZATION) form as a merchant's page posts it: the signed hidden fields
/// and the card fields the customer typed, signed with `signed` (the names the signature covers;
/// by default every field but the docs' five card fields).
struct MerchantPageForm {
    static let cardFieldNames: Set<String> = ["card_number", "expiry_date", "card_security_code", "card_holder_name", "remember_me"]

    var fields: [(String, String)]

    init(reference: String = "tok-1", returnURL: String? = "https://shop.example/return", tokenName: String? = nil,
         card: [(String, String)] = MerchantPageForm.goodCard, extra: [(String, String)] = [], merchant: Merchant = .demo) {
        fields = [("access_code", merchant.accessCode), ("merchant_identifier", merchant.identifier),
                  ("service_command", "TOKENIZATION"), ("merchant_reference", reference), ("language", "en")]
        if let returnURL { fields.append(("return_url", returnURL)) }
        if let tokenName { fields.append(("token_name", tokenName)) }
        fields += extra + card
    }

    static let goodCard = [("card_number", "4005550000000001"), ("expiry_date", "3005"), ("card_security_code", "123"),
                           ("card_holder_name", "Test Customer"), ("remember_me", "YES")]

    func replacing(_ name: String, with value: String?) -> MerchantPageForm {
        var copy = self
        copy.fields.removeAll { $0.0 == name }
        if let value { copy.fields.append((name, value)) }
        return copy
    }

    /// The fields plus `signature` over those `isSigned` keeps, with the merchant's request phrase.
    func signed(_ merchant: Merchant = .demo, isSigned: (String) -> Bool = { !MerchantPageForm.cardFieldNames.contains($0) }) -> [(String, String)] {
        let object = JSONObject(fields.filter { isSigned($0.0) }.map { JSONObject.Member(key: $0.0, value: .string($0.1)) })
        return fields + [("signature", merchant.signer.sign(object, phrase: merchant.requestPhrase))]
    }

    /// Posts the fields to `/FortAPI/paymentPage` and reads the form back to the merchant.
    static func post(_ aps: APSTestClient, _ fields: [(String, String)]) throws -> Answer {
        let body = fields.map { "\(HostedPageTests.formEncode($0.0))=\(HostedPageTests.formEncode($0.1))" }.joined(separator: "&")
        let response = try aps.http.request("POST", "/FortAPI/paymentPage", body: Array(body.utf8),
                                            headers: [("Content-Type", "application/x-www-form-urlencoded")])
        return Answer(http: response, fields: HostedPageTests.hiddenFields(response.text))
    }

    /// The page's answer: the hidden fields of the form posted back to `return_url`.
    struct Answer {
        var http: HTTPTestClient.Response
        var fields: [(String, String)]
        subscript(name: String) -> String? { fields.first { $0.0 == name }?.1 }
        var code: String? { self["response_code"] }
        var object: JSONObject { JSONObject(fields.map { JSONObject.Member(key: $0.0, value: .string($0.1)) }) }
        var detail: String? { http.header("X-Sandbox-Detail") }

        /// The signature is the response phrase's over every other field.
        func isSigned(by merchant: Merchant = .demo) -> Bool {
            var unsigned = object
            unsigned["signature"] = nil
            return self["signature"] == merchant.signer.sign(unsigned, phrase: merchant.responsePhrase)
        }

        /// The form's action.
        var action: String? {
            guard let range = http.text.range(of: #"<form id="return" method="post" action=""#) else { return nil }
            let rest = http.text[range.upperBound...]
            return rest.firstIndex(of: "\"").map { HostedPageTests.unescape(String(rest[..<$0])) }
        }
    }
}
