import Foundation
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS

/// The full feedback parameter set: `customer_ip`, `merchant_extra` … `merchant_extra5`,
/// `phone_number`, `settlement_reference`, `digital_wallet`; `maintenance_reference` on
/// captures, refunds and voids; third-party response codes on `CHECK_STATUS`.
struct FeedbackParameterTests {
    typealias Receiver = ScenarioReceiver

    func withReceiver(_ body: (Sandbox, APSTestClient, Receiver) async throws -> Void) async throws {
        let feedback = try FeedbackReceiverServer()
        defer { feedback.stop() }
        let (receiver, port) = (feedback.receiver, feedback.port)
        var merchant = Merchant.demo
        merchant.directFeedbackURL = "http://127.0.0.1:\(port)/aps/direct"
        merchant.notificationURL = "http://127.0.0.1:\(port)/aps/notify"
        var config = SandboxConfiguration.testing(merchants: [merchant])
        config.backgroundWork = .manual
        try await withSandbox(config) { sandbox, aps in try await body(sandbox, aps, receiver) }
    }

    /// Every feedback the receiver got, parsed, after running due deliveries.
    func received(_ aps: APSTestClient, _ receiver: Receiver) throws -> [JSONObject] {
        try aps.http.settle()
        return try receiver.requests.map { try #require(try JSONParser.parse($0.body).objectValue) }
    }

    func verifies(_ payload: JSONObject) -> Bool {
        payload["signature"] == .string(Merchant.demo.signer.sign(payload, phrase: Merchant.demo.responsePhrase))
    }

    static let extras: JSONObject = [
        "merchant_extra": "order 77; cart/3", "merchant_extra1": "a@b.example", "merchant_extra2": "x_y-z",
        "merchant_extra3": "O'Brien", "merchant_extra4": "1,2,3", "merchant_extra5": "last",
        "settlement_reference": "SETTLE-2026.01_a",
    ]

    // MARK: merchant_extra and settlement_reference

    @Test func merchantExtras_areEchoed_keptOnTheLink_andSentBackInTheFeedback() async throws {
        try await withReceiver { sandbox, aps, receiver in
            let reply = try aps.send(APSTestClient.paymentLink("fx-1", Self.extras))
            #expect(reply.code == "48000")
            for (key, value) in Self.extras { #expect(reply[key] == value.stringValue, "\(key)") }
            let id = try #require(reply["payment_link_id"])
            #expect(sandbox.engine.link(id: id)?.link.merchantExtras["merchant_extra3"] == "O'Brien")
            #expect(sandbox.engine.link(id: id)?.link.settlementReference == "SETTLE-2026.01_a")

            let shown = try #require(try JSONParser.parse(try aps.http.get("/__sandbox/links/\(id)").body).objectValue)
            for (key, value) in Self.extras { #expect(shown[key] == value, "\(key)") }

            _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
            let feedback = try #require(try received(aps, receiver).first)
            for (key, value) in Self.extras { #expect(feedback[key] == value, "\(key)") }
            #expect(verifies(feedback))
            // In the documented order: after customer_name, before authorization_code.
            let keys = feedback.keys
            #expect(keys.firstIndex(of: "merchant_extra")! < keys.firstIndex(of: "merchant_extra5")!)
            #expect(keys.firstIndex(of: "merchant_extra5")! < keys.firstIndex(of: "authorization_code")!)
        }
    }

    @Test func merchantExtras_areChecked_asTheDocsAllow() async throws {
        try await withSandbox { sandbox, aps in
            let cases: [(String, String, String)] = [
                ("merchant_extra", String(repeating: "a", count: 1000), "00032"),
                ("merchant_extra1", String(repeating: "a", count: 251), "00032"),
                ("merchant_extra5", "<script>", "00002"),
                ("merchant_extra2", "50%", "00002"),
                ("settlement_reference", String(repeating: "1", count: 35), "00032"),
                ("settlement_reference", "a b", "00002"),
            ]
            for (index, (key, value, code)) in cases.enumerated() {
                let reply = try aps.send(APSTestClient.paymentLink("fx-bad-\(index)", [key: .string(value)]))
                #expect(reply.code == code, "\(key)=\(value.prefix(12))")
            }
            // At the limits they are fine.
            let atLimit = try aps.send(APSTestClient.paymentLink("fx-limit", [
                "merchant_extra": .string(String(repeating: "a", count: 999)), "merchant_extra4": .string(String(repeating: "b", count: 250)),
                "settlement_reference": .string(String(repeating: "c", count: 34)),
            ]))
            #expect(atLimit.code == "48000")
            #expect(sandbox.engine.links().count == 1)
            // A nested value is a format error, as for every known field.
            let nested = try aps.send(APSTestClient.paymentLink("fx-nested", ["merchant_extra1": ["a": "b"]]))
            #expect(nested.code == "00002")
        }
    }

    @Test func merchantExtras_surviveAStateExportAndImport() async throws {
        try await withSandbox { first, aps in
            let id = try aps.createLink("fx-state", Self.extras)
            let snapshot = first.service.exportState()
            let link = try #require(snapshot["links"]?.arrayValue?.first?.objectValue)
            #expect(link["merchant_extras"]?.objectValue?["merchant_extra1"] == "a@b.example")
            #expect(link["settlement_reference"] == "SETTLE-2026.01_a")
            try await withSandbox { second, _ in
                try second.service.importState(json: snapshot.serialized())
                #expect(second.engine.link(id: id)?.link.terms == first.engine.link(id: id)?.link.terms)
                // Older snapshots have neither key: none is read.
                var old = link
                old["merchant_extras"] = nil
                old["settlement_reference"] = nil
                var state = snapshot
                state["links"] = [.object(old)]
                try second.service.importState(json: state.serialized())
                #expect(second.engine.link(id: id)?.link.merchantExtras == [:])
                #expect(second.engine.link(id: id)?.link.settlementReference == nil)
                // An unknown key inside merchant_extras is refused with its path.
                var bad = link
                bad["merchant_extras"] = ["merchant_extra9": "x"]
                state["links"] = [.object(bad)]
                #expect(throws: StateImportError.self) { try second.service.importState(json: state.serialized()) }
            }
        }
    }

    // MARK: customer_ip

    @Test func customerIP_comesFromThePayRequest_or127001() async throws {
        try await withReceiver { _, aps, receiver in
            let first = try aps.createLink("ip-1")
            let second = try aps.createLink("ip-2")
            let paid = try aps.http.post("/__sandbox/links/\(first)/pay", json: #"{"card_number":"4005550000000001","customer_ip":"2001:db8::7"}"#)
            #expect(paid.status == 200)
            #expect(try JSONParser.parse(paid.body).objectValue?["customer_ip"] == "2001:db8::7")
            _ = try aps.http.post("/__sandbox/links/\(second)/pay", json: #"{"card_number":"4005550000000001"}"#)
            let feedback = try received(aps, receiver)
            #expect(feedback.map { $0["customer_ip"] } == ["2001:db8::7", "127.0.0.1"])
            #expect(feedback.allSatisfy(verifies))
        }
    }

    @Test func customerIP_thatIsNotAnAddress_isRefused_andNothingIsCharged() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("ip-bad")
            for bad in ["999.1.1.1", "1.2.3", "localhost", "2001:db8::1::2", "", "01.2.3.4"] {
                let reply = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001","customer_ip":"\#(bad)"}"#)
                #expect(reply.status == 400, "\(bad)")
                #expect(try JSONParser.parse(reply.body).objectValue?["field"] == "customer_ip")
            }
            #expect(sandbox.engine.link(id: id)?.state == .open)
        }
    }

    @Test func theHostedPage_reportsTheBrowsersAddress() async throws {
        try await withReceiver { sandbox, aps, receiver in
            let id = try aps.createLink("ip-page", ["return_url": "http://127.0.0.1:9/return"])
            let token = try #require(sandbox.engine.link(id: id)).link.token
            var browser = aps.http
            browser.sourceAddress = "127.0.0.2"
            let form = "payment_option=VISA&card_number=4005550000000001&expiry_date=3005&card_security_code=123&card_holder_name=Sara&agree_terms=yes"
            let page = try browser.request("POST", "/pay/\(token)", body: Array(form.utf8),
                                           headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(page.status == 200)
            #expect(page.text.contains(#"name="customer_ip" value="127.0.0.2""#))
            #expect(try received(aps, receiver).first?["customer_ip"] == "127.0.0.2")
        }
    }

    @Test func aHostedPageRequestWithoutAConnection_reports127001() throws {
        #expect(CustomerIP.of(HTTPRequest(method: "POST", target: "/pay/x")) == "127.0.0.1")
        var request = HTTPRequest(method: "POST", target: "/pay/x")
        request.peerAddress = "::1"
        #expect(CustomerIP.of(request) == "::1")
    }

    @Test func customerIPText_isIPv4OrIPv6() {
        for good in ["127.0.0.1", "192.178.1.10", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:0db8:3042:0002:5a55:caff:fef6:bdbf",
                     "fe80::1", "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8"] {
            #expect(CustomerIP.isValid(good), "\(good)")
        }
        for bad in ["", "256.1.1.1", "1.2.3.4.5", "1.2.3", "a.b.c.d", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::1", "1:2:3:4:5:6:7",
                    "::1.2.3", String(repeating: "1", count: 46)] {
            #expect(!CustomerIP.isValid(bad), "\(bad)")
        }
    }

    // MARK: wallets and phone_number

    @Test func wallets_areReportedInDigitalWallet_andVisaCheckoutFitsPaymentOption() async throws {
        try await withReceiver { sandbox, aps, receiver in
            let stc = try aps.createLink("w-stc")
            let visaCheckout = try aps.createLink("w-vc")
            let reply = try aps.http.post("/__sandbox/links/\(stc)/pay", json: #"{"payment_option":"STCPAY","phone_number":"0501234567","otp":"1234"}"#)
            #expect(try JSONParser.parse(reply.body).objectValue?["digital_wallet"] == "STCPAY")
            _ = try aps.http.post("/__sandbox/links/\(visaCheckout)/pay", json: #"{"payment_option":"VISA_CHECKOUT"}"#)
            let feedback = try received(aps, receiver)
            #expect(feedback.count == 2)
            #expect(feedback[0]["payment_option"] == "STCPAY" && feedback[0]["digital_wallet"] == "STCPAY")
            #expect(feedback[0]["phone_number"] == "0501234567")
            #expect(feedback[1]["payment_option"] == "VISA" && feedback[1]["digital_wallet"] == "VISA_CHECKOUT")
            #expect(feedback.allSatisfy { ($0["payment_option"]?.stringValue?.count ?? 99) <= 10 })
            #expect(feedback.allSatisfy(verifies))
            // A card is no wallet.
            let card = try aps.createLink("w-card")
            _ = try aps.http.post("/__sandbox/links/\(card)/pay", json: #"{"card_number":"4005550000000001"}"#)
            #expect(try received(aps, receiver).last?["digital_wallet"] == nil)
            #expect(sandbox.engine.order(merchant: "CycHZxVj", reference: "w-vc")?.payment.digitalWallet == "VISA_CHECKOUT")
        }
    }

    @Test func theHostedPage_reportsVisaCheckoutAsAWallet() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("w-page", ["return_url": "http://127.0.0.1:9/return"])
            let token = try #require(sandbox.engine.link(id: id)).link.token
            let page = try aps.http.request("POST", "/pay/\(token)", body: Array("payment_option=VISA_CHECKOUT&agree_terms=yes".utf8),
                                            headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(page.text.contains(#"name="payment_option" value="VISA""#))
            #expect(page.text.contains(#"name="digital_wallet" value="VISA_CHECKOUT""#))
        }
    }

    @Test func anOlderSnapshotsVisaCheckoutOrder_readsAsTheWallet() async throws {
        try await withSandbox { first, aps in
            let id = try aps.createLink("w-old")
            _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"payment_option":"VISA_CHECKOUT"}"#)
            var state = first.service.exportState()
            var order = try #require(state["orders"]?.arrayValue?.first?.objectValue)
            var payment = try #require(order["payment"]?.objectValue)
            #expect(payment["digital_wallet"] == "VISA_CHECKOUT" && payment["customer_ip"] == "127.0.0.1")
            payment["payment_option"] = "VISA_CHECKOUT"
            payment["digital_wallet"] = nil
            payment["customer_ip"] = nil
            order["payment"] = .object(payment)
            state["orders"] = [.object(order)]
            try await withSandbox { second, _ in
                try second.service.importState(json: state.serialized())
                let restored = try #require(second.engine.order(merchant: "CycHZxVj", reference: "w-old"))
                #expect(restored.payment.paymentOption == "VISA" && restored.payment.digitalWallet == "VISA_CHECKOUT")
                #expect(restored.payment.customerIP == nil)
            }
        }
    }

    // MARK: maintenance_reference

    @Test func maintenanceReferences_areEchoed_andCarriedByTheOperationsNotifications() async throws {
        try await withReceiver { _, aps, receiver in
            _ = try aps.createLink("m-1", ["link_command": "AUTHORIZATION"])
            _ = try aps.createLink("m-2", ["link_command": "AUTHORIZATION"])
            for reference in ["m-1", "m-2"] {
                let id = try #require(try aps.send(["query_command": "CHECK_PAYMENT_LINK_STATUS", "merchant_reference": .string(reference)])["payment_link_id"])
                _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
            }
            let capture = try aps.send(["command": "CAPTURE", "merchant_reference": "m-1", "amount": "125000", "currency": "SAR",
                                        "language": "en", "maintenance_reference": "CAP-1"])
            #expect(capture.code == "04000" && capture["maintenance_reference"] == "CAP-1")
            let refund = try aps.send(["command": "REFUND", "merchant_reference": "m-1", "amount": "100", "currency": "SAR",
                                       "language": "en", "maintenance_reference": "REF-1"])
            #expect(refund.code == "06000" && refund["maintenance_reference"] == "REF-1")
            let refundWithout = try aps.send(["command": "REFUND", "merchant_reference": "m-1", "amount": "100", "currency": "SAR", "language": "en"])
            #expect(refundWithout.code == "06000")
            let void = try aps.send(["command": "VOID_AUTHORIZATION", "merchant_reference": "m-2", "language": "en", "maintenance_reference": "VOID.2"])
            #expect(void.code == "08000" && void["maintenance_reference"] == "VOID.2")

            let notifications = try received(aps, receiver).filter { ["CAPTURE", "REFUND", "VOID_AUTHORIZATION"].contains($0["command"]?.stringValue ?? "") }
            #expect(notifications.map { $0["maintenance_reference"]?.stringValue ?? "-" } == ["CAP-1", "REF-1", "-", "VOID.2"])
            #expect(notifications.allSatisfy(verifies))
        }
    }

    @Test func aBadMaintenanceReference_isRefused_onEveryOperation() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("m-bad", ["link_command": "AUTHORIZATION"])
            _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4005550000000001"}"#)
            let base: JSONObject = ["merchant_reference": "m-bad", "amount": "100", "currency": "SAR", "language": "en"]
            for command in ["CAPTURE", "REFUND", "VOID_AUTHORIZATION"] {
                var request = base
                request["command"] = .string(command)
                request["maintenance_reference"] = "bad reference!"
                #expect(try aps.send(request).code == "00002", "\(command)")
                request["maintenance_reference"] = .string(String(repeating: "a", count: 201))
                #expect(try aps.send(request).code == "00032", "\(command)")
            }
        }
    }

    // MARK: CHECK_STATUS third-party codes

    @Test func checkStatus_addsThirdPartyCodes_onlyWhenAsked() async throws {
        try await withSandbox { _, aps in
            let cards = [("tp-ok", "4005550000000001", "00"), ("tp-funds", "4000000000000028", "51"), ("tp-expired", "4000000000000127", "54"),
                         ("tp-declined", "4000000000000663", "05"), ("tp-uncertain", "4000000000000770", "91")]
            for (reference, card, _) in cards {
                let id = try aps.createLink(reference)
                _ = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"\#(card)"}"#)
            }
            for (reference, _, expected) in cards {
                let asked = try aps.send(["query_command": "CHECK_STATUS", "merchant_reference": .string(reference), "language": "en",
                                          "return_third_party_response_codes": "YES"])
                #expect(asked.code == "12000")
                #expect(asked["processor_response_code"] == expected && asked["acquirer_response_code"] == expected, "\(reference)")
                #expect(asked["return_third_party_response_codes"] == "YES")
                for flag: JSONValue? in ["NO", nil] {
                    var request: JSONObject = ["query_command": "CHECK_STATUS", "merchant_reference": .string(reference), "language": "en"]
                    if let flag { request["return_third_party_response_codes"] = flag }
                    let plain = try aps.send(request)
                    #expect(plain["processor_response_code"] == nil && plain["acquirer_response_code"] == nil)
                }
            }
            // Still approved after a refund: the payment's codes.
            let refund = try aps.send(["command": "REFUND", "merchant_reference": "tp-ok", "amount": "100", "currency": "SAR", "language": "en"])
            #expect(refund.code == "06000")
            let after = try aps.send(["query_command": "CHECK_STATUS", "merchant_reference": "tp-ok", "language": "en",
                                      "return_third_party_response_codes": "YES"])
            #expect(after["processor_response_code"] == "00")
        }
    }
}
