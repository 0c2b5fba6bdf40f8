import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// `GET /__sandbox/journal`: a bounded record of requests and responses, filterable, with card
/// data masked and signature refusals explained.
struct JournalTests {
    func journal(_ aps: APSTestClient, _ query: String = "") throws -> JSONObject {
        let response = try aps.http.get("/__sandbox/journal" + query)
        #expect(response.status == 200)
        return try #require(try JSONParser.parse(response.body).objectValue)
    }

    func entries(_ object: JSONObject) -> [JSONObject] { object["entries"]?.arrayValue?.compactMap(\.objectValue) ?? [] }

    @Test func apsRequests_areJournaledWithParsedBodies_andControlTrafficIsNot() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("j-1")
            _ = try aps.http.get("/__sandbox/links")
            let all = entries(try journal(aps))
            #expect(all.count == 1)
            let entry = try #require(all.first)
            #expect(entry["path"] == "/FortAPI/paymentApi" && entry["method"] == "POST" && entry["status"] == .number("200"))
            #expect(entry["at"] == "2026-01-01T00:00:00Z")
            #expect(entry["request"]?.objectValue?["json"]?.objectValue?["merchant_reference"] == "j-1")
            #expect(entry["response"]?.objectValue?["json"]?.objectValue?["payment_link_id"] == .string(id))
        }
    }

    /// The request's headers are kept as parsed and its `Content-Type` read from them when the
    /// journal is: whatever the client sent, the usual JSON type or another, repeated or not.
    @Test func contentTypes_areTheOnesSentAndAnswered() async throws {
        try await withSandbox { _, aps in
            let body = Array(#"{"query_command":"CHECK_PAYMENT_LINK_STATUS"}"#.utf8)
            for contentType in ["application/json", "application/json", "text/plain; charset=utf-8"] {
                _ = try aps.http.request("POST", "/FortAPI/paymentApi", body: body, headers: [("Content-Type", contentType)])
            }
            _ = try aps.http.request("POST", "/FortAPI/paymentApi", body: body)
            let all = entries(try journal(aps))
            #expect(all.count == 4)
            let sent = all.map { $0["request"]?.objectValue?["content_type"]?.stringValue }
            #expect(sent.filter { $0 == "application/json" }.count == 2)
            #expect(sent.filter { $0 == "text/plain; charset=utf-8" }.count == 1)
            #expect(sent.filter { $0 == nil }.count == 1)
            #expect(all.allSatisfy { $0["response"]?.objectValue?["content_type"] == "application/json" })
        }
    }

    @Test func filters_narrowTheList() async throws {
        try await withSandbox { sandbox, aps in
            let first = try aps.createLink("j-a")
            _ = try aps.createLink("j-b")
            _ = try aps.check(id: first)
            try sandbox.clock.advance(milliseconds: 60_000)
            _ = try aps.check(id: first)
            #expect(entries(try journal(aps, "?command=PAYMENT_LINK")).count == 2)
            #expect(entries(try journal(aps, "?payment_link_id=\(first)")).count == 3)
            #expect(entries(try journal(aps, "?merchant_reference=j-b")).count == 1)
            #expect(entries(try journal(aps, "?since=2026-01-01T00:00:30Z")).count == 1)
            let limited = entries(try journal(aps, "?limit=2"))
            #expect(limited.map { $0["sequence"] } == [.number("3"), .number("4")])
            #expect(try aps.http.get("/__sandbox/journal?colour=red").status == 400)
            #expect(try aps.http.get("/__sandbox/journal?since=yesterday").status == 400)
        }
    }

    /// A hosted-page request names no link in its body: the link filters find it by its token,
    /// the 3-D Secure step included, and leave other links' pages out.
    @Test func linkFilters_includeTheLinksHostedPageRequests() async throws {
        try await withSandbox { sandbox, aps in
            let pages = HostedPageTests()
            let id = try aps.createLink("j-page", ["link_command": "AUTHORIZATION"])
            let other = try aps.createLink("j-other")
            _ = try aps.http.get(try pages.path(sandbox, other))
            let page = try pages.path(sandbox, id)
            #expect(try aps.http.get(page).status == 200)
            var fields = pages.goodCard
            fields[1] = ("card_number", "4557012345678902")
            let challenge = try pages.postForm(aps, page, fields)
            let verification = try #require(HostedPageTests.hiddenFields(challenge.text).first { $0.0 == "verification_id" }?.1)
            _ = try pages.postForm(aps, page + "/3ds", [("verification_id", verification), ("code", TestCards.passingChallengeCode)])
            _ = try aps.check(id: id)
            #expect(sandbox.link(id: id)?.state == .paid)

            let byID = entries(try journal(aps, "?payment_link_id=\(id)"))
            #expect(byID.map { "\($0["method"]?.stringValue ?? "") \($0["path"]?.stringValue ?? "")" } == [
                "POST /FortAPI/paymentApi", "GET \(page)", "POST \(page)", "POST \(page)/3ds", "POST /FortAPI/paymentApi",
            ])
            #expect(entries(try journal(aps, "?payment_link_id=\(id)&path=/pay/")).count == 3)
            #expect(entries(try journal(aps, "?merchant_reference=j-page&method=GET")).count == 1)
            #expect(entries(try journal(aps, "?payment_link_id=\(other)")).count == 2)
        }
    }

    @Test func aSignatureMismatch_showsTheExpectedCanonicalStringAndSignature() async throws {
        try await withSandbox { _, aps in
            var params = APSTestClient.paymentLink("j-sig")
            params["access_code"] = .string(aps.merchant.accessCode)
            params["merchant_identifier"] = .string(aps.merchant.identifier)
            params["signature"] = "0000"
            let reply = try aps.send(params, sign: false, addCredentials: false)
            #expect(reply.code == "00008")
            let entry = try #require(entries(try journal(aps)).last)
            let debug = try #require(entry["signature_debug"]?.objectValue)
            var unsigned = params
            unsigned["signature"] = nil
            #expect(debug["expected_signature"] == .string(aps.merchant.signer.sign(unsigned, phrase: aps.merchant.requestPhrase)))
            let canonical = try #require(debug["expected_canonical_string"]?.stringValue)
            #expect(canonical.hasPrefix("[phrase]access_code=") && canonical.hasSuffix("[phrase]") && !canonical.contains("request-secret"))
            #expect(debug["provided_signature"] == "0000" && debug["sha_type"] == "SHA-256")
        }
    }

    @Test func cardNumbersAreMasked_andSecurityCodesNeverKept() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("j-card")
            let token = try #require(sandbox.engine.link(id: id)).link.token
            let form = "payment_option=VISA&card_number=4005+5500+0000+0001&expiry_date=3005&card_security_code=987&card_holder_name=A&agree_terms=yes"
            _ = try aps.http.request("POST", "/pay/\(token)", body: Array(form.utf8), headers: [("Content-Type", "application/x-www-form-urlencoded")])
            _ = try aps.http.post("/FortAPI/paymentApi", json: #"{"card_number":"4005550000000001","card_security_code":"987"}"#)
            let all = try aps.http.get("/__sandbox/journal").text
            #expect(all.contains("card_number=400555******0001"))
            #expect(!all.contains("4005550000000001") && !all.contains("4005+5500"))
            // The security code field is gone from both bodies (the form and the JSON).
            #expect(!all.contains("card_security_code=") && !all.contains(#"\"card_security_code\":"#))
            // Shorter only because of the masking: kept whole, not marked cut off.
            #expect(!all.contains(#""truncated":true"#))
        }
    }

    @Test func theJournalIsARing_ofConfigurableSize() async throws {
        var config = SandboxConfiguration.testing()
        config.journalCapacity = 3
        try await withSandbox(config) { _, aps in
            for n in 1...5 { _ = try aps.createLink("ring-\(n)") }
            let object = try journal(aps)
            #expect(entries(object).compactMap { $0["request"]?.objectValue?["json"]?.objectValue?["merchant_reference"]?.stringValue }
                    == ["ring-3", "ring-4", "ring-5"])
            #expect(object["total_recorded"] == .number("5") && object["capacity"] == .number("3"))
            _ = try aps.http.post("/__sandbox/reset", json: "")
            #expect(entries(try journal(aps)).isEmpty)
        }
    }
}

