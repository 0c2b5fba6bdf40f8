import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// Card data sent server to server (the trusted channel): only for merchants with
/// `trusted_channel: true`, never echoed in clear.
struct TrustedChannelTests {
    typealias F = ServerToServerFixture

    @Test func aMerchantWithoutTheTrustedChannel_isRefused00040_signed_andTheCardIsNotEchoed() async throws {
        try await F.withSandbox(trusted: false) { sandbox, aps in
            let reply = try aps.send(F.cardPayment("tc-0", card: F.visa))
            #expect(reply.code == "00040" && F.isSigned(reply, by: aps.merchant), "\(reply.object)")
            #expect(reply["card_number"] == "400555******0001" && reply["card_security_code"] == nil)
            #expect(reply.http.text.contains(F.visa) == false)
            #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "tc-0") == nil)
        }
    }

    @Test func aTrustedMerchant_paysWithCardData_asTheTestCardSays() async throws {
        try await F.withSandbox(trusted: true) { sandbox, aps in
            let approved = try aps.send(F.cardPayment("tc-1", card: F.visa))
            #expect(approved.code == "14000" && approved["card_number"] == "400555******0001", "\(approved.object)")
            #expect(approved["card_security_code"] == nil && approved.http.text.contains(F.visa) == false)
            #expect(approved["token_name"] == nil && F.isSigned(approved, by: aps.merchant))
            let declined = try aps.send(F.cardPayment("tc-2", card: F.declined, command: "AUTHORIZATION"))
            #expect(declined.code == "03029", "\(declined.object)")
            // The order and its feedback keep no card number in clear, nor the security code.
            let order = try #require(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "tc-1"))
            #expect(order.requestFields["card_number"] == nil && order.requestFields["card_security_code"] == nil)
            let feedback = try #require(sandbox.service.deliveries.deliveries().first { $0.payload["merchant_reference"]?.stringValue == "tc-1" })
            #expect(String(decoding: feedback.payload.serialized(), as: UTF8.self).contains(F.visa) == false)
            #expect(feedback.payload["card_security_code"] == nil)
            let journal = try aps.http.get("/__sandbox/journal")
            #expect(journal.status == 200 && journal.text.contains("tc-1") && journal.text.contains(F.visa) == false)
        }
    }

    @Test func aForcedResponseCode_doesNotEchoTheCardInClearEither() async throws {
        try await F.withSandbox(trusted: true) { _, aps in
            let armed = try aps.http.post("/__sandbox/faults", json: #"{"type":"response_code","response_code":"00006","match":{"command":"PURCHASE"}}"#)
            #expect(armed.status == 201, "\(armed.text)")
            let forced = try aps.send(F.cardPayment("tc-f", card: F.visa))
            #expect(forced.code == "00006" && forced["card_number"] == "400555******0001" && forced["card_security_code"] == nil, "\(forced.object)")
            #expect(forced.http.text.contains(F.visa) == false)
        }
    }

    @Test func aThreeDSecureCard_isChallengedOnECommerce_butNotOnMOTOOrRecurring() async throws {
        try await F.withSandbox(trusted: true) { _, aps in
            let ecommerce = try aps.send(F.cardPayment("tc-3", card: F.visa3DS))
            #expect(ecommerce.code == "20064" && ecommerce["3ds_url"] != nil, "\(ecommerce.object)")
            let moto = try aps.send(F.cardPayment("tc-4", card: F.visa3DS, ["eci": "MOTO", "card_security_code": nil]))
            #expect(moto.code == "14000" && moto["3ds_url"] == nil, "\(moto.object)")
            let recurring = try aps.send(F.cardPayment("tc-5", card: F.visa3DS, ["eci": "RECURRING"]))
            #expect(recurring.code == "14000", "\(recurring.object)")
        }
    }

    @Test func badCardData_isRefusedByTheCardRules() async throws {
        try await F.withSandbox(trusted: true) { _, aps in
            func code(_ request: JSONObject) throws -> String? { try aps.send(request).code }
            let badNumber = try code(F.cardPayment("tc-b1", card: "4005550000000002"))
            let expired = try code(F.cardPayment("tc-b2", card: F.visa, ["expiry_date": "2012"]))
            let badMonth = try code(F.cardPayment("tc-b3", card: F.visa, ["expiry_date": "3013"]))
            let noCode = try code(F.cardPayment("tc-b4", card: F.visa, ["card_security_code": nil]))
            let noHolder = try code(F.cardPayment("tc-b5", card: F.visa, ["card_holder_name": nil]))
            #expect([badNumber, expired, badMonth, noCode, noHolder] == ["00016", "00012", "00100", "00001", "00001"])
        }
    }

    @Test func rememberMe_savesTheCardAsAToken_thatLaterPaysRecurring() async throws {
        try await F.withSandbox(trusted: true) { sandbox, aps in
            let first = try aps.send(F.cardPayment("tc-r1", card: F.visa, ["remember_me": "YES"]))
            #expect(first.code == "14000", "\(first.object)")
            let name = try #require(first["token_name"])
            let token = try #require(sandbox.service.state.tokens.token(named: name, merchant: Merchant.demo.identifier))
            #expect(token.maskedCardNumber == "400555******0001" && token.expiryDate == "3005" && token.brand == "VISA")
            let again = try aps.send(F.payment("tc-r2", ["eci": "RECURRING", "token_name": .string(name)]))
            #expect(again.code == "14000", "\(again.object)")

            let named = try aps.send(F.cardPayment("tc-r3", card: F.visa, ["remember_me": "YES", "token_name": "my-card"]))
            #expect(named.code == "14000" && named["token_name"] == "my-card", "\(named.object)")
            let taken = try aps.send(F.cardPayment("tc-r4", card: F.visa, ["remember_me": "YES", "token_name": "my-card"]))
            #expect(taken.code == "00114", "\(taken.object)")
        }
    }

    @Test func theTrustedChannelKey_isReadFromConfig_andFromTheMerchantsAPI() async throws {
        let parsed = try ConfigurationFile.merchant(["merchant_identifier": "Trust1", "access_code": "abc", "sha_request_phrase": "in",
                                                     "sha_response_phrase": "out", "trusted_channel": true], path: "merchants[0]")
        #expect(parsed.trustedChannel)
        #expect(MerchantEntryJSON.encode(parsed)["trusted_channel"] == .bool(true))
        let plain = try ConfigurationFile.merchant(["merchant_identifier": "Plain1", "access_code": "abc", "sha_request_phrase": "in",
                                                    "sha_response_phrase": "out"], path: "merchants[0]")
        #expect(plain.trustedChannel == false && MerchantEntryJSON.encode(plain)["trusted_channel"] == nil)
        #expect(throws: (any Error).self) {
            try ConfigurationFile.merchant(["merchant_identifier": "Bad1", "access_code": "abc", "sha_request_phrase": "in",
                                            "sha_response_phrase": "out", "trusted_channel": "yes"], path: "merchants[0]")
        }

        try await F.withSandbox(trusted: false) { _, aps in
            let made = try aps.http.post("/__sandbox/merchants", json: #"{"merchant_identifier":"Trust2","access_code":"trust2code","sha_request_phrase":"t-in","sha_response_phrase":"t-out","trusted_channel":true}"#)
            #expect(made.status == 201, "\(made.text)")
            let trusted = APSTestClient(http: aps.http, merchant: Merchant(identifier: "Trust2", accessCode: "trust2code", requestPhrase: "t-in", responsePhrase: "t-out"))
            let reply = try trusted.send(F.cardPayment("tc-api", card: F.visa))
            #expect(reply.code == "14000", "\(reply.object)")
        }
    }
}
