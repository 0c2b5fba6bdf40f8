import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// What the two APS batch endpoints share: the batch field rules, merchant
/// authentication and signature checking as on `/FortAPI/paymentApi`, and the JSON answer
/// (always HTTP 200; the outcome in `response_code`; the reason in `X-Sandbox-Detail`).
enum APSBatchRequest {
    /// `batch_reference`: alphanumeric, 20, with `- _ . /`.
    static let batchReference = APSFieldRule("batch_reference", .alphanumeric, 20, specials: "-_./")
    static let batchID = APSFieldRule("batch_id", .numeric, 20)

    /// The batch engine's owner for a merchant, prefixed apart from PayByLink subscriptions.
    static func owner(_ merchant: Merchant) -> Owner { .apsMerchant(merchant.identifier) }

    /// Checks the command, the merchant, its access code and the signature over `parameters`
    /// (every field but `signature`; for an upload, the file is not a parameter).
    static func authenticate(_ parameters: APSParameters, commands: [String], context: APSContext) throws(APSFailure) -> (command: String, merchant: Merchant) {
        try parameters.requireScalar(["service_command", "merchant_identifier", "access_code", "signature", "batch_reference", "language", "batch_id"])
        let command = try parameters.required("service_command")
        guard commands.contains(command) else {
            throw APSFailure(message: "004", detail: "service_command \(command) is not one of \(commands.joined(separator: ", ")) on this endpoint")
        }
        let identifier = try parameters.required("merchant_identifier")
        try APSFields.merchantIdentifier.check(identifier)
        guard let merchant = context.merchants[identifier] else {
            throw APSFailure(message: "009", detail: "no merchant \(identifier) is configured")
        }
        let accessCode = try parameters.required("access_code")
        guard accessCode == merchant.accessCode else {
            throw APSFailure(message: "010", detail: "access_code does not match merchant \(merchant.identifier)")
        }
        let provided = try parameters.required("signature")
        let verification = merchant.signer.verify(parameters.object, phrase: merchant.requestPhrase, provided: provided, emptyValues: context.emptyValues)
        guard verification.isValid else {
            throw APSFailure(message: "008", detail: "signature mismatch: expected \(verification.expectedSignature) (\(merchant.shaType.rawValue)) over \(verification.redactedCanonicalString)")
        }
        return (command, merchant)
    }

    /// The `batch_reference` and `language` every batch command carries.
    static func referenceAndLanguage(_ parameters: APSParameters) throws(APSFailure) -> (reference: String, language: String) {
        let reference = try parameters.required("batch_reference")
        try batchReference.check(reference)
        let language = try APSValues.language(try parameters.required("language"))
        return (reference, language)
    }

    /// The answer: the request echoed, `fields`, then `batch_results` when given, the code, and
    /// the signature when the merchant is known.
    static func reply(echoing object: JSONObject, fields: [(String, String)] = [], results: APSLargeText? = nil, code: APSResponseCode,
                      merchant: Merchant?, detail: String? = nil) -> HTTPResponse {
        var writer = APSResponseWriter(echoing: object)
        writer.add(fields)
        if let results { writer.set("batch_results", large: results) }
        let body = writer.finish(code: code, merchant: merchant)
        var response = HTTPResponse(status: 200, headers: JSONResponses.jsonHeaders, body: body)
        if let detail = detail ?? APSEndpoint.detail(unexplained: code) {
            response.headers.add(name: SandboxDetail.header, value: SandboxDetail.encode(detail))
        }
        return response
    }
}
