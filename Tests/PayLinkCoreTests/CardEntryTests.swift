import PayLinkCore
import Testing

/// The hosted page's card checks, with no I/O: scheme by BIN, Luhn and length, expiry against
/// the sandbox clock, security-code length by scheme.
struct CardEntryTests {
    static let now = SandboxInstant(secondsSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    func check(_ number: String, expiry: String = "3005", code: String = "123", holder: String = "Sara",
               option: CardBrand? = nil) -> Result<CardEntry.Checked, CardEntry.Rejection> {
        Result { () throws(CardEntry.Rejection) -> CardEntry.Checked in
            try CardEntry(number: number, expiryDate: expiry, securityCode: code, holderName: holder).check(option: option, at: Self.now)
        }
    }

    func kinds(_ result: Result<CardEntry.Checked, CardEntry.Rejection>) -> [String: CardEntry.Problem.Kind] {
        guard case .failure(let rejection) = result else { return [:] }
        return Dictionary(uniqueKeysWithValues: rejection.problems.map { ($0.field, $0.kind) })
    }

    @Test(arguments: [("4005550000000001", CardBrand.visa), ("5123456789012346", .mastercard), ("2223000048400011", .mastercard),
                      ("345678901234564", .amex), ("5297412542005689", .mada), ("9818950527886700002", .meeza),
                      ("5078036221028566", .meeza), ("6011000990139424", nil)])
    func schemes_areRecognisedByBIN(_ number: String, _ brand: CardBrand?) {
        #expect(CardBrand.of(number) == brand)
    }

    @Test func aGoodCard_isMaskedAndKeepsItsExpiryAndHolder() throws {
        let checked = try check("4005 5500 0000 0001", holder: "  Sara Ahmed ").get()
        #expect(checked.brand == .visa && checked.number == "4005550000000001")
        #expect(checked.details == PaymentDetails(maskedCardNumber: "400555******0001", paymentOption: "VISA", expiryDate: "3005",
                                                  cardHolderName: "Sara Ahmed"))
    }

    @Test func everyProblemIsReported_atOnce() {
        let problems = kinds(check("4005550000000002", expiry: "2512", code: "12", holder: " "))
        #expect(problems == ["card_number": .invalidNumber, "expiry_date": .expired, "card_security_code": .invalidSecurityCode,
                             "card_holder_name": .missing])
    }

    @Test(arguments: [("2601", nil), ("2512", CardEntry.Problem.Kind.expired), ("2613", .invalidExpiry), ("2600", .invalidExpiry),
                      ("26-1", .invalidExpiry), ("260", .invalidExpiry), ("", .missing), ("9912", nil)])
    func expiry_isYYMM_notBeforeTheClocksMonth(_ expiry: String, _ problem: CardEntry.Problem.Kind?) {
        #expect(CardEntry.expiryProblem(expiry, at: Self.now) == problem)
    }

    @Test func securityCode_hasFourDigitsOnAmex_andThreeElsewhere() {
        #expect(kinds(check("345678901234564", code: "1234")).isEmpty)
        #expect(kinds(check("345678901234564", code: "123")) == ["card_security_code": .invalidSecurityCode])
        #expect(kinds(check("4005550000000001", code: "1234")) == ["card_security_code": .invalidSecurityCode])
        #expect(kinds(check("4005550000000001", code: "12a")) == ["card_security_code": .invalidSecurityCode])
    }

    @Test func theChosenScheme_mustMatchTheNumber_butMadaIsCoBadged() {
        #expect(kinds(check("4005550000000001", option: .mastercard)) == ["card_number": .schemeMismatch])
        #expect(kinds(check("5297412542005689", option: .mastercard)).isEmpty)
        #expect(kinds(check("5123456789012346", option: .mada)) == ["card_number": .schemeMismatch])
        #expect(kinds(check("6011000990139424")) == ["card_number": .unknownScheme])
        #expect(kinds(check("400555000000000001")) == ["card_number": .invalidNumber])  // Luhn-valid, 18 digits: no Visa has that length
    }
}
