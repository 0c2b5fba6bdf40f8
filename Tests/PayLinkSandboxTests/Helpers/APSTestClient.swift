import Foundation
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// Talks to a running sandbox as an APS integration would: signs requests with the merchant's
/// request phrase and posts them to `/FortAPI/paymentApi`.
struct APSTestClient {
    let http: HTTPTestClient
    let merchant: Merchant

    init(port: Int, merchant: Merchant = .demo) {
        self.init(http: HTTPTestClient(port: port), merchant: merchant)
    }

    init(http: HTTPTestClient, merchant: Merchant = .demo) {
        self.http = http
        self.merchant = merchant
    }

    struct Reply {
        var http: HTTPTestClient.Response
        var object: JSONObject
        subscript(key: String) -> String? { object[key]?.stringValue }
        var code: String? { self["response_code"] }
        var detail: String? { http.header("X-Sandbox-Detail") }
    }

    /// Adds access code, merchant identifier and a valid signature unless the parameters set them.
    func send(_ parameters: JSONObject, sign: Bool = true, addCredentials: Bool = true) throws -> Reply {
        var params = parameters
        if addCredentials {
            if params["access_code"] == nil { params["access_code"] = .string(merchant.accessCode) }
            if params["merchant_identifier"] == nil { params["merchant_identifier"] = .string(merchant.identifier) }
        }
        if sign && params["signature"] == nil {
            params["signature"] = .string(merchant.signer.sign(params, phrase: merchant.requestPhrase))
        }
        return try sendRaw(String(decoding: params.serialized(), as: UTF8.self))
    }

    func sendRaw(_ body: String) throws -> Reply {
        let response = try http.post("/FortAPI/paymentApi", json: body)
        guard case .object(let object) = try JSONParser.parse(response.body) else {
            throw HTTPTestClient.ClientError(description: "APS reply is not a JSON object: \(response.text)")
        }
        return Reply(http: response, object: object)
    }

    /// A valid PAYMENT_LINK request, with the given fields replaced.
    static func paymentLink(_ reference: String = "order-1", expiry: String = "2026-03-01T00:00:00+03:00",
                            _ overrides: JSONObject = [:]) -> JSONObject {
        var params: JSONObject = [
            "service_command": "PAYMENT_LINK", "merchant_reference": .string(reference), "amount": "125000",
            "currency": "SAR", "language": "en", "customer_email": "customer@example.com",
            "request_expiry_date": .string(expiry), "notification_type": "NONE",
        ]
        for (key, value) in overrides { params[key] = value }
        return params
    }

    /// Creates a link and returns its `payment_link_id`.
    func createLink(_ reference: String = "order-1", _ overrides: JSONObject = [:]) throws -> String {
        let reply = try send(Self.paymentLink(reference, overrides))
        guard reply.code == "48000", let id = reply["payment_link_id"] else {
            throw HTTPTestClient.ClientError(description: "PAYMENT_LINK failed: \(reply.object)")
        }
        return id
    }

    func check(id: String) throws -> Reply {
        try send(["query_command": "CHECK_PAYMENT_LINK_STATUS", "payment_link_id": .string(id)])
    }
}

/// A sandbox on port 0 with a frozen clock at 2026-01-01T00:00:00Z and seeded IDs, stopped
/// when the body returns.
func withSandbox(_ configuration: SandboxConfiguration = .testing(), _ body: (Sandbox, APSTestClient) async throws -> Void) async throws {
    let sandbox = try await Sandbox.start(configuration)
    do {
        try await body(sandbox, APSTestClient(port: sandbox.port, merchant: configuration.merchants[0]))
    } catch {
        await sandbox.stop()
        throw error
    }
    await sandbox.stop()
}
