import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// `service_command=UPDATE_TOKEN` on `/FortAPI/paymentApi`: a saved card's expiry, holder name,
/// status and name change; unknown and other merchants' tokens are `00044`.
struct UpdateTokenTests {
    static let other = Merchant(identifier: "OtherShop", accessCode: "OtherAccess01", requestPhrase: "other-in", responsePhrase: "other-out")

    /// A token saved through the Merchant Page, as a merchant would make one.
    func tokenize(_ aps: APSTestClient, name: String) throws {
        let answer = try MerchantPageForm.post(aps, MerchantPageForm(reference: "save-\(name)", tokenName: name, merchant: aps.merchant).signed(aps.merchant))
        #expect(answer.code == "18000", "\(answer.fields) \(answer.detail ?? "")")
    }

    func update(_ aps: APSTestClient, _ fields: JSONObject) throws -> APSTestClient.Reply {
        var request: JSONObject = ["service_command": "UPDATE_TOKEN", "merchant_reference": "upd-1", "language": "en"]
        for (key, value) in fields { request[key] = value }
        return try aps.send(request)
    }

    @Test func expiryHolderAndStatus_change_andTheAnswerCarriesTheToken() async throws {
        try await withSandbox { sandbox, aps in
            try tokenize(aps, name: "card-a")
            let reply = try update(aps, ["token_name": "card-a", "expiry_date": "3112", "card_holder_name": "Sara O'Neil",
                                         "token_status": "INACTIVE", "currency": "SAR"])
            #expect(reply.code == "58000" && reply["status"] == "58" && reply["response_message"] == "Success", "\(reply.object) \(reply.detail ?? "")")
            #expect(reply["token_name"] == "card-a" && reply["expiry_date"] == "3112" && reply["currency"] == "SAR")
            #expect(reply["card_number"] == "400555******0001" && reply["card_brand"] == "VISA" && reply["card_bin"] == "400555")
            #expect(reply["token_status"] == "INACTIVE" && reply["creation_date"] == "2026-01-01T00:00:00+00:00")
            #expect(reply["signature"] == aps.merchant.signer.sign({ var o = reply.object; o["signature"] = nil; return o }(),
                                                                    phrase: aps.merchant.responsePhrase))
            let token = try #require(sandbox.service.state.tokens.token(named: "card-a", merchant: aps.merchant.identifier))
            #expect(token.expiryDate == "3112" && token.cardHolderName == "Sara O'Neil" && token.status == .inactive)
            let back = try update(aps, ["token_name": "card-a", "token_status": "ACTIVE"])
            #expect(back.code == "58000" && back["token_status"] == "ACTIVE" && back["expiry_date"] == nil)
            #expect(sandbox.service.state.tokens.token(named: "card-a", merchant: aps.merchant.identifier)?.status == .active)
        }
    }

    @Test func newTokenName_renames_andANameTakenIs00114() async throws {
        try await withSandbox { sandbox, aps in
            try tokenize(aps, name: "card-a")
            try tokenize(aps, name: "card-b")
            let renamed = try update(aps, ["token_name": "card-a", "new_token_name": "card-c"])
            #expect(renamed.code == "58000" && renamed["new_token_name"] == "card-c", "\(renamed.object)")
            let tokens = sandbox.service.state.tokens
            #expect(tokens.token(named: "card-a", merchant: aps.merchant.identifier) == nil)
            #expect(tokens.token(named: "card-c", merchant: aps.merchant.identifier) != nil)
            let taken = try update(aps, ["token_name": "card-c", "new_token_name": "card-b"])
            #expect(taken.code == "00114" && taken["response_message"] == "Token already exist", "\(taken.object)")
            #expect(tokens.all().map(\.name) == ["card-c", "card-b"])
        }
    }

    @Test func anUnknownToken_andAnotherMerchantsToken_are00044() async throws {
        try await withSandbox(.testing(merchants: [.demo, Self.other])) { sandbox, aps in
            let unknown = try update(aps, ["token_name": "no-such-card", "token_status": "INACTIVE"])
            #expect(unknown.code == "00044" && unknown["response_message"] == "Token name does not exist", "\(unknown.object)")
            let otherShop = APSTestClient(http: aps.http, merchant: Self.other)
            try tokenize(otherShop, name: "theirs")
            let foreign = try update(aps, ["token_name": "theirs", "token_status": "INACTIVE"])
            #expect(foreign.code == "00044" && foreign["card_number"] == nil, "\(foreign.object)")
            #expect(sandbox.service.state.tokens.token(named: "theirs", merchant: Self.other.identifier)?.status == .active)
            // Their own update works.
            #expect(try update(otherShop, ["token_name": "theirs", "token_status": "INACTIVE"]).code == "58000")
        }
    }

    @Test(arguments: [
        ("expiry_date", "3013", "00002"), ("expiry_date", "31-2", "00002"), ("expiry_date", "2511", "00012"),
        ("token_status", "DELETED", "00002"), ("token_status", "active", "00002"),
        ("card_holder_name", "Sara 2", "00002"), ("new_token_name", "bad name!", "00002"), ("currency", "XYZ", "00013"),
    ])
    func aBadValue_isRefused_andNothingChanges(_ field: String, _ value: String, _ code: String) async throws {
        try await withSandbox { sandbox, aps in
            try tokenize(aps, name: "card-a")
            let before = sandbox.service.state.tokens.all()
            let reply = try update(aps, ["token_name": "card-a", .init(stringLiteral: field): .string(value)])
            #expect(reply.code == code, "\(reply.object) \(reply.detail ?? "")")
            #expect(sandbox.service.state.tokens.all() == before)
        }
    }

    @Test(arguments: ["token_name", "merchant_reference", "language"])
    func aMissingField_is00001(_ field: String) async throws {
        try await withSandbox { _, aps in
            try tokenize(aps, name: "card-a")
            var fields: JSONObject = ["service_command": "UPDATE_TOKEN", "merchant_reference": "upd-1", "language": "en",
                                      "token_name": "card-a", "token_status": "INACTIVE"]
            fields[field] = nil
            let reply = try aps.send(fields)
            #expect(reply.code == "00001" && reply.detail?.contains(field) == true, "\(reply.object)")
        }
    }
}
