import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// The signature debugger's work: a pasted request (a JSON object, or form parameters
/// `name=value&…`, one a line also) checked as the APS endpoint checks it, with the same code
/// (`APSSigner`, `CanonicalString`) that `paylink-sandbox sign` and the 008 detail use. The
/// phrase is never shown: the canonical string has `[phrase]` in its place.
struct SignatureDebugger {
    /// Whose phrase signs the text: a merchant's request phrase (what a client signs with) or
    /// response phrase (what the sandbox signs its answers and feedback with), or one typed in.
    struct Key {
        var label: String
        var phrase: String
        var algorithm: SignatureAlgorithm
    }

    /// What the check found.
    struct Report {
        var parameters: JSONObject
        var algorithm: SignatureAlgorithm
        /// The canonical string with the phrase redacted, and its signature, per empty-value
        /// convention (omit first; include too when some value is empty).
        var conventions: [(name: String, canonical: String, signature: String)]
        var given: String?
        var matches: Bool?
    }

    struct Problem: Error { var message: String }

    let emptyValues: EmptyValuePolicy

    /// The parameters of a pasted request: a JSON object, or form parameters.
    static func parameters(_ text: String) throws(Problem) -> JSONObject {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else { throw Problem(message: "Paste a request: a JSON object, or form parameters such as service_command=PAYMENT_LINK&amount=100.") }
        if trimmed.hasPrefix("{") {
            do {
                guard case .object(let object) = try JSONParser.parse(Array(trimmed.utf8)) else { throw Problem(message: "The request must be a JSON object.") }
                return object
            } catch let problem as Problem {
                throw problem
            } catch {
                throw Problem(message: "Not valid JSON: \(error).")
            }
        }
        let joined = trimmed.split(whereSeparator: \.isNewline).map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }.joined(separator: "&")
        let pairs = QueryParameters.parse(joined)
        guard !pairs.isEmpty, pairs.allSatisfy({ !$0.name.isEmpty }), joined.contains("=") else {
            throw Problem(message: "Neither a JSON object nor form parameters (name=value joined by & or one a line).")
        }
        var object = JSONObject()
        for (name, value) in pairs where object[name] == nil { object[name] = .string(value) }
        return object
    }

    func check(_ parameters: JSONObject, key: Key, signature override: String?) -> Report {
        let signer = APSSigner(algorithm: key.algorithm)
        let hasEmpty = parameters.members.contains { $0.key != "signature" && CanonicalString.isEmpty($0.value) }
        var conventions = [("empty values left out", false)]
        if hasEmpty { conventions.append(("empty values included as name=", true)) }
        let given = override ?? parameters["signature"].map { $0.stringValue ?? String(decoding: $0.serialized(), as: UTF8.self) }
        return Report(parameters: parameters, algorithm: key.algorithm,
                      conventions: conventions.map { name, includeEmpty in
                          (name, "[phrase]" + CanonicalString.pairs(of: parameters, includeEmpty: includeEmpty) + "[phrase]",
                           signer.sign(parameters, phrase: key.phrase, includeEmpty: includeEmpty))
                      },
                      given: given,
                      matches: given.map { signer.verify(parameters, phrase: key.phrase, provided: $0, emptyValues: emptyValues).isValid })
    }
}
