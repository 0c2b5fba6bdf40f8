import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// Requests exactly as the official Java SDK (payfort/payfort-java-sdk) sends them through
/// `FortSDK.callApi`: `addBasicParameters` adds access_code, merchant_identifier and language,
/// `SignatureGenerator.generate` signs every field sorted by name in UPPERCASE hex, and
/// `JsonRequestConverter.serialize` writes the fields in that sorted order, every value a JSON
/// string (`addProperty(k, v.toString())`).
struct JavaSDKMirrorTests {
    typealias Style = SDKRequestStyle

    /// Mirrors src/main/java/com/payfort/sdk/FortSDK.java (callApi), signture/SignatureGenerator.java
    /// and request/converter/json/JsonRequestConverter.java, for query_command=GET_INSTALLMENTS_PLANS.
    @Test func getInstallmentsPlans_inTheJavaStyle_uppercaseSignature_answers62000() async throws {
        try await withSandbox { _, aps in
            var fields: [(String, String)] = [
                ("query_command", "GET_INSTALLMENTS_PLANS"), ("amount", "100000"), ("currency", "SAR"),
                ("access_code", aps.merchant.accessCode), ("merchant_identifier", aps.merchant.identifier), ("language", "en"),
            ]
            let signature = Style.sha256(fields, phrase: aps.merchant.requestPhrase).uppercased()
            #expect(signature.contains(where: \.isLowercase) == false)
            fields.append(("signature", signature))
            let sorted = fields.sorted { $0.0 < $1.0 }
            let reply = try aps.sendRaw(Style.body(sorted.map { ($0.0, .string($0.1)) }))
            #expect(reply.code == "62000", "\(reply.object) \(reply.detail ?? "")")
            #expect(reply["amount"] == "100000" && reply["currency"] == "SAR")
            #expect(reply.object["installment_detail"]?.objectValue?["issuer_detail"]?.arrayValue?.isEmpty == false)
            // FortSDK.validateResponseSignature, on what JsonRequestConverter.parse keeps.
            #expect(Style.javaResponseSignatureValid(reply.object, phrase: aps.merchant.responsePhrase))
        }
    }

    /// The same request with a wrong uppercase signature is refused as any bad signature
    /// (00008), so the sandbox really checks the uppercase form rather than ignoring it.
    @Test func getInstallmentsPlans_inTheJavaStyle_wrongSignature_answers00008() async throws {
        try await withSandbox { _, aps in
            let fields: [(String, String)] = [
                ("access_code", aps.merchant.accessCode), ("language", "en"),
                ("merchant_identifier", aps.merchant.identifier), ("query_command", "GET_INSTALLMENTS_PLANS"),
            ]
            let wrong = Style.sha256(fields, phrase: "not-the-phrase").uppercased()
            let reply = try aps.sendRaw(Style.body((fields + [("signature", wrong)]).map { ($0.0, .string($0.1)) }))
            #expect(reply.code == "00008", "\(reply.object)")
        }
    }

    /// Mirrors FortSDK.java (callApi) for query_command=CHECK_STATUS on an order a paid link made.
    @Test func checkStatus_inTheJavaStyle_answers12000_withAValidSignature() async throws {
        try await withSandbox { _, aps in
            try aps.paidLinkOrder("java-cs-1")
            var fields: [(String, String)] = [
                ("query_command", "CHECK_STATUS"), ("merchant_reference", "java-cs-1"),
                ("access_code", aps.merchant.accessCode), ("merchant_identifier", aps.merchant.identifier), ("language", "en"),
            ]
            fields.append(("signature", Style.sha256(fields, phrase: aps.merchant.requestPhrase).uppercased()))
            let reply = try aps.sendRaw(Style.body(fields.sorted { $0.0 < $1.0 }.map { ($0.0, .string($0.1)) }))
            #expect(reply.code == "12000" && reply["transaction_status"] == "14", "\(reply.object)")
            #expect(Style.javaResponseSignatureValid(reply.object, phrase: aps.merchant.responsePhrase))
        }
    }
}
