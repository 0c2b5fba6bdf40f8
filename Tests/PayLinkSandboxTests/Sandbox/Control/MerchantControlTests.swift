import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing

/// Helpers for the merchant routes: a merchant as a config entry, read back from answers.
enum MerchantControl {
    /// A merchant made at run time, with its own phrases and algorithm.
    static let shopEntry = #"{"merchant_identifier": "Shop1", "access_code": "shopAccess1", "sha_type": "SHA-512", "sha_request_phrase": "shop-in", "sha_response_phrase": "shop-out", "currencies": ["SAR"]}"#
    static let shop: Merchant = {
        var merchant = Merchant(identifier: "Shop1", accessCode: "shopAccess1", shaType: .sha512, requestPhrase: "shop-in",
                                responsePhrase: "shop-out", currencies: ["SAR"])
        merchant.paymentOptions = nil
        return merchant
    }()

    static func object(_ response: HTTPTestClient.Response) throws -> JSONObject {
        try #require(try JSONParser.parse(response.body).objectValue, "\(response.status) \(response.text)")
    }

    static func array(_ response: HTTPTestClient.Response) throws -> [JSONValue] {
        try #require(try JSONParser.parse(response.body).arrayValue, "\(response.status) \(response.text)")
    }

    /// A config entry for a merchant named `identifier` whose feedback goes to `url`.
    static func entry(_ identifier: String, notificationURL url: String? = nil) -> String {
        var members = [#""merchant_identifier": "\#(identifier)""#, #""access_code": "access\#(identifier)""#,
                       #""sha_request_phrase": "in-\#(identifier)""#, #""sha_response_phrase": "out-\#(identifier)""#]
        if let url { members.append(#""notification_url": "\#(url)""#) }
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// The merchant `entry` describes, to sign requests with.
    static func merchant(_ identifier: String, notificationURL url: String? = nil) -> Merchant {
        Merchant(identifier: identifier, accessCode: "access\(identifier)", requestPhrase: "in-\(identifier)",
                 responsePhrase: "out-\(identifier)", notificationURL: url)
    }
}

/// `GET|POST /__sandbox/merchants`, `GET|PUT|DELETE /__sandbox/merchants/{merchant_identifier}`
/// and the PayByLink keys, over a socket.
struct MerchantControlTests {
    @Test func aMerchantMadeAtRunTime_signsTheNextRequest_andIsListed() async throws {
        try await withSandbox { sandbox, aps throws in
            let http = aps.http
            let created = try http.post("/__sandbox/merchants", json: MerchantControl.shopEntry)
            #expect(created.status == 201)
            let body = try MerchantControl.object(created)
            #expect(body["sha_type"] == "SHA-512" && body["sha_request_phrase"] == "shop-in" && body["feedback_format"] == "json")
            #expect(body["currencies"] == ["SAR"])
            let shop = APSTestClient(http: http, merchant: MerchantControl.shop)
            let reply = try shop.send(APSTestClient.paymentLink("shop-1"))
            #expect(reply.code == "48000")
            #expect(reply["signature"] == MerchantControl.shop.signer.sign(reply.object.removing("signature"), phrase: "shop-out"))
            #expect(try shop.send(APSTestClient.paymentLink("shop-2", ["currency": "USD"])).code != "48000")
            let listed = try MerchantControl.array(try http.get("/__sandbox/merchants"))
            #expect(listed.compactMap { $0.objectValue?["merchant_identifier"]?.stringValue } == ["CycHZxVj", "Shop1"])
            #expect(try MerchantControl.object(try http.get("/__sandbox/merchants/Shop1")) == body)
            let again = try http.post("/__sandbox/merchants", json: MerchantControl.shopEntry)
            #expect(again.status == 409)
            #expect(try MerchantControl.object(again)["error"] == "merchant_exists")
            _ = sandbox
        }
    }

    @Test(arguments: [
        ("{not json", 400, "invalid_json", nil),
        ("[1]", 400, "invalid_body", nil),
        (#"{"merchant_identifier": "Shop1", "sha_request_phrase": "a", "sha_response_phrase": "b"}"#, 400, "invalid_field", "access_code"),
        (#"{"merchant_identifier": "Shop-1", "access_code": "a", "sha_request_phrase": "a", "sha_response_phrase": "b"}"#, 400, "invalid_field", "merchant_identifier"),
        (#"{"merchant_identifier": "Shop1", "access_code": "a", "sha_type": "MD5", "sha_request_phrase": "a", "sha_response_phrase": "b"}"#, 400, "invalid_field", "sha_type"),
        (#"{"merchant_identifier": "Shop1", "access_code": "a", "sha_request_phrase": "a", "sha_response_phrase": "b", "currencies": ["XXY"]}"#, 400, "invalid_field", "currencies[0]"),
        (#"{"merchant_identifier": "Shop1", "access_code": "a", "sha_request_phrase": "a", "sha_response_phrase": "b", "notification_url": "ftp://x"}"#, 400, "invalid_field", "notification_url"),
        (#"{"merchant_identifier": "Shop1", "access_code": "a", "sha_request_phrase": "a", "sha_response_phrase": "b", "colour": "red"}"#, 400, "invalid_field", "colour"),
    ] as [(String, Int, String, String?)])
    func aBadMerchant_isRefused_namingTheField_andNothingIsMade(_ body: String, _ status: Int, _ error: String, _ field: String?) async throws {
        try await withSandbox { _, aps throws in
            let answer = try aps.http.post("/__sandbox/merchants", json: body)
            #expect(answer.status == status)
            let object = try MerchantControl.object(answer)
            #expect(object["error"] == .string(error))
            if let field { #expect(object["field"] == .string(field), "\(object)") }
            #expect(try MerchantControl.array(try aps.http.get("/__sandbox/merchants")).count == 1)
        }
    }

    @Test func put_replacesAMerchant_fromTheNextRequest_andCanMakeOne() async throws {
        try await withSandbox { _, aps throws in
            let http = aps.http
            let replaced = try http.request("PUT", "/__sandbox/merchants/CycHZxVj",
                                            body: Array(#"{"access_code": "zx0IPmPy5jp1vAz8Kpg7", "sha_request_phrase": "new-in", "sha_response_phrase": "new-out"}"#.utf8))
            #expect(replaced.status == 200)
            #expect(try aps.send(APSTestClient.paymentLink("old-phrase")).code == "00008")
            var demo = Merchant.demo
            demo.requestPhrase = "new-in"
            demo.responsePhrase = "new-out"
            #expect(try APSTestClient(http: http, merchant: demo).send(APSTestClient.paymentLink("new-phrase")).code == "48000")
            let made = try http.request("PUT", "/__sandbox/merchants/Made1", body: Array(MerchantControl.entry("Made1").utf8))
            #expect(made.status == 201)
            let mismatch = try http.request("PUT", "/__sandbox/merchants/Made1", body: Array(MerchantControl.entry("Other1").utf8))
            #expect(mismatch.status == 400)
            #expect(try MerchantControl.object(mismatch)["field"] == "merchant_identifier")
            let bad = try http.request("PUT", "/__sandbox/merchants/Made1", body: Array(#"{"access_code": "a"}"#.utf8))
            #expect(bad.status == 400)
            #expect(try MerchantControl.object(bad)["field"] == "sha_request_phrase")
        }
    }

    /// The set-up a container-based test needs: the application's callback port is known only
    /// once the sandbox runs, so the configured merchant's URL is pointed at it then.
    @Test func aReplacedNotificationURL_getsTheNextFeedback() async throws {
        let feedback = try FeedbackReceiverServer()
        defer { feedback.stop() }
        let (receiver, port) = (feedback.receiver, feedback.port)
        var config = SandboxConfiguration.testing()
        config.backgroundWork = .manual
        try await withSandbox(config) { _, aps throws in
            var demo = Merchant.demo
            demo.notificationURL = "http://127.0.0.1:\(port)/callback"
            let entry = String(decoding: JSONValue.object(MerchantEntryJSON.encode(demo)).serialized(), as: UTF8.self)
            #expect(try aps.http.request("PUT", "/__sandbox/merchants/CycHZxVj", body: Array(entry.utf8)).status == 200)
            let id = try aps.createLink("callback-1")
            #expect(try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#).status == 200)
            try aps.http.settle()
            let request = try #require(receiver.requests.first)
            #expect(request.path == "/callback")
            let payload = try #require(try JSONParser.parse(request.body).objectValue)
            #expect(payload["signature"] == .string(demo.signer.sign(payload, phrase: demo.responsePhrase)))
        }
    }

    @Test func delete_takesARuntimeMerchantWithItsLinks_andRefusesAConfiguredOne() async throws {
        try await withSandbox { _, aps throws in
            let http = aps.http
            #expect(try http.post("/__sandbox/merchants", json: MerchantControl.shopEntry).status == 201)
            let shop = APSTestClient(http: http, merchant: MerchantControl.shop)
            let id = try shop.createLink("gone-1")
            let deleted = try http.request("DELETE", "/__sandbox/merchants/Shop1")
            #expect(deleted.status == 200)
            #expect(try MerchantControl.object(deleted)["links_removed"] == 1)
            #expect(try http.get("/__sandbox/links/\(id)").status == 404)
            #expect(try shop.send(APSTestClient.paymentLink("gone-2")).code != "48000")
            #expect(try http.get("/__sandbox/merchants/Shop1").status == 404)
            let again = try http.request("DELETE", "/__sandbox/merchants/Shop1")
            #expect(again.status == 404)
            #expect(try MerchantControl.object(again)["error"] == "merchant_not_found")
            let configured = try http.request("DELETE", "/__sandbox/merchants/CycHZxVj")
            #expect(configured.status == 409)
            #expect(try MerchantControl.object(configured)["error"] == "merchant_configured")
            // Made again, it starts afresh: the reference is free.
            #expect(try http.post("/__sandbox/merchants", json: MerchantControl.shopEntry).status == 201)
            #expect(try shop.send(APSTestClient.paymentLink("gone-1")).code == "48000")
        }
    }

    @Test(arguments: [("GET", ""), ("DELETE", ""), ("GET", "/clock"), ("POST", "/clock"), ("DELETE", "/clock")])
    func anUnknownMerchant_is404(_ method: String, _ suffix: String) async throws {
        try await withSandbox { _, aps throws in
            let answer = try aps.http.request(method, "/__sandbox/merchants/Nobody1" + suffix, body: Array(#"{"advance_seconds": 1}"#.utf8))
            #expect(answer.status == 404)
            #expect(try MerchantControl.object(answer)["error"] == "merchant_not_found")
        }
    }

    @Test func subscriptionKeys_addedAtRunTime_openPayByLink_untilDeleted() async throws {
        try await withSandbox { sandbox, aps throws in
            let http = aps.http
            #expect(try MerchantControl.object(try http.get("/__sandbox/paybylink/subscription-keys"))["subscription_keys"] == ["test-subscription-key"])
            let added = try http.post("/__sandbox/paybylink/subscription-keys", json: #"{"subscription_key": "team+a"}"#)
            #expect(added.status == 201)
            var client = PayByLinkTestClient(port: sandbox.port)
            client.key = "team+a"
            #expect(try client.create("key-1").status == 201)
            #expect(try http.post("/__sandbox/paybylink/subscription-keys", json: #"{"subscription_key": "team+a"}"#).status == 409)
            for body in [#"{"key": "x"}"#, #"{"subscription_key": ""}"#, #"{"subscription_key": "has space"}"#, "{oops"] {
                #expect(try http.post("/__sandbox/paybylink/subscription-keys", json: body).status == 400, "\(body)")
            }
            #expect(try MerchantControl.object(try http.get("/__sandbox/paybylink/subscription-keys"))["subscription_keys"] == ["test-subscription-key", "team+a"])
            let deleted = try http.request("DELETE", "/__sandbox/paybylink/subscription-keys/team+a")
            #expect(deleted.status == 200)
            #expect(try MerchantControl.object(deleted)["subscription_keys"] == ["test-subscription-key"])
            #expect(try client.post("/requests", PayByLinkTestClient.body("key-2")).status == 401)
            #expect(try http.request("DELETE", "/__sandbox/paybylink/subscription-keys/team+a").status == 404)
            #expect(try http.request("DELETE", "/__sandbox/paybylink/subscription-keys/test-subscription-key").status == 409)
        }
    }

    @Test func reset_returnsToTheConfiguredMerchantsKeysAndClocks() async throws {
        try await withSandbox { _, aps throws in
            let http = aps.http
            #expect(try http.post("/__sandbox/merchants", json: MerchantControl.shopEntry).status == 201)
            #expect(try http.request("PUT", "/__sandbox/merchants/CycHZxVj", body: Array(MerchantControl.entry("CycHZxVj").utf8)).status == 200)
            #expect(try http.post("/__sandbox/paybylink/subscription-keys", json: #"{"subscription_key": "k2"}"#).status == 201)
            #expect(try http.post("/__sandbox/merchants/Shop1/clock", json: #"{"advance_seconds": 60}"#).status == 200)
            #expect(try http.post("/__sandbox/reset", json: "{}").status == 200)
            #expect(try MerchantControl.array(try http.get("/__sandbox/merchants")).count == 1)
            #expect(try aps.send(APSTestClient.paymentLink("after-reset")).code == "48000")
            #expect(try MerchantControl.object(try http.get("/__sandbox/paybylink/subscription-keys"))["subscription_keys"] == ["test-subscription-key"])
        }
    }

    @Test func aMerchantsClock_startsFromTheSandboxClock_movesAlone_andGoesBack() async throws {
        try await withSandbox { _, aps throws in
            let http = aps.http
            #expect(try http.post("/__sandbox/merchants", json: MerchantControl.shopEntry).status == 201)
            let before = try MerchantControl.object(try http.get("/__sandbox/merchants/Shop1/clock"))
            #expect(before["own_clock"] == false && before["now"] == "2026-01-01T00:00:00Z" && before["mode"] == "frozen")
            let moved = try MerchantControl.object(try http.post("/__sandbox/merchants/Shop1/clock", json: #"{"advance_seconds": 3600}"#))
            #expect(moved["own_clock"] == true && moved["now"] == "2026-01-01T01:00:00Z")
            let set = try MerchantControl.object(try http.post("/__sandbox/merchants/Shop1/clock", json: #"{"set": "2026-02-01T00:00:00+03:00"}"#))
            #expect(set["now"] == "2026-01-31T21:00:00Z")
            #expect(try MerchantControl.object(try http.post("/__sandbox/merchants/Shop1/clock", json: #"{"mode": "running"}"#))["mode"] == "running")
            #expect(try MerchantControl.object(try http.get("/__sandbox/clock"))["now"] == "2026-01-01T00:00:00Z")
            #expect(try MerchantControl.object(try http.get("/__sandbox/merchants/CycHZxVj/clock"))["own_clock"] == false)
            for body in [#"{"advance_seconds": -1}"#, #"{"set": "tomorrow"}"#, #"{"mode": "fast"}"#, #"{"advance_seconds": 1, "mode": "frozen"}"#, #"{"speed": 2}"#, "{oops"] {
                #expect(try http.post("/__sandbox/merchants/Shop1/clock", json: body).status == 400, "\(body)")
            }
            let back = try MerchantControl.object(try http.request("DELETE", "/__sandbox/merchants/Shop1/clock"))
            #expect(back["own_clock"] == false && back["now"] == "2026-01-01T00:00:00Z")
        }
    }
}
