import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// The merchant's separate Apple Pay credentials: required for Apple Pay, refused elsewhere,
/// read from the config and the control API, kept in state snapshots.
struct ApplePayCredentialTests {
    typealias F = ApplePayFixture

    /// The ordinary access code passes (the PHP SDK sends it), the ordinary phrase does not.
    @Test func theOrdinaryCredentials_areRefusedForApplePay_008_andChargeNothing() async throws {
        try await F.withSandbox { sandbox, _, ordinary in
            let reply = try ordinary.send(F.payment("ap-c1"))
            #expect(reply.code == "00008" && reply.detail?.contains("signature mismatch") == true, "\(reply.object)")
            #expect(F.isSigned(reply, by: F.account))
            #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "ap-c1") == nil)
        }
    }

    @Test func theApplePayAccessCode_withTheOrdinaryPhrase_is008() async throws {
        try await F.withSandbox { _, _, ordinary in
            let reply = try ordinary.send(F.payment("ap-c2", ["access_code": .string(F.credentials.accessCode)]))
            #expect(reply.code == "00008" && reply.detail?.contains("signature mismatch") == true, "\(reply.object)")
        }
    }

    @Test func theApplePayCredentials_areRefusedForACardPayment_010() async throws {
        try await F.withSandbox { sandbox, apple, _ in
            try ServerToServerFixture.saveToken(sandbox, "tok-visa", card: ServerToServerFixture.visa)
            let reply = try apple.send(ServerToServerFixture.tokenPayment("card-1", token: "tok-visa"))
            #expect(reply.code == "00010", "\(reply.object)")
            let link = try apple.send(APSTestClient.paymentLink("link-1"))
            #expect(link.code == "00010", "\(link.object)")
        }
    }

    @Test func aMerchantWithoutApplePayCredentials_isRefused010_signedWithItsOwnPhrase() async throws {
        try await F.withSandbox { _, apple, _ in
            let client = APSTestClient(http: apple.http, merchant: F.withoutApplePay)
            let reply = try client.send(F.payment("ap-c3"))
            #expect(reply.code == "00010" && reply.detail?.contains("apple_pay") == true, "\(reply.object)")
            #expect(F.isSigned(reply, by: F.withoutApplePay))
        }
    }

    @Test func aMerchantWhosePaymentOptionsLeaveOutApplePay_isRefused003() async throws {
        var merchant = F.merchant
        merchant.paymentOptions = ["VISA", "MASTERCARD"]
        try await PayLinkSandboxTests.withSandbox(.testing(merchants: [merchant])) { sandbox, ordinary in
            let apple = APSTestClient(http: ordinary.http, merchant: merchant.applePayAccount!)
            let reply = try apple.send(F.payment("ap-o1"))
            #expect(reply.code == "00003" && reply.detail?.contains("APPLE_PAY") == true, "\(reply.object)")
            #expect(sandbox.engine.order(merchant: merchant.identifier, reference: "ap-o1") == nil)
        }
    }

    @Test func theConfigEntry_readsAndWritesApplePay_andRefusesABadOne() throws {
        let entry: JSONValue = ["merchant_identifier": "Shop1", "access_code": "shopcode", "sha_request_phrase": "in", "sha_response_phrase": "out",
                                "apple_pay": ["access_code": "shopapple", "sha_type": "SHA-512", "sha_request_phrase": "a-in", "sha_response_phrase": "a-out"]]
        let merchant = try MerchantEntryJSON.decode(entry, path: "merchants[0]")
        #expect(merchant.applePay == ApplePayCredentials(accessCode: "shopapple", shaType: .sha512, requestPhrase: "a-in", responsePhrase: "a-out"))
        #expect(try MerchantEntryJSON.decode(.object(MerchantEntryJSON.encode(merchant)), path: "m") == merchant)
        let plain = try MerchantEntryJSON.decode(["merchant_identifier": "Shop2", "access_code": "c", "sha_request_phrase": "i", "sha_response_phrase": "o"], path: "m")
        #expect(plain.applePay == nil && MerchantEntryJSON.encode(plain)["apple_pay"] == nil)

        let bad: [(JSONValue, String)] = [
            (["access_code": "shopapple", "sha_request_phrase": "a-in"], "merchants[0].apple_pay.sha_response_phrase"),
            (["access_code": "shop-apple!", "sha_request_phrase": "a-in", "sha_response_phrase": "a-out"], "merchants[0].apple_pay.access_code"),
            (["access_code": "shopapple", "sha_request_phrase": "a-in", "sha_response_phrase": "a-out", "sha_type": "MD5"], "merchants[0].apple_pay.sha_type"),
            (["access_code": "shopapple", "sha_request_phrase": "a-in", "sha_response_phrase": "a-out", "merchant_uid": "x"], "merchants[0].apple_pay.merchant_uid"),
            ("yes", "merchants[0].apple_pay"),
        ]
        for (applePay, path) in bad {
            var object = entry.objectValue!
            object["apple_pay"] = applePay
            #expect(throws: ConfigurationError.self) { try MerchantEntryJSON.decode(.object(object), path: "merchants[0]") }
            do { _ = try MerchantEntryJSON.decode(.object(object), path: "merchants[0]") } catch {
                #expect(error.path == path, "\(error)")
            }
        }
    }

    @Test func aMerchantMadeAtRunTime_withApplePay_takesApplePayPayments() async throws {
        try await F.withSandbox { _, apple, _ in
            let made = try apple.http.post("/__sandbox/merchants", json: #"{"merchant_identifier":"Runtime1","access_code":"runcode","sha_request_phrase":"r-in","sha_response_phrase":"r-out","apple_pay":{"access_code":"runapple","sha_request_phrase":"ra-in","sha_response_phrase":"ra-out"}}"#)
            #expect(made.status == 201 || made.status == 200, "\(made.text)")
            #expect(made.text.contains("runapple"))
            var runtime = Merchant(identifier: "Runtime1", accessCode: "runcode", requestPhrase: "r-in", responsePhrase: "r-out")
            runtime.applePay = ApplePayCredentials(accessCode: "runapple", requestPhrase: "ra-in", responsePhrase: "ra-out")
            let client = APSTestClient(http: apple.http, merchant: runtime.applePayAccount!)
            let reply = try client.send(F.payment("rt-1"))
            #expect(reply.code == "14000" && F.isSigned(reply, by: runtime.applePayAccount!), "\(reply.object)")
        }
    }
}
