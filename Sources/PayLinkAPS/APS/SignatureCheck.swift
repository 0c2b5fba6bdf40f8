import PayLinkCore
import PayLinkJSON

/// A request signature the endpoint found wrong (008), as it checked it: what a developer
/// needs to diff against their own signing, kept by the journal rather than computed again
/// when the journal is read.
package struct SignatureCheck: Sendable {
    package let merchantIdentifier: String
    package let shaType: SignatureAlgorithm
    package let verification: APSSigner.Verification
    /// The signature the request carried.
    package let provided: String

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
