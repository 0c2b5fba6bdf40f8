import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// PURCHASE and AUTHORIZATION on paymentApi with a saved card (`token_name`), eci ECOMMERCE,
/// RECURRING and MOTO: the token's test card decides, as on the hosted page.
struct TokenPaymentTests {
    typealias F = ServerToServerFixture

    @Test func ecommerce_approvedToken_answers14000_withTheCard_andTheOrderTakesCheckStatusAndRefund() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-visa", card: F.visa)
            let reply = try aps.send(F.tokenPayment("s2s-1", token: "tok-visa", ["merchant_extra": "basket 7"]))
            #expect(reply.code == "14000" && reply["status"] == "14", "\(reply.object) \(reply.detail ?? "")")
            #expect(reply["fort_id"]?.count == 18 && reply["authorization_code"]?.isEmpty == false)
            #expect(reply["card_number"] == "400555******0001" && reply["expiry_date"] == "3005" && reply["card_holder_name"] == "Jane Doe")
            #expect(reply["eci"] == "ECOMMERCE" && reply["payment_option"] == "VISA" && reply["token_name"] == "tok-visa")
            #expect(reply["merchant_extra"] == "basket 7" && reply["customer_ip"] == "192.0.2.10")
            #expect(F.isSigned(reply, by: aps.merchant))

            let status = try aps.send(["query_command": "CHECK_STATUS", "merchant_reference": "s2s-1", "language": "en"])
            #expect(status.code == "12000" && status["transaction_status"] == "14" && status["fort_id"] == reply["fort_id"], "\(status.object)")
            let refund = try aps.send(["command": "REFUND", "merchant_reference": "s2s-1", "amount": "4000", "currency": "SAR", "language": "en"])
            #expect(refund.code == "06000", "\(refund.object)")

