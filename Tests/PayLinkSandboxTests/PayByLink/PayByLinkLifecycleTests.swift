import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Synchronization
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// Statuses following the core link: opened, paid, cancelled, expired; PUT changes and the
/// 409 once finished.
struct PayByLinkLifecycleTests {
    func statuses(_ reply: PayByLinkTestClient.Reply) -> [String] {
        reply["History"]?.arrayValue?.compactMap { $0.objectValue?["Status"]?.stringValue } ?? []
    }

    @Test func openedThenPaid_throughTheSharedLink() async throws {
        try await withSandbox { sandbox, aps in
            let client = PayByLinkTestClient(port: sandbox.port)
            let created = try client.create()
            let id = try #require(created.string("RequestId")), linkID = try #require(created.string("PaymentLinkId"))
            _ = try aps.http.post("/__sandbox/links/\(linkID)/open", json: "{}")
            #expect(try client.get("/requests/\(id)").string("Status") == "Opened")
            let paid = try aps.http.post("/__sandbox/links/\(linkID)/pay", json: #"{"card_number":"4005550000000001"}"#)
            #expect(paid.status == 200)
            let after = try client.get("/requests/\(id)")
            #expect(after.string("Status") == "Paid")
            #expect(after["AmountPaid"] == .number("125.50"))
            #expect(statuses(after) == ["Pending", "Sent", "Opened", "Paid"])
            let put = try client.put("/requests/\(id)", #"{"Status":"Cancelled"}"#)
            #expect(put.status == 409)
            #expect(put.string("Status") == "Paid")
        }
    }

    @Test func cancel_closesTheLink_andAFinishedRequestRefusesChanges() async throws {
        try await withSandbox { sandbox, aps in
            let client = PayByLinkTestClient(port: sandbox.port)
            let created = try client.create()
            let id = try #require(created.string("RequestId")), linkID = try #require(created.string("PaymentLinkId"))
            let cancelled = try client.put("/requests/\(id)", #"{"Status":"Cancelled"}"#)
            #expect(cancelled.status == 200)
            #expect(cancelled.string("Status") == "Cancelled")
            #expect(sandbox.engine.link(id: linkID)?.state == .closed)
            let pay = try aps.http.post("/__sandbox/links/\(linkID)/pay", json: "{}")
            #expect(pay.status == 409)
            for body in [#"{"Amount":10}"#, #"{"Status":"Cancelled"}"#, #"{"MobileNumber":"07700900124"}"#] {
                let again = try client.put("/requests/\(id)", body)
                #expect(again.status == 409)
                #expect(again.string("detail") == "the request is Cancelled and can no longer change")
            }
        }
    }

    @Test func put_changesAmountExpiryAndMobile_onTheLinkToo() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let created = try client.create()
            let id = try #require(created.string("RequestId")), linkID = try #require(created.string("PaymentLinkId"))
            let changed = try client.put("/requests/\(id)", #"{"Amount":99.99,"ExpiryDate":"2026-02-15T00:00:00Z"}"#)
            #expect(changed.status == 200)
            #expect(changed["Amount"] == .number("99.99"))
            #expect(changed.string("ExpiryDate") == "2026-02-15T00:00:00Z")
            let link = try #require(sandbox.engine.link(id: linkID))
            #expect(link.link.amount == 9_999)
            #expect(ISO8601.formatUTC(link.link.expiry) == "2026-02-15T00:00:00Z")
            let mobile = try client.put("/requests/\(id)", #"{"Customer":{"MobileNumber":"+447700900555"}}"#)
            #expect(mobile.status == 200)
            #expect(mobile["Customer"]?.objectValue?["MobileNumber"] == "+447700900555")
            // The link is sent again to the new number.
            #expect(sandbox.service.outbox.messages(recipient: "+447700900555").count == 1)
        }
    }

    @Test func put_badBodies_are400_andUnknownIds404() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let id = try #require(try client.create().string("RequestId"))
            let cases: [(String, String)] = [
                (#"{"Status":"Paid"}"#, "Status"), ("{}", "$"), (#"{"Amount":0}"#, "Amount"),
                (#"{"ExpiryDate":"2020-01-01T00:00:00Z"}"#, "ExpiryDate"), (#"{"MobileNumber":"12345"}"#, "MobileNumber"),
                (#"{"Status":"Cancelled","Amount":5}"#, "Status"), (#"{"Reason":"x"}"#, "Reason"), ("nope", "$"),
            ]
            for (body, field) in cases {
                let reply = try client.put("/requests/\(id)", body)
                #expect(reply.status == 400, "\(body)")
                #expect(!reply.errors(field).isEmpty, "\(body): \(reply.http.text)")
            }
            #expect(try client.get("/requests/\(id)").string("Status") == "Sent")
            #expect(try client.put("/requests/unknown", #"{"Status":"Cancelled"}"#).status == 404)
        }
    }

    @Test func clockPassingExpiry_expiresTheRequest() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let id = try #require(try client.create("x-1", ["ExpiryDate": "\"2026-01-01T01:00:00Z\""]).string("RequestId"))
            try sandbox.clock.advance(milliseconds: 3_600_000)
            let reply = try client.get("/requests/\(id)")
            #expect(reply.string("Status") == "Expired")
            #expect(try client.put("/requests/\(id)", #"{"ExpiryDate":"2026-03-01T00:00:00Z"}"#).status == 409)
        }
    }

    @Test func repaymentPlan_paysInstalments_throughOneShortUrl() async throws {
        try await withSandbox { sandbox, aps in
            let client = PayByLinkTestClient(port: sandbox.port)
            let plan = #"{"InstalmentAmount":40,"Frequency":"Monthly","NumberOfInstalments":3,"FirstPaymentDate":"2026-01-31"}"#
            let created = try client.create("plan-1", ["Amount": "100", "RepaymentPlan": plan])
            let id = try #require(created.string("RequestId"))
            let planJSON = try #require(created["RepaymentPlan"]?.objectValue)
            let dues = planJSON["Instalments"]?.arrayValue?.compactMap { $0.objectValue?["DueDate"]?.stringValue }
            #expect(dues == ["2026-01-31", "2026-02-28", "2026-03-31"])
            let amounts = planJSON["Instalments"]?.arrayValue?.compactMap { $0.objectValue?["Amount"] }
            #expect(amounts == [.number("40.00"), .number("40.00"), .number("20.00")])
            let short = String(try #require(created.string("ShortUrl")).dropFirst(sandbox.publicURL.count))
            var paidLinks: [String] = []
            for number in 1...3 {
                let redirect = try client.http.get(short)
                let current = try #require(try client.get("/requests/\(id)").string("PaymentLinkId"))
                let link = try #require(sandbox.engine.link(id: current))
                #expect(redirect.header("Location") == sandbox.publicURL + "/pay/" + link.link.token)
                #expect(link.link.amount == (number < 3 ? 4_000 : 2_000))
                let pay = try aps.http.post("/__sandbox/links/\(current)/pay", json: "{}")
                #expect(pay.status == 200)
                paidLinks.append(current)
                let after = try client.get("/requests/\(id)")
                #expect(after.string("Status") == (number < 3 ? "PartiallyPaid" : "Paid"))
            }
            #expect(Set(paidLinks).count == 3)
            let final = try client.get("/requests/\(id)")
            #expect(final["AmountPaid"] == .number("100.00"))
            #expect(statuses(final) == ["Pending", "Sent", "PartiallyPaid", "Paid"])
            // One SMS per instalment, each naming it.
            let texts = sandbox.service.outbox.messages().map(\.text)
            #expect(texts.count == 3)
            #expect(texts[1].contains("instalment 2 of 3"))
        }
    }

    @Test func repaymentPlan_thatCannotAddUp_isRefused() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let plan = #"{"InstalmentAmount":10,"Frequency":"Yearly","NumberOfInstalments":1,"FirstPaymentDate":"2025-12-01"}"#
            let reply = try client.post("/requests", PayByLinkTestClient.body("p-bad", ["RepaymentPlan": plan]))
            #expect(reply.status == 400)
            for field in ["RepaymentPlan.Frequency", "RepaymentPlan.NumberOfInstalments", "RepaymentPlan.FirstPaymentDate"] {
                #expect(!reply.errors(field).isEmpty, "\(field)")
            }
            let short = #"{"InstalmentAmount":10,"Frequency":"Weekly","NumberOfInstalments":3,"FirstPaymentDate":"2026-01-05"}"#
            let tooSmall = try client.post("/requests", PayByLinkTestClient.body("p-bad2", ["Amount": "100", "RepaymentPlan": short]))
            #expect(tooSmall.errors("RepaymentPlan.InstalmentAmount").count == 1)
            let plan2 = #"{"InstalmentAmount":40,"Frequency":"Weekly","NumberOfInstalments":3,"FirstPaymentDate":"2026-01-05"}"#
            let amountChange = try client.create("p-ok", ["Amount": "100", "RepaymentPlan": plan2])
            let id = try #require(amountChange.string("RequestId"))
            #expect(try client.put("/requests/\(id)", #"{"Amount":50}"#).errors("Amount").count == 1)
        }
    }

    /// A client endpoint that answers 500 to the first `failures` posts, then 200.
    final class Receiver: HTTPRequestHandler {
        let failuresLeft: Mutex<Int>
        let received = Mutex<[JSONObject]>([])
        init(failures: Int) { failuresLeft = Mutex(failures) }
        func handle(_ request: HTTPRequest) -> HTTPResponse {
            if case .object(let object)? = try? JSONParser.parse(request.body) { received.withLock { $0.append(object) } }
            let fail = failuresLeft.withLock { left -> Bool in
                guard left > 0 else { return false }
                left -= 1
                return true
            }
            return HTTPResponse(status: fail ? 500 : 200)
        }
        var bodies: [JSONObject] { received.withLock { $0 } }
    }

    @Test func callbacks_postEachStatusChange_andRetryOnTheSandboxClock() async throws {
        let receiver = Receiver(failures: 1)
        var serverConfig = HTTPServerConfiguration()
        serverConfig.port = 0
        let server = HTTPServer(configuration: serverConfig, handler: receiver)
        let port = try server.start()
        defer { server.stop() }
        try await withSandbox { sandbox, aps in
            let client = PayByLinkTestClient(port: sandbox.port)
            let created = try client.create("cb-1", ["CallbackUrl": "\"http://127.0.0.1:\(port)/pbl/callback\""])
            let linkID = try #require(created.string("PaymentLinkId"))
            // The first post (Sent) fails; the retry is due 10 s later on the sandbox clock.
            try aps.http.settle()
            #expect(sandbox.service.deliveries.deliveries().first?.attempts.count == 1)
            #expect(receiver.bodies.count == 1)
            try sandbox.clock.advance(milliseconds: 10_000)
            try aps.http.settle()
            #expect(receiver.bodies.count == 2)
            _ = try aps.http.post("/__sandbox/links/\(linkID)/pay", json: "{}")
            try aps.http.settle()
            #expect(receiver.bodies.count == 3)
            let last = try #require(receiver.bodies.last)
            #expect(last["Status"] == "Paid")
            #expect(last["PreviousStatus"] == "Sent")
            #expect(last["RequestId"] == created["RequestId"])
            #expect(last["AmountPaid"] == .number("125.50"))
            let listed = try aps.http.get("/__sandbox/deliveries")
            #expect(listed.text.contains("PAYBYLINK_STATUS"))
        }
    }

    @Test func expiry_isPostedWithoutAnyRead() async throws {
        let receiver = Receiver(failures: 0)
        var serverConfig = HTTPServerConfiguration()
        serverConfig.port = 0
        let server = HTTPServer(configuration: serverConfig, handler: receiver)
        let port = try server.start()
        defer { server.stop() }
        try await withSandbox { sandbox, _ in
            _ = try PayByLinkTestClient(port: sandbox.port).create("cb-x", [
                "CallbackUrl": "\"http://127.0.0.1:\(port)/cb\"", "ExpiryDate": "\"2026-01-01T00:10:00Z\"",
            ])
            try HTTPTestClient(port: sandbox.port).settle()
            #expect(receiver.bodies.count == 1)
            try sandbox.clock.advance(milliseconds: 600_000)
            try HTTPTestClient(port: sandbox.port).settle()
            #expect(receiver.bodies.count == 2)
            #expect(receiver.bodies.last?["Status"] == "Expired")
        }
    }

    @Test func reset_forgetsRequests() async throws {
        try await withSandbox { sandbox, aps in
            let client = PayByLinkTestClient(port: sandbox.port)
            let id = try #require(try client.create("r-1").string("RequestId"))
            _ = try aps.http.post("/__sandbox/reset", json: "{}")
            #expect(try client.get("/requests/\(id)").status == 404)
            #expect(try client.create("r-1").status == 201)
        }
    }
}

extension PayByLinkLifecycleTests {
    /// The snapshot carries PayByLink requests and batches (it once left them out).
    @Test func importingAState_keepsRequestsAndBatches_andTheLinks() async throws {
        try await withSandbox { sandbox, aps in
            let client = PayByLinkTestClient(port: sandbox.port)
            let created = try client.create("state-1")
            let id = try #require(created.string("RequestId")), linkID = try #require(created.string("PaymentLinkId"))
            let batch = try client.post("/batches", #"{"FileName":"f.csv"}"#)
            let batchID = try #require(batch.string("BatchId"))
            let exported = try aps.http.get("/__sandbox/state")
            #expect(exported.status == 200)
            let imported = try aps.http.request("PUT", "/__sandbox/state", body: exported.body, headers: [("Content-Type", "application/json")])
            #expect(imported.status == 200, "\(imported.text)")
            #expect(try client.get("/requests/\(id)").status == 200)
            #expect(try client.get("/batches/\(batchID)").string("Status") == "AwaitingUpload")
            #expect(sandbox.engine.link(id: linkID) != nil)
        }
    }
}

extension PayByLinkLifecycleTests {
    @Test func longUrl_opensTheHostedPageInGBP_andTheRequestIsOpened() async throws {
        try await withSandbox { sandbox, _ in
            let client = PayByLinkTestClient(port: sandbox.port)
            let created = try client.create("page-1")
            let id = try #require(created.string("RequestId"))
            let longURL = try #require(created.string("LongUrl"))
            let page = try client.http.get(String(longURL.dropFirst(sandbox.publicURL.count)))
            #expect(page.status == 200)
            #expect(page.text.contains("GBP"))
            #expect(page.text.contains("125.50"))
            let after = try client.get("/requests/\(id)")
            #expect(after.string("Status") == "Opened")
        }
    }
}
