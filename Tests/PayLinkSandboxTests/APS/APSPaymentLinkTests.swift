import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// `PAYMENT_LINK` over a real socket.
struct APSPaymentLinkTests {
    @Test func paymentLink_answers48000_withIDAndLinkURL() async throws {
        try await withSandbox { sandbox, aps in
            let reply = try aps.send(APSTestClient.paymentLink())
            #expect(reply.http.status == 200)
            #expect(reply.http.header("Content-Type") == "application/json")
            #expect(reply.code == "48000")
            #expect(reply["status"] == "48")
            #expect(reply["response_message"] == "Success")
            let id = try #require(reply["payment_link_id"])
            #expect(id.count == 18 && id.allSatisfy { $0.isNumber })
            let url = try #require(reply["payment_link"])
            #expect(url.hasPrefix(sandbox.baseURL + "/pay/"))
            #expect(sandbox.engine.link(id: id)?.state == .open)
        }
    }

    @Test func response_echoesEveryParameterSent_asStrings() async throws {
        try await withSandbox { _, aps in
            let params = APSTestClient.paymentLink("echo-1", [
                "customer_name": "Test Customer", "order_description": "Invoice #7", "link_command": "AUTHORIZATION",
                "payment_option": "VISA", "customer_phone": "00966500000000", "return_url": "https://merchant.example/return?x=1",
                "notification_type": "EMAIL,SMS",
            ])
            let reply = try aps.send(params)
            #expect(reply.code == "48000")
            for (key, value) in params {
                #expect(reply[key] == value.stringValue, "\(key) not echoed")
            }
            #expect(reply["access_code"] == Merchant.demo.accessCode)
            #expect(reply["merchant_identifier"] == Merchant.demo.identifier)
            #expect(reply.object.members.allSatisfy { if case .string = $0.value { true } else { false } })
        }
    }

    @Test func response_isSignedWithTheResponsePhrase_inLowercaseHex() async throws {
        try await withSandbox { _, aps in
            let reply = try aps.send(APSTestClient.paymentLink())
            let signature = try #require(reply["signature"])
            #expect(signature == signature.lowercased())
            #expect(signature == Merchant.demo.signer.sign(reply.object, phrase: Merchant.demo.responsePhrase))
            #expect(signature != Merchant.demo.signer.sign(reply.object, phrase: Merchant.demo.requestPhrase))
        }
    }

    @Test func amountAsJSONNumber_isAccepted_signedAsDigits_andEchoedAsString() async throws {
        try await withSandbox { _, aps in
            let reply = try aps.send(APSTestClient.paymentLink("num-1", ["amount": .number("125000")]))
            #expect(reply.code == "48000")
            #expect(reply["amount"] == "125000")
        }
    }

    @Test func uppercaseRequestSignature_isAccepted() async throws {
        try await withSandbox { _, aps in
            var params = APSTestClient.paymentLink("upper-1")
            params["access_code"] = .string(Merchant.demo.accessCode)
            params["merchant_identifier"] = .string(Merchant.demo.identifier)
            params["signature"] = .string(Merchant.demo.signer.sign(params, phrase: Merchant.demo.requestPhrase).uppercased())
            let answered = try aps.send(params).code
            #expect(answered == "48000")
        }
    }

    @Test func emptyOptionalParameters_areAcceptedSignedEitherWay_andNotEchoed() async throws {
        try await withSandbox { _, aps in
            var params = APSTestClient.paymentLink("empty-1", ["customer_name": ""])
            params["access_code"] = .string(Merchant.demo.accessCode)
            params["merchant_identifier"] = .string(Merchant.demo.identifier)
            let phrase = Merchant.demo.requestPhrase
            params["signature"] = .string(Merchant.demo.signer.sign(params, phrase: phrase, includeEmpty: true))
            let included = try aps.send(params)
            #expect(included.code == "48000")
            #expect(included.object["customer_name"] == nil)

            params["merchant_reference"] = "empty-2"
            params["signature"] = .string(Merchant.demo.signer.sign(params, phrase: phrase, includeEmpty: false))
            #expect(try aps.send(params).code == "48000")
        }
    }

    @Test func duplicateMerchantReference_is49066() async throws {
        try await withSandbox { _, aps in
            _ = try aps.createLink("dup-1")
            let reply = try aps.send(APSTestClient.paymentLink("dup-1"))
            #expect(reply.code == "49066")
            #expect(reply["response_message"] == "Merchant reference already exists")
            #expect(reply["payment_link_id"] == nil)
        }
    }

    @Test func merchantChosenPaymentLinkID_isUsed_andADuplicateIs49126() async throws {
        try await withSandbox { _, aps in
            let first = try aps.send(APSTestClient.paymentLink("own-1", ["payment_link_id": "148708392700020346"]))
            #expect(first.code == "48000")
            #expect(first["payment_link_id"] == "148708392700020346")
            #expect(try aps.send(APSTestClient.paymentLink("own-2", ["payment_link_id": "148708392700020346"])).code == "49126")
        }
    }

    @Test func smsNotification_withoutCustomerPhone_is00001() async throws {
        try await withSandbox { _, aps in
            let reply = try aps.send(APSTestClient.paymentLink("sms-1", ["notification_type": "SMS"]))
            #expect(reply.code == "00001")
            #expect(reply.detail?.contains("customer_phone") == true)
        }
    }

    @Test func noneWithEmail_isTakenAsNone() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("none-1", ["notification_type": "NONE,EMAIL"])
            #expect(sandbox.engine.link(id: id)?.link.notificationType == "NONE")
        }
    }

    @Test func threeDecimalCurrency_isAccepted() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("kwd-1", ["currency": "KWD", "amount": "100000"])
            #expect(sandbox.engine.link(id: id)?.link.currency == "KWD")
        }
    }

    @Test func seededSandboxes_handOutTheSameIDs() async throws {
        var ids: [[String]] = []
        for _ in 0..<2 {
            try await withSandbox { _, aps in ids.append(try (1...3).map { try aps.createLink("seed-\($0)") }) }
        }
        #expect(ids[0] == ids[1])
    }
}
