import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// `notification_type` EMAIL and/or SMS puts messages in the outbox; nothing is sent.
struct OutboxTests {
    func outbox(_ aps: APSTestClient, _ query: String = "") throws -> (status: Int, messages: [JSONObject]) {
        let response = try aps.http.get("/__sandbox/outbox" + query)
        let body = try #require(try JSONParser.parse(response.body).objectValue)
        return (response.status, body["messages"]?.arrayValue?.compactMap(\.objectValue) ?? [])
    }

    @Test func emailNotification_putsOneEmailWithTheLinkAndFormattedAmount() async throws {
        try await withSandbox { sandbox, aps in
            let reply = try aps.send(APSTestClient.paymentLink("mail-1", ["notification_type": "EMAIL", "customer_name": "Sara",
                                                                            "order_description": "Invoice 7"]))
            let url = try #require(reply["payment_link"])
            let messages = try outbox(aps).messages
            #expect(messages.count == 1)
            let mail = try #require(messages.first)
            #expect(mail["channel"] == "EMAIL")
            #expect(mail["recipient"] == "customer@example.com")
            #expect(mail["payment_link_id"] == .string(try #require(reply["payment_link_id"])))
            let text = try #require(mail["text"]?.stringValue)
            #expect(text.contains(url))
            #expect(text.contains("1,250.00 SAR"))
            #expect(text.contains("Dear Sara"))
            #expect(mail["subject"] == "Payment request mail-1")
            #expect(sandbox.service.outbox.messages().count == 1)
        }
    }

    @Test func smsAndEmail_bothGo_andSMSGoesToThePhone() async throws {
        try await withSandbox { _, aps in
            _ = try aps.createLink("both-1", ["notification_type": "EMAIL,SMS", "customer_phone": "00966500000001"])
            let messages = try outbox(aps).messages
            #expect(messages.map { $0["channel"]?.stringValue } == ["EMAIL", "SMS"])
            #expect(messages[1]["recipient"] == "00966500000001")
            let sms = try outbox(aps, "?channel=sms").messages
            #expect(sms.count == 1 && sms[0]["channel"] == "SMS")
        }
    }

    @Test func noneOrNoneWithEmail_sendsNothing() async throws {
        try await withSandbox { _, aps in
            _ = try aps.createLink("none-a", ["notification_type": "NONE"])
            _ = try aps.createLink("none-b", ["notification_type": "NONE,EMAIL"])
            #expect(try outbox(aps).messages.isEmpty)
        }
    }

    @Test func arabicLinks_getArabicMessages_withThreeDecimalAmounts() async throws {
        try await withSandbox { _, aps in
            _ = try aps.createLink("ar-1", ["notification_type": "SMS", "customer_phone": "0096550000000", "language": "ar",
                                            "currency": "KWD", "amount": "1250500"])
            let sms = try #require(try outbox(aps).messages.first)
            let text = try #require(sms["text"]?.stringValue)
            #expect(text.contains("طلب دفع"))
            #expect(text.contains("1,250.500 KWD"))
        }
    }

    @Test func refusedRequests_sendNothing() async throws {
        try await withSandbox { _, aps in
            _ = try aps.send(APSTestClient.paymentLink("bad-1", ["notification_type": "EMAIL", "amount": "0"]))
            _ = try aps.createLink("dup-1", ["notification_type": "EMAIL"])
            _ = try aps.send(APSTestClient.paymentLink("dup-1", ["notification_type": "EMAIL"]))  // 49066
            #expect(try outbox(aps).messages.count == 1)
        }
    }

    @Test func filters_byLinkAndRecipient_andUnknownFilterIs400() async throws {
        try await withSandbox { _, aps in
            let a = try aps.createLink("f-a", ["notification_type": "EMAIL"])
            _ = try aps.createLink("f-b", ["notification_type": "EMAIL", "customer_email": "other@example.com"])
            #expect(try outbox(aps, "?payment_link_id=\(a)").messages.count == 1)
            #expect(try outbox(aps, "?recipient=other%40example.com").messages.count == 1)
            #expect(try outbox(aps, "?colour=red").status == 400)
            #expect(try outbox(aps, "?channel=FAX").status == 400)
        }
    }

    @Test func reset_emptiesTheOutbox() async throws {
        try await withSandbox { _, aps in
            _ = try aps.createLink("r-1", ["notification_type": "EMAIL"])
            _ = try aps.http.post("/__sandbox/reset", json: "")
            #expect(try outbox(aps).messages.isEmpty)
        }
    }

    @Test func outbox_isBounded_droppingTheOldest() {
        let box = Outbox(clock: SandboxClock(start: SandboxInstant(secondsSince1970: 0), mode: .frozen), capacity: 3)
        for i in 1...5 {
            box.send(.init(channel: .sms, recipient: "0\(i)", text: "t", merchantIdentifier: "M", paymentLinkID: nil))
        }
        #expect(box.messages().map(\.sequence) == [3, 4, 5])
        #expect(box.droppedCount == 2)
    }

    @Test func queryDecoding_handlesPercentAndPlus() {
        let pairs = QueryParameters.parse("a=x%40y.com&b=two+words&c&d=%zz&e=50%&f=%4")
        #expect(pairs.map(\.name) == ["a", "b", "c", "d", "e", "f"])
        #expect(pairs.map(\.value) == ["x@y.com", "two words", "", "%zz", "50%", "%4"])
    }
}
