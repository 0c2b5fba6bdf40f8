import PayLinkJSON

/// Signs and verifies APS parameter sets for one merchant's `sha_type`.
public struct APSSigner: Sendable {
    public var algorithm: SignatureAlgorithm

    public init(algorithm: SignatureAlgorithm) { self.algorithm = algorithm }

    /// The lowercase hex signature of `parameters` (their `signature` member ignored).
    /// Responses are signed this way, with the response phrase.
    public func sign(_ parameters: JSONObject, phrase: String, includeEmpty: Bool = false) -> String {
        algorithm.digestHex(message: CanonicalString.bytes(for: parameters, phrase: phrase, includeEmpty: includeEmpty), phrase: phrase)
    }

    /// What verification computed, for the journal and `paylink-sandbox sign`.
    public struct Verification: Sendable, Equatable {
        public var isValid: Bool
        /// The signature the sandbox computed (lowercase hex).
        public var expectedSignature: String
        package let parameters: JSONObject
        package let includeEmpty: Bool

        /// The canonical string the sandbox expected, with the phrase replaced by `[phrase]`.
        /// Computed when asked: the request path only needs it when a signature fails.
        public var redactedCanonicalString: String {
            "[phrase]" + CanonicalString.pairs(of: parameters, includeEmpty: includeEmpty) + "[phrase]"
        }
    }

    /// Checks a request's `signature` against the request phrase. Hex case does not matter:
    /// the official Java SDK sends uppercase, the PHP and .NET ones lowercase.
    public func verify(_ parameters: JSONObject, phrase: String, provided: String, emptyValues: EmptyValuePolicy) -> Verification {
        verify(parameters, phrase: phrase, provided: provided, emptyValues: emptyValues, omittingEmpty: nil)
    }

    /// `verify`, for a caller that already has `omittingEmpty`, the signature over the
    /// omit-empty canonical string of `parameters` (the APS endpoint builds that string from the
    /// members its response echoes, which are the same ones), so that string is not built
    /// twice. The result is the same as `verify`'s.
    public func verify(_ parameters: JSONObject, phrase: String, provided: String, emptyValues: EmptyValuePolicy,
                       omittingEmpty precomputed: String) -> Verification {
        verify(parameters, phrase: phrase, provided: provided, emptyValues: emptyValues, omittingEmpty: .some(precomputed))
    }

    private func verify(_ parameters: JSONObject, phrase: String, provided: String, emptyValues: EmptyValuePolicy,
                        omittingEmpty precomputed: String?) -> Verification {
        let conventions: [Bool] = switch emptyValues {
        case .omit: [false]
        case .include: [true]
        case .either: [false, true]
        }
        var expected: [String] = []
        for includeEmpty in conventions {
            let signature: String
            if !includeEmpty, let precomputed {
                signature = precomputed
            } else {
                signature = sign(parameters, phrase: phrase, includeEmpty: includeEmpty)
            }
            if Self.equalIgnoringASCIICase(signature, provided) {
                return Verification(isValid: true, expectedSignature: signature, parameters: parameters, includeEmpty: includeEmpty)
            }
            expected.append(signature)
        }
        // Report the first convention (the omit-empty string, what most clients build).
        return Verification(isValid: false, expectedSignature: expected[0], parameters: parameters, includeEmpty: conventions[0])
    }

    /// Constant-time over equal lengths, so response time says nothing about how much matched.
    package static func equalIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var a = a, b = b
        // Over the strings' own UTF-8 storage: copying both into arrays was two allocations
        // per request.
        return a.withUTF8 { x in
            b.withUTF8 { y in
                var diff: UInt8 = 0
                for i in 0..<x.count { diff |= lower(x[i]) ^ lower(y[i]) }
                return diff == 0
            }
        }
    }

    private static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }
}
