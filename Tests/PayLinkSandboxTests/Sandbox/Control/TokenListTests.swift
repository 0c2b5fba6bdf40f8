import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// `GET /__sandbox/tokens`: the saved cards, masked, optionally one merchant's.
struct TokenListTests {
    func list(_ aps: APSTestClient, _ query: String = "") throws -> (status: Int, items: [JSONObject], text: String) {
        let response = try aps.http.get("/__sandbox/tokens" + query)
        let items = (try? JSONParser.parse(response.body))?.arrayValue?.compactMap(\.objectValue) ?? []
        return (response.status, items, response.text)
    }

    @Test func theTokens_areListedOldestFirst_masked_andFilteredByMerchant() async throws {
        let other = UpdateTokenTests.other
        try await withSandbox(.testing(merchants: [.demo, other])) { _, aps in
            #expect(try list(aps).items.isEmpty)
            try UpdateTokenTests().tokenize(aps, name: "first")
            try UpdateTokenTests().tokenize(APSTestClient(http: aps.http, merchant: other), name: "second")
            let all = try list(aps)
            #expect(all.status == 200 && all.items.map { $0["token_name"] } == ["first", "second"])
            let first = try #require(all.items.first)
            #expect(first["card_number"] == "400555******0001" && first["card_bin"] == "400555" && first["card_brand"] == "VISA")
            #expect(first["token_status"] == "ACTIVE" && first["expiry_date"] == "3005" && first["merchant_identifier"] == "CycHZxVj")
            #expect(!all.text.contains("4005550000000001"))
            #expect(try list(aps, "?merchant_identifier=OtherShop").items.map { $0["token_name"] } == ["second"])
            #expect(try list(aps, "?merchant_identifier=Nobody").items.isEmpty)
            #expect(try list(aps, "?merchant=CycHZxVj").status == 400)
        }
    }
}
