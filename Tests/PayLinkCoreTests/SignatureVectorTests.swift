import PayLinkCore
import PayLinkJSON
import Testing

/// The APS signature vectors of the facts (§1.6), from `fixtures/signature-vectors.json`.
struct SignatureVectorTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        var id: String
        var shaType: String
        var phrase: String
        var parameters: JSONObject
        var canonical: String
        var signature: String
        var testDescription: String { id }
    }

    static let vectors: [Vector] = {
        guard case .object(let root)? = try? Fixtures.json("signature-vectors.json"),
              let list = root["vectors"]?.arrayValue else { return [] }
        return list.compactMap { value in
            guard let v = value.objectValue, let id = v["id"]?.stringValue, let sha = v["sha_type"]?.stringValue,
                  let phrase = v["phrase"]?.stringValue, let params = v["parameters"]?.objectValue,
                  let canonical = v["canonical"]?.stringValue, let signature = v["signature"]?.stringValue
            else { return nil }
            return Vector(id: id, shaType: sha, phrase: phrase, parameters: params, canonical: canonical, signature: signature)
        }
    }()

    @Test func fixtureHoldsAllThirteenPublishedVectors() {
        let ids = Set(Self.vectors.map(\.id))
        for n in 1...13 { #expect(ids.contains("V\(n)"), "V\(n) missing from fixtures/signature-vectors.json") }
    }

    @Test(arguments: vectors)
    func canonicalString_matchesVector(_ vector: Vector) {
        let built = CanonicalString.string(for: vector.parameters, phrase: vector.phrase, includeEmpty: false)
        #expect(built == vector.canonical)
    }

    @Test(arguments: vectors)
    func signature_matchesVector_inLowercase(_ vector: Vector) throws {
        let algorithm = try #require(SignatureAlgorithm(name: vector.shaType))
        let signature = APSSigner(algorithm: algorithm).sign(vector.parameters, phrase: vector.phrase)
        #expect(signature == vector.signature.lowercased())
    }

    @Test(arguments: vectors)
    func verification_acceptsEitherHexCase(_ vector: Vector) throws {
        let signer = APSSigner(algorithm: try #require(SignatureAlgorithm(name: vector.shaType)))
        for provided in [vector.signature.uppercased(), vector.signature.lowercased()] {
            #expect(signer.verify(vector.parameters, phrase: vector.phrase, provided: provided, emptyValues: .either).isValid)
        }
    }

    @Test func verification_rejectsOneFlippedHexDigit() {
        let v = Self.vectors.first { $0.id == "V1" }!
        var wrong = Array(v.signature.lowercased())
        wrong[10] = wrong[10] == "0" ? "1" : "0"
        let result = APSSigner(algorithm: .sha256).verify(v.parameters, phrase: v.phrase, provided: String(wrong), emptyValues: .either)
        #expect(!result.isValid)
        #expect(result.expectedSignature == v.signature.lowercased())
        #expect(result.redactedCanonicalString == "[phrase]" + v.canonical.dropFirst(4).dropLast(4) + "[phrase]")
    }

    @Test func signatureParameter_isNeverPartOfTheString() {
        let params: JSONObject = ["b": "2", "signature": "abc", "a": "1"]
        #expect(CanonicalString.string(for: params, phrase: "P", includeEmpty: true) == "Pa=1b=2P")
    }

    @Test func sorting_isByteOrder_soUnderscoreSortsBetweenUpperAndLowerCase() {
        let params: JSONObject = ["apple_paymentMethod": "x", "apple_header": "y", "appleZ": "z", "apple_": "w"]
        // Bytes: 'Z' (0x5A) < '_' (0x5F) < 'h' (0x68) < 'p' (0x70).
        #expect(CanonicalString.pairs(of: params, includeEmpty: true) == "appleZ=zapple_=wapple_header=yapple_paymentMethod=x")
    }

    @Test func numbers_areSignedAsPlainDigits() {
        #expect(CanonicalString.plainNumber("1000") == "1000")
        #expect(CanonicalString.plainNumber("1000.0") == "1000")
        #expect(CanonicalString.plainNumber("1e3") == "1000")
        #expect(CanonicalString.plainNumber("10.5") == "10.5")
    }

    @Test func algorithmNames_acceptConfigNamesAndPluginLabels() {
        #expect(SignatureAlgorithm(name: "SHA-256") == .sha256)
        #expect(SignatureAlgorithm(name: "sha-512") == .sha512)
        #expect(SignatureAlgorithm(name: "HMAC-256") == .hmacSHA256)
        #expect(SignatureAlgorithm(name: "HMAC-SHA512") == .hmacSHA512)
        #expect(SignatureAlgorithm(name: "SHA-128") == nil)
        #expect(SignatureAlgorithm(name: "MD5") == nil)
    }
}

/// The documented choice for empty-valued parameters (APS does not say): requests are accepted
/// signed either way; each single convention can be forced.
struct EmptyValuePolicyTests {
    let params: JSONObject = ["access_code": "TestAccessCode", "language": "", "merchant_identifier": "TestMerchantIdentifier"]
    var omitted: String { APSSigner(algorithm: .sha256).sign(params, phrase: "PASS", includeEmpty: false) }
    var included: String { APSSigner(algorithm: .sha256).sign(params, phrase: "PASS", includeEmpty: true) }

    @Test func omitConvention_matchesDotNetVector() {
        #expect(omitted == "68c3928525ec3914129b71d167061b6044d05727367ad7a88f3ac8ad173feea9")
        #expect(CanonicalString.string(for: params, phrase: "PASS", includeEmpty: true).contains("language="))
    }

    @Test func eitherPolicy_acceptsBothConventions() {
        let signer = APSSigner(algorithm: .sha256)
        #expect(signer.verify(params, phrase: "PASS", provided: omitted, emptyValues: .either).isValid)
        #expect(signer.verify(params, phrase: "PASS", provided: included, emptyValues: .either).isValid)
    }

    @Test func singlePolicies_acceptOnlyTheirOwnConvention() {
        let signer = APSSigner(algorithm: .sha256)
        #expect(signer.verify(params, phrase: "PASS", provided: omitted, emptyValues: .omit).isValid)
        #expect(!signer.verify(params, phrase: "PASS", provided: included, emptyValues: .omit).isValid)
        #expect(signer.verify(params, phrase: "PASS", provided: included, emptyValues: .include).isValid)
        #expect(!signer.verify(params, phrase: "PASS", provided: omitted, emptyValues: .include).isValid)
    }
}

/// The canonical string's key order is byte order, however the keys share prefixes.
struct CanonicalOrderTests {
    @Test func keyOrder_isByteOrder_forRandomKeysWithSharedPrefixes() {
        var state: UInt64 = 42
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let alphabet: [Character] = ["a", "b", "_", "A", "Z", "\u{0}", "é", "1"]
        for _ in 0..<200 {
            var object = JSONObject()
            var keys = Set<String>()
            for _ in 0..<(next() % 12 + 1) {
                let stem = ["merchant_", "payment_link_", "", "a"][next() % 4]
                let key = stem + String((0..<(next() % 10)).map { _ in alphabet[next() % alphabet.count] })
                guard keys.insert(key).inserted else { continue }
                object[key] = "v"
            }
            let expected = keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                .map { $0 + "=v" }.joined()
            #expect(CanonicalString.pairs(of: object, includeEmpty: true) == expected)
        }
    }
}
