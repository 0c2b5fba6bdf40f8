import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// `POST /requests`: the request, its GBP core link, its URLs and messages, and every way a
/// body can be wrong.
struct PayByLinkCreateTests {
    @Test func create_is201_withIdUrlsAndStatusSent_backedByAGBPLink() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let reply = try client.create()
            #expect(reply.status == 201)
            let id = try #require(reply.string("RequestId"))
            #expect(id.count == 36 && id.split(separator: "-").count == 5)
            #expect(reply.string("Status") == "Sent")
            #expect(reply["Amount"] == .number("125.50"))
            #expect(reply.string("Currency") == "GBP")
            #expect(reply.http.header("Location") == "/paybylink/v1/requests/\(id)")
            let linkID = try #require(reply.string("PaymentLinkId"))
            let link = try #require(sandbox.engine.link(id: linkID))
            #expect(link.link.currency == "GBP")
            #expect(link.link.amount == 12_550)
            #expect(link.state == .open)
            #expect(reply.string("LongUrl") == sandbox.publicURL + "/pay/" + link.link.token)
            let short = try #require(reply.string("ShortUrl"))
            #expect(short.hasPrefix(sandbox.publicURL + "/s/"))
            let history = reply["History"]?.arrayValue?.compactMap { $0.objectValue?["Status"]?.stringValue }
            #expect(history == ["Pending", "Sent"])
            // Thirty days by default, on the sandbox clock.
            #expect(reply.string("ExpiryDate") == "2026-01-31T00:00:00Z")
        }
    }

    @Test func shortUrl_redirects302_toTheLongUrl() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let reply = try client.create()
            let short = try #require(reply.string("ShortUrl"))
            let path = String(short.dropFirst(sandbox.publicURL.count))
            let redirect = try client.http.get(path)
            #expect(redirect.status == 302)
            #expect(redirect.header("Location") == reply.string("LongUrl"))
            let unknown = try client.http.get("/s/nothing1")
            #expect(unknown.status == 404)
        }
    }

    @Test func sms_goesToTheOutbox_withAmountAndShortUrl() async throws {
        try await withSandbox { sandbox, _ in
            let reply = try PayByLinkTestClient(port: sandbox.port).create("sms-1", ["Passphrase": "\"blue-fox\""])
            let messages = sandbox.service.outbox.messages()
            #expect(messages.count == 1)
            let sms = try #require(messages.first)
            #expect(sms.channel == .sms)
            #expect(sms.recipient == "07700900123")
            #expect(sms.text.contains("£125.50"))
            #expect(sms.text.contains("Passphrase: blue-fox"))
            let short = try #require(reply.string("ShortUrl"))
            #expect(sms.text.contains(short))
            #expect(sms.paymentLinkID == reply.string("PaymentLinkId"))
        }
    }

    @Test func channelBoth_sendsSMSAndEmail_emailRequiresAnAddress() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            _ = try client.create("both-1", ["Channel": "\"both\""])
            #expect(sandbox.service.outbox.messages().map(\.channel) == [.sms, .email])
            let mail = try #require(sandbox.service.outbox.messages(channel: .email).first)
            #expect(mail.recipient == "jane@example.com")
            #expect(mail.text.contains("Dear Jane Smith"))
            let noEmail = try client.post("/requests", PayByLinkTestClient.body("mail-2", [
                "Channel": "\"Email\"", "Customer": #"{"FirstName":"A","LastName":"B","MobileNumber":"+447700900123"}"#,
            ]))
            #expect(noEmail.status == 400)
            #expect(noEmail.errors("Customer.Email") == ["is required when Channel is Email"])
        }
    }

    @Test func undeliverableTestNumber_failsTheRequest_andClosesItsLink() async throws {
        try await withSandbox { sandbox, _ in
            let reply = try PayByLinkTestClient(port: sandbox.port).create("fail-1", [
                "Customer": #"{"FirstName":"No","LastName":"Signal","MobileNumber":"+447700900999"}"#,
            ])
            #expect(reply.status == 201)
            #expect(reply.string("Status") == "Failed")
            let history = try #require(reply["History"]?.arrayValue?.last?.objectValue)
            #expect(history["Reason"]?.stringValue?.contains("could not be delivered") == true)
            let linkID = try #require(reply.string("PaymentLinkId"))
            let link = try #require(sandbox.engine.link(id: linkID))
            #expect(link.state == .closed)
            #expect(sandbox.service.outbox.messages().isEmpty)
        }
    }

    @Test func everyBadField_isNamed_inOneProblemBody() async throws {
        try await withSandbox { sandbox, _ in
            let body = #"{"ClientTransactionRef":"","Amount":12.345,"Customer":{"FirstName":"J","MobileNumber":"01632960000","Email":"nope"},"Channel":"Fax","ExpiryDate":"tomorrow","CallbackUrl":"ftp://x","Colour":"red"}"#
            let reply = try PayByLinkTestClient(port: sandbox.port).post("/requests", body)
            #expect(reply.status == 400)
            #expect(reply.http.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect(reply.string("title") == "One or more validation errors occurred.")
            #expect(reply["status"] == .number("400"))
            for field in ["ClientTransactionRef", "AccountReference", "Amount", "Reason", "Customer.LastName", "Customer.MobileNumber",
                          "Customer.Email", "Channel", "ExpiryDate", "CallbackUrl", "Colour"] {
                #expect(!reply.errors(field).isEmpty, "no error for \(field): \(reply.http.text)")
            }
            #expect(sandbox.engine.links().isEmpty)
            #expect(sandbox.service.outbox.messages().isEmpty)
        }
    }

    @Test(arguments: [
        ("0", "must be more than 0.00"), ("-5", "must be a positive amount in pounds with at most 2 decimal places, e.g. 12.50"),
        ("1e3", "must be a positive amount in pounds with at most 2 decimal places, e.g. 12.50"), ("\"12.50\"", "must be a JSON number, e.g. 12.50 without quotes"),
        ("1000000", "must be at most 999999.99"), ("true", "must be a number of pounds, e.g. 12.50"),
    ])
    func badAmounts_areRefused(amount: String, message: String) async throws {
        try await withSandbox { sandbox, _ in
            let reply = try PayByLinkTestClient(port: sandbox.port).post("/requests", PayByLinkTestClient.body("a", ["Amount": amount]))
            #expect(reply.status == 400)
            #expect(reply.errors("Amount") == [message])
        }
    }

    @Test func brokenBodies_are400_underDollar() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            for body in ["{", "[1]", "", "{\"Amount\":1,\"amount\":2}"] {
                let reply = try client.post("/requests", body)
                #expect(reply.status == 400, "body \(body)")
                #expect(!reply.errorFields.isEmpty)
            }
            let duplicate = try client.post("/requests", "{\"Amount\":1,\"amount\":2}")
            #expect(duplicate.errors("Amount").contains("appears more than once"))
        }
    }

    @Test func propertyNames_matchCaseInsensitively() async throws {
        try await withSandbox { sandbox, _ in
            let body = #"{"clienttransactionref":"lower-1","ACCOUNTREFERENCE":"A1","amount":5,"reason":"r","customer":{"firstname":"a","lastname":"b","mobilenumber":"07700900123"}}"#
            let reply = try PayByLinkTestClient(port: sandbox.port).post("/requests", body)
            #expect(reply.status == 201, "\(reply.http.text)")
            #expect(reply.string("ClientTransactionRef") == "lower-1")
        }
    }

    @Test func duplicateClientTransactionRef_is409_namingTheFirstRequest() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let first = try client.create("dup-1")
            let again = try client.post("/requests", PayByLinkTestClient.body("dup-1"))
            #expect(again.status == 409)
            #expect(again.string("RequestId") == first.string("RequestId"))
            #expect(again.string("title") == "Conflict")
            #expect(sandbox.engine.links().count == 1)
        }
    }

    @Test func expiryDate_mustBeFuture_andIsTheLinksExpiry() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let past = try client.post("/requests", PayByLinkTestClient.body("e-1", ["ExpiryDate": "\"2025-12-31T23:00:00Z\""]))
            #expect(past.status == 400)
            #expect(past.errors("ExpiryDate").first?.hasPrefix("must be in the future") == true)
            let reply = try client.create("e-2", ["ExpiryDate": "\"2026-01-02T12:00:00+01:00\""])
            #expect(reply.string("ExpiryDate") == "2026-01-02T11:00:00Z")
            let linkID = try #require(reply.string("PaymentLinkId"))
            let link = try #require(sandbox.engine.link(id: linkID))
            #expect(ISO8601.formatUTC(link.link.expiry) == "2026-01-02T11:00:00Z")
        }
    }

    @Test func getRequest_showsTheLatestStatus_andUnknownIdIs404() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let id = try #require(try client.create().string("RequestId"))
            let shown = try client.get("/requests/\(id)")
            #expect(shown.status == 200)
            #expect(shown.string("Status") == "Sent")
            let missing = try client.get("/requests/00000000-0000-4000-8000-000000000000")
            #expect(missing.status == 404)
            #expect(missing.string("detail")?.contains("00000000-0000-4000-8000-000000000000") == true)
        }
    }
}