/// The journal's card-data check and masks, without a server.
struct CardDataMaskTests {
    @Test(arguments: [("card_", true), ("xxcard_", true), ("card", false), ("ccard_", true), ("carD_", false), ("", false),
                      ("ca", false), ("{\"amount\":\"100\",\"card_number\":\"1\"}", true), ("cccc", false), ("xcard", false),
                      ("_card_", true), ("____", false), ("_____", false), ("car_d_", false), ("cardcard_", true), ("card__", true),
                      ("a_b_c_card", false), ("query_command_card_", true), ("_ard_", false)])
    func mentionsCard_findsTheFieldPrefixAnywhere(_ text: String, _ expected: Bool) {
        #expect(CardDataMask.mentionsCard(Array(text.utf8)) == expected)
    }

    /// Bodies long enough for the steps of sixteen: `card_` (or a near miss) at every position
    /// of bodies of every length up to 110, so every step, the overlapping last one and the
    /// byte-wise path for short bodies are crossed, matched against a plain search.
    @Test(arguments: ["card_", "card", "ard_", "cord_", "crad_", "car_d", "d_d_d", "Card_"])
    func mentionsCard_agreesWithAPlainSearch_atEveryPositionAndLength(_ word: String) {
        let bytes = Array(word.utf8), fields: [UInt8] = Array("{\"query_command\":\"x_d_\"".utf8)
        for length in 0...110 {
            for position in 0...max(0, length - bytes.count) where length >= bytes.count || position == 0 {
                var body = (0..<length).map { fields[$0 % fields.count] }
                if length >= bytes.count { body.replaceSubrange(position..<position + bytes.count, with: bytes) }
                let expected = (0..<max(0, body.count - 4)).contains { Array(body[$0..<$0 + 5]) == Array("card_".utf8) }
                #expect(CardDataMask.mentionsCard(body) == expected, "\(word) at \(position) of \(length)")
            }
        }
    }

