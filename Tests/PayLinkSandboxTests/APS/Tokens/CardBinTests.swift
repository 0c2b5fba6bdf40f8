import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// `card_bin` is the card's first six digits, eight for a 19-digit (MEEZA) card, though the
/// masked number keeps six: the token keeps the BIN it was saved with.
struct CardBinTests {
    static let meeza19 = "5078031234567890123"

    @Test func aNineteenDigitMeezaCard_hasAnEightDigitBIN_inTokenizationAndUpdateToken() async throws {
        try await withSandbox { sandbox, aps in
            let card = [("card_number", Self.meeza19), ("expiry_date", "3005"), ("card_security_code", "123"), ("card_holder_name", "Test Customer")]
            let answer = try MerchantPageForm.post(aps, MerchantPageForm(reference: "bin-1", tokenName: "meeza-19", card: card).signed())
            #expect(answer.code == "18000" && answer["card_bin"] == "50780312" && answer["card_number"] == "507803*********0123",
                    "\(answer.fields) \(answer.detail ?? "")")
            let update = try aps.send(["service_command": "UPDATE_TOKEN", "merchant_reference": "bin-2", "language": "en",
                                       "token_name": "meeza-19", "token_status": "ACTIVE"])
            #expect(update.code == "58000" && update["card_bin"] == "50780312", "\(update.object) \(update.detail ?? "")")
            let listed = try aps.http.get("/__sandbox/tokens")
            #expect(listed.text.contains("\"card_bin\":\"50780312\""), "\(listed.text)")
            // A 16-digit card keeps six.
            let visa = try MerchantPageForm.post(aps, MerchantPageForm(reference: "bin-3").signed())
            #expect(visa["card_bin"] == "400555")
            _ = sandbox
        }
    }

    @Test func theBIN_survivesTheSnapshot_andAnOldSnapshotWithoutIt_readsTheMaskedDigits() throws {
        let token = CardToken(name: "t", merchantIdentifier: "M", maskedCardNumber: "507803*********0123", cardBin: "50780312",
                              brand: "MEEZA", expiryDate: "3005", cardHolderName: nil, createdAt: SandboxInstant(millisecondsSince1970: 0))
        let encoded = TokenStateJSON.encode(token)
        #expect(encoded.objectValue?["card_bin"] == "50780312")
        #expect(try TokenStateJSON.decode(encoded, path: "tokens[0]") == token)
        var old = try #require(encoded.objectValue)
        old["card_bin"] = nil
        #expect(try TokenStateJSON.decode(.object(old), path: "tokens[0]").cardBin == "507803")
    }
}