extension PayByLinkCreateTests {
    @Test func blankReasonWithoutPassphrase_isRefused() async throws {
        try await withSandbox { sandbox, _ in
            let reply = try PayByLinkTestClient(port: sandbox.port).post("/requests", PayByLinkTestClient.body("blank", ["Reason": "\"  \""]))
            #expect(reply.status == 400)
            #expect(reply.errors("Reason") == ["Reason or Passphrase is required"])
            let passphraseOnly = try PayByLinkTestClient(port: sandbox.port).post("/requests", PayByLinkTestClient.body("pp", ["Reason": "", "Passphrase": "\"owl\""]))
            #expect(passphraseOnly.status == 201)
        }
    }
}

extension PayByLinkCreateTests {
    @Test func bothChannels_oneUndeliverable_isSent_withTheFailureNoted() async throws {
        try await withSandbox { sandbox, _ in
            let reply = try PayByLinkTestClient(port: sandbox.port).create("both-fail", [
                "Channel": "\"Both\"", "Customer": #"{"FirstName":"A","LastName":"B","MobileNumber":"07700900999","Email":"a@example.com"}"#,
            ])
            #expect(reply.string("Status") == "Sent")
            let last = try #require(reply["History"]?.arrayValue?.last?.objectValue)
            #expect(last["Reason"]?.stringValue?.contains("SMS to 07700900999 could not be delivered") == true)
            #expect(sandbox.service.outbox.messages().map(\.channel) == [.email])
        }
    }

    @Test func undeliverableEmail_failsAnEmailOnlyRequest() async throws {
        try await withSandbox { sandbox, _ in
            let reply = try PayByLinkTestClient(port: sandbox.port).create("mail-fail", [
                "Channel": "\"Email\"", "Customer": #"{"FirstName":"A","LastName":"B","MobileNumber":"07700900123","Email":"undeliverable@example.com"}"#,
            ])
            #expect(reply.string("Status") == "Failed")
        }
    }

    @Test func newMobileNumber_thatIsUndeliverable_failsTheRequest() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let created = try client.create("m-1")
            let id = try #require(created.string("RequestId")), linkID = try #require(created.string("PaymentLinkId"))
            let changed = try client.put("/requests/\(id)", #"{"MobileNumber":"07700900999"}"#)
            #expect(changed.status == 200)
            #expect(changed.string("Status") == "Failed")
            #expect(sandbox.engine.link(id: linkID)?.state == .closed)
        }
    }
}