    /// A status check's body, as the benchmark sends it, does not mention a card; with a card
    /// field added at the start, the middle or the end it does.
    @Test func mentionsCard_ofAStatusCheck() {
        let head = #"{"query_command":"CHECK_PAYMENT_LINK_STATUS","access_code":"zx0IPmPy5jp1vAz8Kpg7","#
        let tail = #""merchant_identifier":"CycHZxVj","merchant_reference":"bench-order-1","signature":"0d_5c1e"}"#
        #expect(!CardDataMask.mentionsCard(Array((head + tail).utf8)))
        #expect(CardDataMask.mentionsCard(Array((#"{"card_number":"1","# + head.dropFirst() + tail).utf8)))
        #expect(CardDataMask.mentionsCard(Array((head + #""card_holder":"A B","# + tail).utf8)))
        #expect(CardDataMask.mentionsCard(Array((head + tail.dropLast() + #","card_"}"#).utf8)))
    }

    @Test func digitRunsOfCardLength_areMasked_inTextBodies() {
        let html = #"<input name="card_number" value="4005 5500 0000 0001"> order 12345 id 123456789012"#
        let masked = String(decoding: CardDataMask.masked(Array(html.utf8), contentType: "text/html"), as: UTF8.self)
        #expect(masked == #"<input name="card_number" value="400555******0001"> order 12345 id 123456789012"#)
    }
}
