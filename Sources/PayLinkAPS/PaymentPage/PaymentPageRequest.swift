import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
import PayLinkSupport

/// A browser's form POST to `/FortAPI/paymentPage`, as sent: values untrimmed (the signature
/// covers them byte for byte), each name once. The hosted checkout (`command`) and the
/// Merchant Page (`service_command=TOKENIZATION`) both start from it.
package struct PaymentPageRequest: Sendable {
    /// Every parameter, in the order sent.
    package let parameters: JSONObject
    /// The address of the browser that posted the form (`customer_ip` when none is sent).
    package let customerIP: String

    /// Why a form cannot be read at all (not urlencoded, a name twice).
    package struct Unreadable: Error, Sendable {
        package let detail: String
    }

    package init(_ request: HTTPRequest) throws(Unreadable) {
        let body = String(decoding: request.body, as: UTF8.self)
        var object = JSONObject()
        for (name, value) in QueryParameters.parse(body) {
            guard !name.isEmpty else { continue }
            guard object[name] == nil else { throw Unreadable(detail: "parameter \(name) appears more than once") }
            object[name] = .string(value)
        }
        parameters = object
        customerIP = CustomerIP.of(request)
    }

    package init(parameters: JSONObject, customerIP: String) {
        self.parameters = parameters
        self.customerIP = customerIP
    }

    /// The value sent, or nil when absent or empty.
    package subscript(name: String) -> String? {
        guard let value = parameters[name]?.stringValue, !value.isEmpty else { return nil }
        return value
    }

    /// The merchant the form names, when configured.
    package func merchant(in context: APSContext) -> Merchant? {
        self["merchant_identifier"].flatMap { context.merchants[$0] }
    }

    /// Checks the signature with the merchant's request phrase over every parameter but
    /// `signature` and those in one of `exclusions` (the Merchant Page leaves the card fields
    /// out). Each set of exclusions is tried in turn: where sources disagree on what is left
    /// out, a form signed either way passes. Returns the failed check (for the journal and
    /// the 008 explanation), nil when the signature is right.
    package func signatureFailure(merchant: Merchant, context: APSContext,
                                  exclusions: [[String]] = [[]]) -> SignatureCheck? {
        let provided = self["signature"] ?? ""
        var first: APSSigner.Verification?
        for excluded in exclusions {
            var signed = parameters
            for name in excluded { signed[name] = nil }
            let verification = merchant.signer.verify(signed, phrase: merchant.requestPhrase, provided: provided,
                                                      emptyValues: context.emptyValues)
            if verification.isValid { return nil }
            if first == nil { first = verification }
        }
        guard let first else { return nil }
        return SignatureCheck(merchantIdentifier: merchant.identifier, shaType: merchant.shaType, verification: first, provided: provided)
    }
}
