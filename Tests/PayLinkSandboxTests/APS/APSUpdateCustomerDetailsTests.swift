import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// `UPDATE_PAYMENT_LINK` applies every field it answers `78000` for: the customer details are
/// checked as `PAYMENT_LINK` checks them, kept, shown everywhere, survive a state snapshot, and
/// a new notification type or recipient sends the link's message again. The fields fixed at
/// creation are refused rather than echoed as if applied.
struct APSUpdateCustomerDetailsTests {
    func update(_ aps: APSTestClient, _ id: String, _ fields: JSONObject) throws -> APSTestClient.Reply {
        var params: JSONObject = ["service_command": "UPDATE_PAYMENT_LINK", "payment_link_id": .string(id), "language": "en"]
        for (k, v) in fields { params[k] = v }
        return try aps.send(params)
    }

    func outbox(_ aps: APSTestClient) throws -> [JSONObject] {
        let body = try #require(try JSONParser.parse(try aps.http.get("/__sandbox/outbox").body).objectValue)
        return body["messages"]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    func controlLink(_ aps: APSTestClient, _ id: String) throws -> JSONObject {
        try #require(try JSONParser.parse(try aps.http.get("/__sandbox/links/\(id)").body).objectValue)
    }

    let newDetails: JSONObject = [
        "customer_email": "new.customer@example.com", "customer_phone": "00966500000002", "notification_type": "EMAIL,SMS",
        "customer_name": "Sara Ahmed", "order_description": "Invoice 8", "amount": "99000",
    ]

    @Test func customerDetails_apply_andShowInTheControlAPI_checkStatus_andTheHostedPage() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("upd-details", ["customer_name": "Old Name", "order_description": "Invoice 7"])
            let reply = try update(aps, id, newDetails)
            #expect(reply.code == "78000", "\(reply.object)")

            let shown = try controlLink(aps, id)
            #expect(shown["customer_email"] == "new.customer@example.com")
            #expect(shown["customer_phone"] == "00966500000002")
            #expect(shown["notification_type"] == "EMAIL,SMS")
            #expect(shown["customer_name"] == "Sara Ahmed" && shown["order_description"] == "Invoice 8")

            let check = try aps.check(id: id)
            #expect(check["customer_email"] == "new.customer@example.com" && check["customer_phone"] == "00966500000002")
            #expect(check["notification_type"] == "EMAIL,SMS" && check["customer_name"] == "Sara Ahmed")
            #expect(check["order_description"] == "Invoice 8" && check["amount"] == "99000")

            let token = try #require(sandbox.engine.link(id: id)).link.token
            let page = try aps.http.get("/pay/" + token).text
            #expect(page.contains("Sara Ahmed") && page.contains("Invoice 8") && page.contains("990.00 SAR"))
            #expect(!page.contains("Old Name") && !page.contains("Invoice 7"))
        }
    }

    @Test func changedDetails_surviveAStateSnapshot() async throws {
        var exported: [UInt8] = []
        var id = ""
        try await withSandbox { sandbox, aps in
            id = try aps.createLink("upd-snapshot")
            #expect(try update(aps, id, newDetails).code == "78000")
            exported = sandbox.service.exportState().serialized()
        }
        try await withSandbox { sandbox, aps in
            let imported = try aps.http.request("PUT", "/__sandbox/state", body: exported, headers: [("Content-Type", "application/json")])
            #expect(imported.status == 200, "\(imported.text)")
            let link = try #require(sandbox.engine.link(id: id)).link
            #expect(link.customerEmail == "new.customer@example.com" && link.customerPhone == "00966500000002")
            #expect(link.notificationType == "EMAIL,SMS" && link.customerName == "Sara Ahmed" && link.orderDescription == "Invoice 8")
            #expect(try aps.check(id: id)["customer_email"] == "new.customer@example.com")
        }
    }

    @Test func aNewRecipientOrNotificationType_sendsTheLinkMessageAgain_toTheNewRecipientOnly() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("upd-resend", ["notification_type": "EMAIL"])
            #expect(try outbox(aps).count == 1)
            #expect(try update(aps, id, ["customer_name": "Sara"]).code == "78000")
            #expect(try outbox(aps).count == 1, "a new name is not a new recipient")

            #expect(try update(aps, id, ["customer_email": "second@example.com"]).code == "78000")
            var messages = try outbox(aps)
            #expect(messages.count == 2)
            #expect(messages[1]["channel"] == "EMAIL" && messages[1]["recipient"] == "second@example.com")
            #expect(messages[1]["text"]?.stringValue?.contains("Dear Sara") == true)

            #expect(try update(aps, id, ["notification_type": "EMAIL,SMS", "customer_phone": "00966500000003"]).code == "78000")
            messages = try outbox(aps)
            #expect(messages.count == 3, "only the SMS is new")
            #expect(messages[2]["channel"] == "SMS" && messages[2]["recipient"] == "00966500000003")

            #expect(try update(aps, id, ["notification_type": "NONE", "customer_email": "third@example.com"]).code == "78000")
            #expect(try outbox(aps).count == 3, "NONE sends nothing")
        }
    }

    @Test func aClosedLink_getsItsNewDetails_butNoMessage() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("upd-closed", ["notification_type": "EMAIL"])
            #expect(try update(aps, id, ["payment_link_status": "Closed", "customer_email": "late@example.com"]).code == "78000")
            #expect(try outbox(aps).count == 1)
            #expect(sandbox.engine.link(id: id)?.link.customerEmail == "late@example.com")
        }
    }

    @Test(arguments: [
        (["customer_email": "not-an-email"] as [String: String], "00002"),
        (["customer_email": String(repeating: "a", count: 250) + "@x.co"], "00032"),
        (["customer_phone": "+966 50"], "00002"),
        (["customer_phone": "12345678901234567890"], "00032"),
        (["notification_type": "FAX"], "00002"),
        (["notification_type": "SMS"], "00001"),
        (["customer_name": "R2D2"], "00002"),
        (["currency": "XYZ"], "00013"),
    ])
    func badCustomerDetails_areRefusedAsPaymentLinkRefusesThem_andChangeNothing(_ pairs: [String: String], _ code: String) async throws {
        let fields = JSONObject(strings: pairs)
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("upd-bad")
            let before = try #require(sandbox.engine.link(id: id)).link
            let reply = try update(aps, id, fields)
            #expect(reply.code == code, "\(fields): \(reply.object) \(reply.detail ?? "")")
            #expect(sandbox.engine.link(id: id)?.link == before)
            #expect(try outbox(aps).isEmpty)
        }
    }

    @Test func smsWithTheLinksExistingPhone_isAccepted() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("upd-sms", ["customer_phone": "00966500000004"])
            #expect(try update(aps, id, ["notification_type": "SMS"]).code == "78000")
            let messages = try outbox(aps)
            #expect(messages.count == 1 && messages[0]["recipient"] == "00966500000004")
        }
    }

    /// `payment_option`, `link_command`, `return_url`, the merchant extras and the settlement
    /// reference are fixed when the link is created.
    @Test(arguments: [
        (["payment_option": "MADA"] as [String: String], "00033"),
        (["link_command": "AUTHORIZATION"], "00033"),
        (["return_url": "https://shop.example/other"], "00033"),
        (["merchant_extra": "other"], "00033"),
        (["merchant_extra3": "set-later"], "00033"),
        (["settlement_reference": "other"], "00033"),
        (["payment_option": "VISA", "link_command": "PURCHASE", "return_url": "https://shop.example/return",
          "merchant_extra": "cart-7", "settlement_reference": "settle-7"], "78000"),
    ])
    func fixedFields_passWithTheLinksOwnValue_andAreRefusedWithAnother(_ pairs: [String: String], _ code: String) async throws {
        let fields = JSONObject(strings: pairs)
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("upd-fixed", ["payment_option": "VISA", "return_url": "https://shop.example/return",
                                                      "merchant_extra": "cart-7", "settlement_reference": "settle-7"])
            let before = try #require(sandbox.engine.link(id: id)).link
            let reply = try update(aps, id, fields.merging(["customer_name": "Sara"]))
            #expect(reply.code == code, "\(reply.object)")
            let after = try #require(sandbox.engine.link(id: id)).link
            #expect(after.paymentOption == "VISA" && after.linkCommand == "PURCHASE" && after.returnURL == "https://shop.example/return")
            #expect(after.merchantExtras == ["merchant_extra": "cart-7"] && after.settlementReference == "settle-7")
            #expect((after.customerName == "Sara") == (code == "78000") && (after == before) == (code != "78000"))
        }
    }
}

extension JSONObject {
    /// String members in key order (a dictionary is `Sendable`, so test arguments use one).
    init(strings: [String: String]) {
        self.init(strings.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: .string($0.value)) })
    }

    /// This object with `other`'s members set over it.
    func merging(_ other: JSONObject) -> JSONObject {
        var result = self
        for (key, value) in other { result[key] = value }
        return result
    }
}
