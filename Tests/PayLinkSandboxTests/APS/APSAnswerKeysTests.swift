import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkAPS

/// An answer whose keys are exactly a command's table is signed in the table's order, without
/// the sort: the bytes must be the sort's, and any other answer must go through the sort.
struct APSAnswerKeysTests {
    static let table = CheckPaymentLinkStatusCommand.answerKeys
    static let code = APSCodeText.of(CheckPaymentLinkStatusCommand.code)
    static let merchants: [Merchant?] = [
        nil, .demo,
        Merchant(identifier: "Hmac", accessCode: "a", shaType: .hmacSHA512, requestPhrase: "in", responsePhrase: "out-ü"),
        Merchant(identifier: "Sha512", accessCode: "a", shaType: .sha512, requestPhrase: "", responsePhrase: ""),
    ]

    /// The status check's usual answer: the request's four keys echoed, then the fields.
    static let request: JSONObject = [
        "query_command": "CHECK_PAYMENT_LINK_STATUS", "access_code": "zx0IPmPy5jp1vAz8Kpg7",
        "merchant_identifier": "CycHZxVj", "merchant_reference": "bench-order-1", "signature": "abc",
    ]
    static let fields = [
        ("payment_link_id", "564228002973612154"), ("payment_link_status", "Open"), ("user_attempts_count", "0"),
        ("amount", "125000"), ("currency", "SAR"), ("request_expiry_date", "2099-12-31T20:59:59Z"), ("language", "en"),
        ("customer_email", "customer@example.com"), ("notification_type", "NONE"), ("order_description", "Benchmark order"),
    ]

    /// The body written with the table and the body through the sort.
    static func bodies(request: JSONObject, fields: [(String, String)], merchant: Merchant?) -> (table: [UInt8], sorted: [UInt8]) {
        var withTable = APSResponseWriter(echoing: request)
        withTable.expectedKeys = table
        withTable.add(fields)
        var sorting = APSResponseWriter(echoing: request)
        sorting.add(fields)
        return (withTable.finish(code: code, merchant: merchant), sorting.finish(code: code, merchant: merchant))
    }

    /// Whether the members signed (the request's, the fields, the code's three) match the table.
    static func matchesTheTable(request: JSONObject, fields: [(String, String)]) -> Bool {
        var writer = APSResponseWriter(echoing: request)
        writer.add(fields)
        writer.add([("response_code", code.digits), ("response_message", code.message), ("status", code.code.status)])
        return table.matches(writer.members.buffer, in: writer.arena.bytes)
    }

    @Test func theTablesOrder_isTheKeysByteOrder() {
        let keys = (0..<Self.table.count).map { Array(Self.table.bytes[Self.table.starts[$0]..<Self.table.starts[$0 + 1]]) }
        let sorted = keys.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(Self.table.sortedPositions.map { keys[$0] } == sorted)
        #expect(keys.count == 17)
    }

    /// The usual answer, whatever its values (escaped, non-ASCII), matches the table (after the
    /// code is set) and is signed to the same bytes as through the sort and as the readable
    /// builder gives.
    @Test func theUsualAnswer_withTheTable_isTheSortsBytes() {
        var otherValues = Self.request
        otherValues["merchant_reference"] = "other-ref"
        otherValues["access_code"] = "a\\b\"ü"
        for request in [Self.request, otherValues] {
            #expect(Self.matchesTheTable(request: request, fields: Self.fields))
            for merchant in Self.merchants {
                let bodies = Self.bodies(request: request, fields: Self.fields, merchant: merchant)
                #expect(bodies.table == bodies.sorted)
                let readable = APSResponseBuilder.build(echoing: request, fields: Self.fields,
                                                        code: CheckPaymentLinkStatusCommand.code, merchant: merchant).serialized()
                #expect(bodies.table == readable, "\(String(decoding: bodies.table, as: UTF8.self))")
            }
        }
    }

