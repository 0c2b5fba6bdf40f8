import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// Every error code the payment-link commands document, each driven over a socket. Refused
/// requests still get HTTP 200 with the code in the body, as the real gateway answers.
struct APSErrorCodeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var overrides: JSONObject
        var removing: [String] = []
        var code: String
        var testDescription: String { "\(name) → \(code)" }
    }

    static let paymentLinkCases: [Case] = [
        Case(name: "no merchant_reference", overrides: [:], removing: ["merchant_reference"], code: "00001"),
        Case(name: "no amount", overrides: [:], removing: ["amount"], code: "00001"),
        Case(name: "no currency", overrides: [:], removing: ["currency"], code: "00001"),
        Case(name: "no language", overrides: [:], removing: ["language"], code: "00001"),
        Case(name: "no customer_email", overrides: [:], removing: ["customer_email"], code: "00001"),
        Case(name: "no request_expiry_date", overrides: [:], removing: ["request_expiry_date"], code: "00001"),
        Case(name: "no notification_type", overrides: [:], removing: ["notification_type"], code: "00001"),
        Case(name: "empty amount counts as missing", overrides: ["amount": ""], code: "00001"),
        Case(name: "language fr", overrides: ["language": "fr"], code: "00002"),
        Case(name: "bad e-mail", overrides: ["customer_email": "not-an-email"], code: "00002"),
        Case(name: "expiry without zone", overrides: ["request_expiry_date": "2026-03-01T00:00:00"], code: "00002"),
        Case(name: "expiry in the past", overrides: ["request_expiry_date": "2025-12-31T23:59:59Z"], code: "00002"),
        Case(name: "notification_type PIGEON", overrides: ["notification_type": "PIGEON"], code: "00002"),
        Case(name: "link_command CAPTURE", overrides: ["link_command": "CAPTURE"], code: "00002"),
        Case(name: "reference with a space", overrides: ["merchant_reference": "has space"], code: "00002"),
        Case(name: "description with a comma", overrides: ["order_description": "a, b"], code: "00002"),
        Case(name: "phone with letters", overrides: ["customer_phone": "0096650abc"], code: "00002"),
        Case(name: "nested value in a known field", overrides: ["customer_name": .object(["first": "A"])], code: "00002"),
        Case(name: "amount zero", overrides: ["amount": "0"], code: "00005"),
        Case(name: "amount negative", overrides: ["amount": "-100"], code: "00005"),
        Case(name: "amount decimal", overrides: ["amount": "10.50"], code: "00005"),
        Case(name: "amount words", overrides: ["amount": "ten"], code: "00005"),
        Case(name: "amount leading zero", overrides: ["amount": "0100"], code: "00005"),
        Case(name: "amount number with fraction", overrides: ["amount": .number("10.5")], code: "00005"),
        Case(name: "currency unknown", overrides: ["currency": "XYZ"], code: "00013"),
        Case(name: "currency lowercase", overrides: ["currency": "sar"], code: "00013"),
        Case(name: "amount over 10 digits", overrides: ["amount": "12345678901"], code: "00032"),
        Case(name: "reference over 40", overrides: ["merchant_reference": .string(String(repeating: "r", count: 41))], code: "00032"),
        Case(name: "name over 40", overrides: ["customer_name": .string(String(repeating: "n", count: 41))], code: "00032"),
        Case(name: "currency over 3", overrides: ["currency": "SARX"], code: "00032"),
        Case(name: "payment_option bogus", overrides: ["payment_option": "BITCOIN"], code: "00080"),
        Case(name: "payment_option TAMARA", overrides: ["payment_option": "TAMARA"], code: "00111"),
    ]

    @Test(arguments: paymentLinkCases)
    func paymentLink_validation(_ c: Case) async throws {
        try await withSandbox { sandbox, aps in
            var params = APSTestClient.paymentLink("err-ref")
            for (k, v) in c.overrides { params[k] = v }
            for k in c.removing { params[k] = nil }
            let reply = try aps.send(params)
            #expect(reply.http.status == 200)
            #expect(reply.code == c.code, "detail: \(reply.detail ?? "-")")
            #expect(reply["status"] == String(c.code.prefix(2)))
            #expect(reply["response_message"] == APSCatalog.messageText(String(c.code.suffix(3))))
            #expect(reply.detail?.isEmpty == false)
            #expect(reply["payment_link_id"] == nil)
            #expect(sandbox.engine.links().isEmpty, "a refused request must not create a link")
            // Refusals are signed too, once the merchant is known.
            #expect(reply["signature"] == Merchant.demo.signer.sign(reply.object, phrase: Merchant.demo.responsePhrase))
        }
    }

    @Test func wrongSignature_is00008_andTheDetailShowsTheExpectedString() async throws {
        try await withSandbox { _, aps in
            var params = APSTestClient.paymentLink("sig-1")
            params["signature"] = .string(String(repeating: "0", count: 64))
            let reply = try aps.send(params)
            #expect(reply.code == "00008")
            #expect(reply["response_message"] == "Signature mismatch")
            let detail = try #require(reply.detail)
            #expect(detail.contains("[phrase]access_code="))
            #expect(!detail.contains(Merchant.demo.requestPhrase))
        }
    }

    @Test func signatureWithTheResponsePhrase_is00008() async throws {
        try await withSandbox { _, aps in
            var params = APSTestClient.paymentLink("sig-2")
            params["access_code"] = .string(Merchant.demo.accessCode)
            params["merchant_identifier"] = .string(Merchant.demo.identifier)
            params["signature"] = .string(Merchant.demo.signer.sign(params, phrase: Merchant.demo.responsePhrase))
            let answered = try aps.send(params).code
            #expect(answered == "00008")
        }
    }

    @Test func tamperedParameterAfterSigning_is00008() async throws {
        try await withSandbox { _, aps in
            var params = APSTestClient.paymentLink("sig-3")
            params["access_code"] = .string(Merchant.demo.accessCode)
            params["merchant_identifier"] = .string(Merchant.demo.identifier)
            params["signature"] = .string(Merchant.demo.signer.sign(params, phrase: Merchant.demo.requestPhrase))
            params["amount"] = "1"
            let answered = try aps.send(params).code
            #expect(answered == "00008")
        }
    }

    @Test func missingSignature_is00001() async throws {
        try await withSandbox { _, aps in
            let reply = try aps.send(APSTestClient.paymentLink("sig-4"), sign: false)
            #expect(reply.code == "00001")
        }
    }

    @Test func unknownMerchant_is00009_unsigned() async throws {
        try await withSandbox { _, aps in
            let reply = try aps.send(APSTestClient.paymentLink("m-1", ["merchant_identifier": "Nobody"]))
            #expect(reply.code == "00009")
            #expect(reply["signature"] == nil)
        }
    }

    @Test func wrongAccessCode_is00010() async throws {
        try await withSandbox { _, aps in
            let reply = try aps.send(APSTestClient.paymentLink("a-1", ["access_code": "wrongAccessCode0000"]))
            #expect(reply.code == "00010")
            // The merchant is known, so the refusal is signed like any other.
            #expect(reply["signature"] == Merchant.demo.signer.sign(reply.object, phrase: Merchant.demo.responsePhrase))
        }
    }

    @Test func missingAccessCode_is00001() async throws {
        try await withSandbox { _, aps in
            var params = APSTestClient.paymentLink("a-2")
            params["merchant_identifier"] = .string(Merchant.demo.identifier)
            params["signature"] = .string(Merchant.demo.signer.sign(params, phrase: Merchant.demo.requestPhrase))
            let answered = try aps.send(params, sign: false, addCredentials: false).code
            #expect(answered == "00001")
        }
    }

    static let commandCases: [(JSONObject, String)] = [
        (["service_command": "PAYMENT_LINKS"], "00004"),
        (["service_command": "CHECK_PAYMENT_LINK_STATUS"], "00004"),
        (["query_command": "PAYMENT_LINK"], "00004"),
        (["command": "SALE"], "00004"),
        // A server-to-server payment now: its missing fields are the problem.
        (["command": "PURCHASE"], "00001"),
        ([:], "00001"),
        (["service_command": "PAYMENT_LINK", "query_command": "CHECK_PAYMENT_LINK_STATUS"], "00110"),
    ]

    @Test(arguments: commandCases)
    func commandProblems(_ params: JSONObject, _ code: String) async throws {
        try await withSandbox { _, aps in
            var p = params
            p["merchant_reference"] = "cmd-1"
            let answered = try aps.send(p).code
            #expect(answered == code)
        }
    }

    @Test(arguments: ["{not json", "[1,2,3]", "\"text\"", "", "{\"a\":1,\"a\":2}", "{\"amount\": 1e999999999}x"])
    func malformedBodies_get00073_andTheServerKeepsServing(_ body: String) async throws {
        try await withSandbox { _, aps in
            let reply = try aps.sendRaw(body)
            #expect(reply.http.status == 200)
            #expect(reply.code == "00073")
            #expect(reply["response_message"] == "Invalid request format")
            #expect(try aps.createLink("after-garbage").count == 18)
        }
    }

    @Test func payingAPaidLink_is409WithCode125() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("pay-twice")
            #expect(try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#).status == 200)
            let again = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
            #expect(again.status == 409)
            #expect(again.text.contains("\"response_code\":\"13125\""))
        }
    }

    @Test func payingAnExpiredLink_is409WithCode115() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("pay-expired")
            try sandbox.clock.advance(milliseconds: 90 * 86_400_000)
            let reply = try aps.http.post("/__sandbox/links/\(id)/pay", json: "{}")
            #expect(reply.status == 409)
            #expect(reply.text.contains("\"response_code\":\"13115\""))
            #expect(reply.text.contains("\"payment_link_status\":\"Expired\""))
        }
    }
}
