import PayLinkCore
import PayLinkCrypto
import PayLinkJSON
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// A request body written byte for byte the way one official SDK writes it, and that SDK's
/// signature rules, computed here (not with the sandbox's signer) so the tests check the
/// sandbox against the SDKs' own conventions. docs/sdk-requests.md lists what each SDK sends.
enum SDKRequestStyle {
    /// One field as the SDK puts it in the JSON body: a string, or a number (the PHP SDK's
    /// `amount`, an `int` that `json_encode` writes bare).
    enum Value {
        case string(String)
        case number(Int)

        /// The value in the signature string: PHP and Java both concatenate its text.
        var text: String {
            switch self {
            case .string(let value): value
            case .number(let value): String(value)
            }
        }

        var json: String {
            switch self {
            case .string(let value): String(decoding: JSONValue.string(value).serialized(), as: UTF8.self)
            case .number(let value): String(value)
            }
        }
    }

    /// The JSON object with the fields in the given order (json_encode and Gson keep it).
    static func body(_ fields: [(String, Value)]) -> String {
        "{" + fields.map { "\(JSONValue.string($0.0).serialized().utf8String):\($0.1.json)" }.joined(separator: ",") + "}"
    }

    /// SHA-256 over phrase + name=value of the fields sorted by name + phrase, in hex: both
    /// SDKs sort by name (PHP `ksort`, Java `FortParameter.iterator`'s `compareTo`).
    static func sha256(_ fields: [(String, String)], phrase: String) -> String {
        let pairs = fields.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined()
        return SHA256.hash(Array((phrase + pairs + phrase).utf8)).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
        }.joined()
    }

    /// PHP SDK, `APSValidator::isResponseValid` and `APSSignature::calculateSignature`: every
    /// field of the decoded answer but `signature` (and `discriminator`), `installment_detail`
    /// left out, each value as PHP turns it into a string; compared with `===` to lowercase hex.
    static func phpResponseSignatureValid(_ answer: JSONObject, phrase: String) -> Bool {
        var fields: [(String, String)] = []
        for (name, value) in answer where name != "signature" && name != "discriminator" && name != "installment_detail" {
            fields.append((name, phpString(value)))
        }
        return answer["signature"]?.stringValue == sha256(fields, phrase: phrase)
    }

    /// Java SDK, `FortSDK.validateResponseSignature`: `JsonRequestConverter.parse` keeps only
    /// JSON primitives (as strings) and arrays, so an object such as `installment_detail` is
    /// dropped; uppercase hex from `SignatureGenerator`, compared with `equalsIgnoreCase`.
    static func javaResponseSignatureValid(_ answer: JSONObject, phrase: String) -> Bool {
        var fields: [(String, String)] = []
        for (name, value) in answer where name != "signature" {
            switch value {
            case .object: continue
            case .array(let items): fields.append((name, "[" + items.map { $0.stringValue ?? "" }.joined(separator: ", ") + "]"))
            case .null: continue
            case .number(let text): fields.append((name, text))
            case .bool(let flag): fields.append((name, flag ? "true" : "false"))
            case .string(let text): fields.append((name, text))
            }
        }
        let expected = sha256(fields, phrase: phrase).uppercased()
        return answer["signature"]?.stringValue?.uppercased() == expected
    }

    /// How PHP's string conversion renders a json_decode'd value.
    static func phpString(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .null: ""
        case .bool(let flag): flag ? "1" : ""
        case .number(let text): text
        case .array, .object: "Array"
        }
    }
}

extension Array where Element == UInt8 {
    var utf8String: String { String(decoding: self, as: UTF8.self) }
}

extension APSTestClient {
    /// An order made the way the SDK drivers make theirs: a PAYMENT_LINK paid through the
    /// control API with the default test card.
    func paidLinkOrder(_ reference: String, command: String = "PURCHASE", amount: String = "50000") throws {
        let id = try createLink(reference, ["link_command": .string(command), "amount": .string(amount)])
        let paid = try http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
        guard paid.status == 200 else { throw HTTPTestClient.ClientError(description: "pay failed: \(paid.text)") }
    }
}