    /// A key more, a key less, two keys swapped, a key of the same length spelled otherwise, an
    /// empty value, a nested value: not the table's shape, sorted, the same bytes either way.
    @Test func otherAnswers_goThroughTheSort_toTheSameBytes() {
        var withoutLanguage = Self.fields
        withoutLanguage.removeAll { $0.0 == "language" }
        var swapped = Self.fields
        swapped.swapAt(3, 4)
        var respelled = Self.fields
        respelled[4] = ("currencx", "SAR")
        var nested = Self.request
        nested["merchant_extra"] = .object(["a": "b"])
        var emptyEcho = Self.request
        emptyEcho["merchant_reference"] = ""
        let cases: [(JSONObject, [(String, String)])] = [
            (Self.request, Self.fields + [("customer_name", "Zoë Ålund")]),
            (Self.request, withoutLanguage),
            (Self.request, swapped),
            (Self.request, respelled),
            (emptyEcho, Self.fields),
            (nested, Self.fields),
            (["query_command": "CHECK_PAYMENT_LINK_STATUS", "access_code": "a", "merchant_reference": "r"], Self.fields),
        ]
        for (index, (request, fields)) in cases.enumerated() {
            #expect(!Self.matchesTheTable(request: request, fields: fields), "case \(index)")
            for merchant in Self.merchants {
                let bodies = Self.bodies(request: request, fields: fields, merchant: merchant)
                #expect(bodies.table == bodies.sorted, "case \(index)")
                let readable = APSResponseBuilder.build(echoing: request, fields: fields,
                                                        code: CheckPaymentLinkStatusCommand.code, merchant: merchant).serialized()
                #expect(bodies.table == readable, "case \(index): \(String(decoding: bodies.table, as: UTF8.self))")
            }
        }
    }

    /// The key compare (overlapping words or-ed together) against a plain one: every length up
    /// to 40, equal, and one byte changed at every position (by one bit, and to a quote), with
    /// the keys at odd offsets.
    @Test func theKeyCompare_isAPlainCompare_atEveryLengthAndPosition() {
        let text = Array("merchant_identifier_request_expiry_date_and_more".utf8)
        for count in 0...40 {
            for change in -1..<count {
                for flip: (UInt8) -> UInt8 in [{ $0 ^ 1 }, { _ in UInt8(ascii: "\"") }] {
                    let a = [UInt8(ascii: "x")] + Array(text[0..<count])
                    var b = [0x20, 0x20, 0x20] + Array(text[0..<count])
                    if change >= 0 { b[3 + change] = flip(b[3 + change]) }
                    let plain = Array(a[1...]) == Array(b[3...])
                    let same = a.withUnsafeBytes { x in
                        b.withUnsafeBytes { y in APSAnswerKeys.sameKey(x.baseAddress! + 1, y.baseAddress! + 3, count: count) }
                    }
                    #expect(same == plain, "length \(count), change at \(change)")
                }
            }
        }
    }

    /// Through the endpoint: a status check of a link of the table's shape, asked in the table's
    /// order, is answered with the table's keys in order, signed as the readable way signs it.
    @Test func theEndpointsUsualStatusCheck_usesTheTable_andMatchesTheReadableAnswer() throws {
        let endpoint = StatusCheckAnswerTests.endpoint()
        let create: JSONObject = [
            "service_command": "PAYMENT_LINK", "access_code": .string(Merchant.demo.accessCode),
            "merchant_identifier": .string(Merchant.demo.identifier), "merchant_reference": "ref-1", "amount": "125000",
            "currency": "SAR", "language": "en", "customer_email": "c@example.com",
            "request_expiry_date": "2099-12-31T23:59:59+03:00", "notification_type": "NONE", "order_description": "Order",
        ]
        #expect(endpoint.handle(body: StatusCheckAnswerTests.signed(create)).code == "48000")
        let request: JSONObject = [
            "query_command": "CHECK_PAYMENT_LINK_STATUS", "access_code": .string(Merchant.demo.accessCode),
            "merchant_identifier": .string(Merchant.demo.identifier), "merchant_reference": "ref-1",
        ]
        let reply = endpoint.handle(body: StatusCheckAnswerTests.signed(request))
        #expect(reply.code == "12000")
        guard case .object(let answer) = try JSONParser.parse(reply.body) else {
            Issue.record("not an object: \(String(decoding: reply.body, as: UTF8.self))")
            return
        }
        let keys = (0..<Self.table.count).map { String(decoding: Self.table.bytes[Self.table.starts[$0]..<Self.table.starts[$0 + 1]], as: UTF8.self) }
        #expect(answer.members.map(\.key) == keys + ["signature"])
        let fields = try CheckPaymentLinkStatusCommand.run(APSParameters(object: request), merchant: .demo, context: endpoint.context).fields
        let expected = APSResponseBuilder.build(echoing: request, fields: fields, code: CheckPaymentLinkStatusCommand.code, merchant: .demo)
        #expect(reply.body == expected.serialized(), "\(String(decoding: reply.body, as: UTF8.self))")
    }
}
