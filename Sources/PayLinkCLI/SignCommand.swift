import PayLinkCore
import PayLinkJSON
import PayLinkCrypto
import PayLinkSupport

/// `paylink-sandbox sign`: prints the canonical string and the signature of a JSON object of
/// APS parameters, so a user can diff them against their own client's.
enum SignCommand {
    static let help = """
        USAGE: paylink-sandbox sign [--phrase P] [--sha-type TYPE] [--signature S] [FILE|-]

        Reads a JSON object of APS parameters from FILE (or standard input) and prints the
        string APS hashes (every parameter but signature, sorted by name, name=value joined,
        the phrase at both ends) and its signature in lowercase hex. If the object carries a
        signature (or --signature gives one), says whether it matches (either hex case) and
        exits with status 1 when it does not.

        OPTIONS:
          --phrase P       SHA request (or response) phrase (default: the demo merchant's
                           request phrase, request-secret).
          --sha-type TYPE  SHA-256 (default), SHA-512, HMAC-SHA256 or HMAC-SHA512.
          --signature S    The signature to check, instead of the object's own.
          --help           Show this help.
        """

    static func main(_ arguments: [String], output: TextOutput, standardInput: () -> [UInt8] = readStandardInput) -> Int32 {
        let parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(arguments, valued: ["phrase", "sha-type", "signature"], flags: ["help"])
        } catch {
            output.error("paylink-sandbox sign: \(error)\n\n\(help)")
            return 64
        }
        if parsed.flags.contains("help") { output.out(help); return 0 }
        guard parsed.positionals.count <= 1 else {
            output.error("paylink-sandbox sign: give at most one FILE")
            return 64
        }
        let phrase = parsed.value("phrase") ?? Merchant.demo.requestPhrase
        let typeName = parsed.value("sha-type") ?? "SHA-256"
        guard let algorithm = SignatureAlgorithm(name: typeName) else {
            output.error("paylink-sandbox sign: --sha-type must be SHA-256, SHA-512, HMAC-SHA256 or HMAC-SHA512, got '\(typeName)'")
            return 64
        }
        let bytes: [UInt8]
        let source = parsed.positionals.first ?? "-"
        if source == "-" {
            bytes = standardInput()
        } else {
            guard let data = FileInput.contents(atPath: source) else {
                output.error("paylink-sandbox sign: cannot read \(source)")
                return 66
            }
            bytes = data
        }
        let object: JSONObject
        do {
            guard case .object(let parsedObject) = try JSONParser.parse(bytes) else {
                output.error("paylink-sandbox sign: the input must be a JSON object of parameters")
                return 65
            }
            object = parsedObject
        } catch {
            output.error("paylink-sandbox sign: \(error)")
            return 65
        }
        let given = parsed.value("signature") ?? object["signature"].map(Self.text)
        for line in report(object, phrase: phrase, algorithm: algorithm, given: given) { output.out(line) }
        // A script can check a signature by the exit status alone, as with `cmp`.
        guard let given else { return 0 }
        return verification(object, phrase: phrase, algorithm: algorithm, given: given).isValid ? 0 : 1
    }

    private static func verification(_ object: JSONObject, phrase: String, algorithm: SignatureAlgorithm, given: String) -> APSSigner.Verification {
        APSSigner(algorithm: algorithm).verify(object, phrase: phrase, provided: given, emptyValues: .either)
    }

    /// The lines `sign` prints. With empty-valued parameters, both conventions are shown,
    /// since clients differ on them. `given`: the signature to check (default: the object's).
    static func report(_ object: JSONObject, phrase: String, algorithm: SignatureAlgorithm, given: String? = nil) -> [String] {
        let signer = APSSigner(algorithm: algorithm)
        let hasEmpty = object.members.contains { $0.key != "signature" && ($0.value == .null || $0.value == .string("")) }
        var lines = [
            "sha_type: \(algorithm.rawValue)",
            "canonical string: \(CanonicalString.string(for: object, phrase: phrase, includeEmpty: false))",
            "signature: \(signer.sign(object, phrase: phrase, includeEmpty: false))",
        ]
        if hasEmpty {
            lines.append("canonical string (empty values included as name=): \(CanonicalString.string(for: object, phrase: phrase, includeEmpty: true))")
            lines.append("signature (empty values included): \(signer.sign(object, phrase: phrase, includeEmpty: true))")
        }
        if let provided = given ?? object["signature"].map(Self.text) {
            let verification = verification(object, phrase: phrase, algorithm: algorithm, given: provided)
            lines.append("given signature: \(provided) \(verification.isValid ? "matches" : "does NOT match")")
        }
        return lines
    }

    /// A signature as the object carries it: a string as is; anything else (a number, a list)
    /// as its JSON text, which is then checked (and fails) like any wrong signature.
    static func text(_ value: JSONValue) -> String {
        value.stringValue ?? String(decoding: value.serialized(), as: UTF8.self)
    }

    static func readStandardInput() -> [UInt8] {
        FileInput.readToEnd(0) ?? []
    }
}
