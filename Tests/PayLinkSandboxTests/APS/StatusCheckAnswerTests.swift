import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkAPS

/// The endpoint writes a status check's fields straight into the response; the answer must be
/// byte for byte what the readable way gives: the command's fields as pairs (`run`), echoed,
/// coded and signed by `APSResponseBuilder`.
struct StatusCheckAnswerTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)

    static func endpoint() -> APSEndpoint {
        let engine = LinkEngine(clock: SandboxClock(start: start, mode: .frozen), seed: 5)
        return APSEndpoint(context: APSContext(merchants: MerchantDirectory([.demo]), engine: engine,
                                               links: LinkURLs(base: "http://sandbox.test"), emptyValues: .either))
    }

    static func signed(_ parameters: JSONObject) -> [UInt8] {
        var parameters = parameters
        parameters["signature"] = .string(Merchant.demo.signer.sign(parameters, phrase: Merchant.demo.requestPhrase))
        return parameters.serialized()
    }

    /// A status check by reference, twice (the second time the engine lends the link with its
    /// text known plain, or known not to be), answers the readable answer's bytes: a plain
    /// name, one that needs escaping (`\\`) and one that is not ASCII.
    @Test(arguments: ["Zoe Alund", #"Zoe\Alund"#, "Zoë Ålund"])
    func statusChecksByReference_ofPlainAndOtherText_matchTheReadableAnswer(_ name: String) throws {
        let endpoint = Self.endpoint()
        let create: JSONObject = [
            "service_command": "PAYMENT_LINK", "access_code": .string(Merchant.demo.accessCode),
            "merchant_identifier": .string(Merchant.demo.identifier), "merchant_reference": "ref-1", "amount": "125000",
            "currency": "SAR", "language": "en", "customer_email": "c@example.com", "customer_name": .string(name),
            "request_expiry_date": "2099-12-31T23:59:59+03:00", "notification_type": "NONE", "order_description": "Order",
        ]
        let created = endpoint.handle(body: Self.signed(create))
        #expect(created.code == "48000", "\(created.detail ?? "")")
        let request: JSONObject = [
            "query_command": "CHECK_PAYMENT_LINK_STATUS", "access_code": .string(Merchant.demo.accessCode),
            "merchant_identifier": .string(Merchant.demo.identifier), "merchant_reference": "ref-1",
        ]
        let fields = try CheckPaymentLinkStatusCommand.run(APSParameters(object: request), merchant: .demo, context: endpoint.context).fields
        let expected = APSResponseBuilder.build(echoing: request, fields: fields, code: CheckPaymentLinkStatusCommand.code, merchant: .demo)
        for _ in 0..<2 {
            let reply = endpoint.handle(body: Self.signed(request))
            #expect(reply.code == "12000")
            #expect(reply.body == expected.serialized(), "\(String(decoding: reply.body, as: UTF8.self))")
        }
    }

    /// The answer writes a link's state as plain text, unchecked: the states' names need no escaping.
    @Test func theStatesNames_needNoEscaping() {
        for state in LinkState.allCases {
            #expect(state.rawValue.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
        }
    }

    @Test func statusChecks_matchTheReadableAnswer() throws {
        let endpoint = Self.endpoint()
        let create: JSONObject = [
            "service_command": "PAYMENT_LINK", "access_code": .string(Merchant.demo.accessCode),
            "merchant_identifier": .string(Merchant.demo.identifier), "merchant_reference": "ref-1", "amount": "125000",
            "currency": "SAR", "language": "en", "customer_email": "c@example.com", "customer_name": "Zoë Ålund",
            "request_expiry_date": "2099-12-31T23:59:59+03:00", "notification_type": "NONE", "order_description": "Order",
        ]
        let created = endpoint.handle(body: Self.signed(create))
        #expect(created.code == "48000", "\(created.detail ?? "")")
        guard case .object(let answer) = try JSONParser.parse(created.body), let id = answer["payment_link_id"]?.stringValue else {
            Issue.record("no link id in \(String(decoding: created.body, as: UTF8.self))")
            return
        }
        let base: JSONObject = ["query_command": "CHECK_PAYMENT_LINK_STATUS", "access_code": .string(Merchant.demo.accessCode)]
        let variants: [JSONObject] = [
            base.merging(["merchant_identifier": .string(Merchant.demo.identifier), "merchant_reference": "ref-1"]),
            base.merging(["merchant_identifier": .string(Merchant.demo.identifier), "merchant_reference": "ref-1", "language": "ar"]),
            base.merging(["payment_link_id": .string(id)]),
            base.merging(["payment_link_id": .string(id), "customer_email": "other@example.com", "customer_phone": ""]),
            // Not flat (an escaped slash): read through the full parser.
            base.merging(["merchant_identifier": .string(Merchant.demo.identifier), "merchant_reference": "ref-1", "order_description": "a/b"]),
        ]
        for request in variants {
            var body = Self.signed(request)
            if let slash = body.firstIndex(of: UInt8(ascii: "/")), request["order_description"] != nil {
                body.insert(UInt8(ascii: "\\"), at: slash)
            }
            let reply = endpoint.handle(body: body)
            #expect(reply.code == "12000", "\(String(decoding: reply.body, as: UTF8.self))")
            let parameters = APSParameters(object: request)
            let fields = try CheckPaymentLinkStatusCommand.run(parameters, merchant: .demo, context: endpoint.context).fields
            let expected = APSResponseBuilder.build(echoing: request, fields: fields, code: CheckPaymentLinkStatusCommand.code, merchant: .demo)
            #expect(reply.body == expected.serialized(), "\(String(decoding: reply.body, as: UTF8.self))")
        }
    }

    /// The signature sent is compared as bytes, ignoring the case of its hex letters only.
    @Test func requestSignature_comparedIgnoringHexCaseOnly() {
        let endpoint = Self.endpoint()
        let request: JSONObject = ["query_command": "CHECK_PAYMENT_LINK_STATUS", "access_code": .string(Merchant.demo.accessCode),
                                   "merchant_identifier": .string(Merchant.demo.identifier), "merchant_reference": "none"]
        let signature = Merchant.demo.signer.sign(request, phrase: Merchant.demo.requestPhrase)
        func code(_ sent: String) -> String {
            var request = request
            request["signature"] = .string(sent)
            return endpoint.handle(body: request.serialized()).code
        }
        // Signed right, the link is unknown: 12 149 rather than 00 008.
        #expect(code(signature) == "11149")
        #expect(code(signature.uppercased()) == "11149")
        #expect(code(String(signature.dropLast()) + (signature.last == "0" ? "1" : "0")) == "00008")
        #expect(code(String(signature.dropLast())) == "00008")
        // `@` and `` ` `` differ only in the bit that case flips in letters: still different.
        #expect(code(String(signature.dropLast()) + "@") == "00008")
    }
}