            // The order's Direct Transaction Feedback, queued by itself, with the request's own fields.
            let feedback = try #require(sandbox.service.deliveries.deliveries().first { $0.payload["merchant_reference"]?.stringValue == "s2s-1" })
            #expect(feedback.payload["response_code"]?.stringValue == "14000" && feedback.payload["token_name"]?.stringValue == "tok-visa")
            #expect(feedback.payload["merchant_extra"]?.stringValue == "basket 7")
        }
    }

    @Test func ecommerce_declinedToken_answers13029_andAnAuthorizationIsCaptured() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-poor", card: F.declined)
            try F.saveToken(sandbox, "tok-visa", card: F.visa)
            let declined = try aps.send(F.tokenPayment("s2s-d", token: "tok-poor"))
            #expect(declined.code == "13029" && declined["fort_id"] != nil, "\(declined.object)")
            let declinedAuth = try aps.send(F.tokenPayment("s2s-da", token: "tok-poor", command: "AUTHORIZATION"))
            #expect(declinedAuth.code == "03029", "\(declinedAuth.object)")

            let authorized = try aps.send(F.tokenPayment("s2s-a", token: "tok-visa", command: "AUTHORIZATION"))
            #expect(authorized.code == "02000", "\(authorized.object)")
            let capture = try aps.send(["command": "CAPTURE", "merchant_reference": "s2s-a", "amount": "10000", "currency": "SAR", "language": "en"])
            #expect(capture.code == "04000", "\(capture.object)")
        }
    }

    @Test func ecommerce_uncertainToken_answers15777() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-unsure", card: F.uncertain)
            let reply = try aps.send(F.tokenPayment("s2s-u", token: "tok-unsure"))
            #expect(reply.code == "15777", "\(reply.object)")
        }
    }

    @Test func ecommerce_withoutCustomerIP_isMissingParameter_andNothingIsCharged() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-visa", card: F.visa)
            var request = F.tokenPayment("s2s-ip", token: "tok-visa")
            request["customer_ip"] = nil
            let reply = try aps.send(request)
            #expect(reply.code == "00001" && reply.detail?.contains("customer_ip") == true, "\(reply.object)")
            #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "s2s-ip") == nil)
        }
    }

    @Test func ecommerce_securityCodeWithAToken_isCheckedForTheCardsScheme() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-amex", card: F.amex, brand: "AMEX")
            let short = try aps.send(F.tokenPayment("s2s-cvv1", token: "tok-amex", ["card_security_code": "123"]))
            #expect(short.code == "00002" && short["card_security_code"] == nil, "\(short.object)")
            let good = try aps.send(F.tokenPayment("s2s-cvv2", token: "tok-amex", ["card_security_code": "1234"]))
            #expect(good.code == "14000" && good["card_security_code"] == nil, "\(good.object)")
        }
    }

    @Test func unknownOtherMerchantsAndInactiveTokens_areRefused_withTheirCodes() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-other", card: F.visa, merchant: F.otherMerchant.identifier)
            try F.saveToken(sandbox, "tok-off", card: F.visa)
            try sandbox.service.state.tokens.update(named: "tok-off", merchant: Merchant.demo.identifier) { (token: inout CardToken) throws(Never) in
                token.status = .inactive
            }
            let unknown = try aps.send(F.tokenPayment("s2s-t1", token: "no-such-token"))
            #expect(unknown.code == "00044" && F.isSigned(unknown, by: aps.merchant), "\(unknown.object)")
            let others = try aps.send(F.tokenPayment("s2s-t2", token: "tok-other"))
            #expect(others.code == "00044", "\(others.object)")
            let inactive = try aps.send(F.tokenPayment("s2s-t3", token: "tok-off", ["eci": "MOTO"]))
            #expect(inactive.code == "00043" && inactive.detail?.contains("INACTIVE") == true, "\(inactive.object)")
            #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "s2s-t3") == nil)
        }
    }

    @Test func recurring_chargesWithoutSecurityCodeOrCustomerIP_andNeverChallenges() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-visa", card: F.visa)
            try F.saveToken(sandbox, "tok-3ds", card: F.visa3DS)
            try F.saveToken(sandbox, "tok-poor", card: F.declined)
            func recurring(_ reference: String, _ token: String, command: String = "PURCHASE") throws -> APSTestClient.Reply {
                try aps.send(F.payment(reference, command: command, ["eci": "RECURRING", "token_name": .string(token)]))
            }
            let approved = try recurring("rec-1", "tok-visa")
            #expect(approved.code == "14000" && approved["eci"] == "RECURRING", "\(approved.object)")
            let challengedCard = try recurring("rec-2", "tok-3ds")
            #expect(challengedCard.code == "14000" && challengedCard["3ds_url"] == nil, "\(challengedCard.object)")
            let declined = try recurring("rec-3", "tok-poor")
            #expect(declined.code == "13029", "\(declined.object)")
            let authorization = try recurring("rec-4", "tok-visa", command: "AUTHORIZATION")
            #expect(authorization.code == "00113" && F.isSigned(authorization, by: aps.merchant), "\(authorization.object)")
            #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "rec-4") == nil)
        }
    }

    @Test func moto_needsAToken_takesPurchaseAndAuthorization_andNeverChallenges() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-3ds", card: F.visa3DS)
            try F.saveToken(sandbox, "tok-poor", card: F.declined)
            let missing = try aps.send(F.payment("moto-0", ["eci": "MOTO", "customer_ip": "192.0.2.10"]))
            #expect(missing.code == "00001" && missing.detail?.contains("token_name") == true, "\(missing.object)")
            let authorized = try aps.send(F.payment("moto-1", command: "AUTHORIZATION", ["eci": "MOTO", "token_name": "tok-3ds"]))
            #expect(authorized.code == "02000" && authorized["3ds_url"] == nil && authorized["eci"] == "MOTO", "\(authorized.object)")
            let declined = try aps.send(F.payment("moto-2", ["eci": "MOTO", "token_name": "tok-poor"]))
            #expect(declined.code == "13029", "\(declined.object)")
        }
    }

    @Test func moto_aSecurityCodeSent_isChecked_andOneLeftOutIsNoProblem() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-moto", card: F.amex, brand: "AMEX")
            for bad in ["12", "123", "abcd", "12345"] {
                let refused = try aps.send(F.payment("moto-cvv-\(bad)", ["eci": "MOTO", "token_name": "tok-moto", "card_security_code": .string(bad)]))
                #expect(refused.code == "00002" && refused["card_security_code"] == nil, "\(bad): \(refused.object)")
            }
            let good = try aps.send(F.payment("moto-cvv-good", ["eci": "MOTO", "token_name": "tok-moto", "card_security_code": "1234"]))
            #expect(good.code == "14000", "\(good.object)")
            let without = try aps.send(F.payment("moto-cvv-none", ["eci": "MOTO", "token_name": "tok-moto"]))
            #expect(without.code == "14000", "\(without.object)")
        }
    }

    @Test func aReferenceUsedAlready_answers00066_byAnOrderOrALink() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-visa", card: F.visa)
            #expect(try aps.send(F.tokenPayment("dup-1", token: "tok-visa")).code == "14000")
            let again = try aps.send(F.tokenPayment("dup-1", token: "tok-visa"))
            #expect(again.code == "00066" && F.isSigned(again, by: aps.merchant), "\(again.object)")
            _ = try aps.createLink("dup-link")
            let linked = try aps.send(F.tokenPayment("dup-link", token: "tok-visa"))
            #expect(linked.code == "00066", "\(linked.object)")
        }
    }

    @Test func amountAsAJSONNumber_isAcceptedAndEchoed() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-visa", card: F.visa)
            let reply = try aps.send(F.tokenPayment("num-1", token: "tok-visa", ["amount": .number("12500")]))
            #expect(reply.code == "14000" && reply["amount"] == "12500", "\(reply.object)")
            #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "num-1")?.amount == 12500)
        }
    }

    @Test func anUnknownCommand_ofAKnownMerchant_isRefusedSigned() async throws {
        try await F.withSandbox { _, aps in
            let reply = try aps.send(["command": "TELEPORT", "merchant_reference": "x-1", "language": "en"])
            #expect(reply.code == "00004" && reply.http.status == 200, "\(reply.object)")
            #expect(F.isSigned(reply, by: aps.merchant))
            let unknownMerchant = try aps.send(["command": "TELEPORT", "merchant_identifier": "Nobody"])
            #expect(unknownMerchant.code == "00004" && unknownMerchant["signature"] == nil)
        }
    }

    @Test func aBadEci_isAFormatError() async throws {
        try await F.withSandbox { sandbox, aps in
            try F.saveToken(sandbox, "tok-visa", card: F.visa)
            let reply = try aps.send(F.tokenPayment("eci-1", token: "tok-visa", ["eci": "INSTORE"]))
            #expect(reply.code == "00002" && reply.detail?.contains("eci") == true, "\(reply.object)")
        }
    }
}
