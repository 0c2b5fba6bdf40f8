import PayLinkCore
import PayLinkJSON

/// A request signature the endpoint found wrong (008), as it checked it: what a developer
/// needs to diff against their own signing, kept by the journal rather than computed again
/// when the journal is read.
///
/// A class (immutable, so it shares like a value): every answer carries an optional one from
/// the endpoint to the journal, nearly always nil, and an optional struct of strings was copied
/// and destroyed through `Optional`'s generic value witness at each step (about 90 and 60
/// instructions); an optional reference is a retain or release that skips nil.
package final class SignatureCheck: Sendable {
    package let merchantIdentifier: String
    package let shaType: SignatureAlgorithm
    package let verification: APSSigner.Verification
    /// The signature the request carried.
    package let provided: String

    package init(merchantIdentifier: String, shaType: SignatureAlgorithm, verification: APSSigner.Verification, provided: String) {
        self.merchantIdentifier = merchantIdentifier
        self.shaType = shaType
        self.verification = verification
        self.provided = provided
    }

    /// `signature_debug` in `GET /__sandbox/journal`: the canonical string the sandbox
    /// expected (phrase redacted), the signature it computed and the one the request carried.
    package var json: JSONObject {
        [
            "merchant_identifier": .string(merchantIdentifier), "sha_type": .string(shaType.rawValue),
            "expected_canonical_string": .string(verification.redactedCanonicalString),
            "expected_signature": .string(verification.expectedSignature), "provided_signature": .string(provided),
        ]
    }
}
