import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// Apple Pay PURCHASE and AUTHORIZATION on paymentApi (`digital_wallet=APPLE_PAY`): outcomes by
/// the display name's last digits, orders that take CHECK_STATUS, CAPTURE and REFUND, and
/// feedback signed with the Apple Pay response phrase.
struct ApplePayPaymentTests {
    typealias F = ApplePayFixture

    @Test func approvedPurchase_answers14000_echoesTheObjectsAsSent_andIsSignedWithTheApplePayPhrase() async throws {
        try await F.withSandbox { sandbox, apple, _ in
            let reply = try apple.send(F.payment("ap-1", ["merchant_extra": "basket 7"]))
            #expect(reply.code == "14000" && reply["status"] == "14", "\(reply.object) \(reply.detail ?? "")")
            #expect(reply["fort_id"]?.count == 18 && reply["authorization_code"]?.isEmpty == false)
            #expect(reply["payment_option"] == "VISA" && reply["digital_wallet"] == "APPLE_PAY" && reply["eci"] == "ECOMMERCE")
            #expect(reply["access_code"] == F.credentials.accessCode && reply["merchant_extra"] == "basket 7")
            // The objects come back as they were sent, members in the order sent.
            #expect(reply.object["apple_header"] == F.header() && reply.object["apple_paymentMethod"] == F.paymentMethod())
            #expect(reply.object["apple_header"]?.objectValue?.members.map(\.key) == ["apple_transactionId", "apple_publicKeyHash", "apple_ephemeralPublicKey"])
            #expect(F.isSigned(reply, by: F.account) && !F.isSigned(reply, by: Merchant.demo))

            let order = try #require(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "ap-1"))
            #expect(order.payment.digitalWallet == "APPLE_PAY" && order.payment.paymentOption == "VISA" && order.paymentLinkID == nil)
            #expect(order.requestFields["apple_data"] == nil && order.requestFields["apple_signature"] == nil)

            // Direct Transaction Feedback: the wallet, the Apple Pay access code and phrase, no token.
            let feedback = try #require(F.feedback(sandbox, reference: "ap-1").first)
            #expect(feedback["digital_wallet"]?.stringValue == "APPLE_PAY" && feedback["payment_option"]?.stringValue == "VISA")
            #expect(feedback["response_code"]?.stringValue == "14000" && feedback["access_code"]?.stringValue == F.credentials.accessCode)
            #expect(feedback["apple_data"] == nil && feedback["apple_header"] == nil)
            var unsigned = feedback
            unsigned["signature"] = nil
            #expect(feedback["signature"]?.stringValue == F.account.signer.sign(unsigned, phrase: F.credentials.responsePhrase))
        }
    }

    @Test func declinedPurchaseAndAuthorization_answerTheirStatus_withTheDeclineCode() async throws {
        try await F.withSandbox { sandbox, apple, _ in
            let purchase = try apple.send(F.payment("ap-d1", displayName: "Visa 0028"))
            #expect(purchase.code == "13029" && purchase["status"] == "13" && purchase["fort_id"] != nil, "\(purchase.object)")
            let authorization = try apple.send(F.payment("ap-d2", command: "AUTHORIZATION", displayName: "MasterCard 0663", network: "MasterCard"))
            #expect(authorization.code == "03666" && authorization["payment_option"] == "MASTERCARD", "\(authorization.object)")
            #expect(F.isSigned(authorization, by: F.account))
            let feedback = try #require(F.feedback(sandbox, reference: "ap-d2").first)
            #expect(feedback["response_code"]?.stringValue == "03666" && feedback["digital_wallet"]?.stringValue == "APPLE_PAY")
        }
    }

    @Test func uncertainPurchase_answers15777_andSettlesApproved() async throws {
        try await F.withSandbox { sandbox, apple, _ in
            let reply = try apple.send(F.payment("ap-u", displayName: "mada 0770", network: "mada"))
            #expect(reply.code == "15777" && reply["payment_option"] == "MADA", "\(reply.object)")
            try sandbox.clock.advance(milliseconds: (TestCards.uncertainResolutionSeconds + 1) * 1_000)
            try apple.http.settle()
            let status = try apple.send(["query_command": "CHECK_STATUS", "merchant_reference": "ap-u", "language": "en"])
            #expect(status.code == "12000" && status["transaction_status"] == "14", "\(status.object)")
        }
    }

    @Test func approvedAuthorization_isCapturedAndRefunded_withEitherCredentialSet() async throws {
        try await F.withSandbox { sandbox, apple, ordinary in
            let authorized = try apple.send(F.payment("ap-a", command: "AUTHORIZATION"))
            #expect(authorized.code == "02000" && authorized["status"] == "02", "\(authorized.object)")
            // The WooCommerce plugin captures an Apple Pay order with the Apple Pay credentials...
            let capture = try apple.send(["command": "CAPTURE", "merchant_reference": "ap-a", "amount": "10000", "currency": "SAR", "language": "en"])
            #expect(capture.code == "04000" && F.isSigned(capture, by: F.account), "\(capture.object)")
            // ...the PHP SDK refunds with the ordinary ones; the answer is signed with the set used.
            let refund = try ordinary.send(["command": "REFUND", "merchant_reference": "ap-a", "amount": "4000", "currency": "SAR", "language": "en"])
            #expect(refund.code == "06000" && F.isSigned(refund, by: Merchant.demo), "\(refund.object)")
            let status = try apple.send(["query_command": "CHECK_STATUS", "merchant_reference": "ap-a", "language": "en"])
            #expect(status.code == "12000" && F.isSigned(status, by: F.account), "\(status.object)")

            // The capture's notification goes with the Apple Pay credentials, as the plugin checks it.
            let captured = try #require(F.feedback(sandbox, reference: "ap-a").first { $0["command"]?.stringValue == "CAPTURE" })
            #expect(captured["access_code"]?.stringValue == F.credentials.accessCode && captured["digital_wallet"]?.stringValue == "APPLE_PAY")
            let refunded = try #require(F.feedback(sandbox, reference: "ap-a").first { $0["command"]?.stringValue == "REFUND" })
            var unsigned = refunded
            unsigned["signature"] = nil
            #expect(refunded["signature"]?.stringValue == F.account.signer.sign(unsigned, phrase: F.credentials.responsePhrase))
        }
    }

    @Test func aForcedResponseCode_isSignedWithTheApplePayPhrase() async throws {
        try await F.withSandbox { sandbox, apple, _ in
            let armed = try apple.http.post("/__sandbox/faults", json: #"{"type":"response_code","response_code":"00006"}"#)
            #expect(armed.status == 201 || armed.status == 200, "\(armed.text)")
            let reply = try apple.send(F.payment("ap-f"))
            #expect(reply.code == "00006" && F.isSigned(reply, by: F.account), "\(reply.object)")
            #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "ap-f") == nil)
        }
    }

    @Test func aReusedReference_isRefused00066() async throws {
        try await F.withSandbox { _, apple, _ in
            #expect(try apple.send(F.payment("ap-r")).code == "14000")
            let again = try apple.send(F.payment("ap-r"))
            #expect(again.code == "00066" && F.isSigned(again, by: F.account), "\(again.object)")
        }
    }
}
