import PayLinkCore
import PayLinkJSON

/// The card of a control-API payment: only the number is required (expiry, security code
/// and holder name default to a valid card's), but whatever is given is checked as the hosted
/// page checks it, so a script meets the same refusals as a browser.
enum ControlCard {
    struct Problem: Error {
        var field: String
        var apsMessage: String
        var explanation: String
    }

    static func check(_ body: JSONObject, number: String, at now: SandboxInstant) -> Result<CardEntry.Checked, Problem> {
        guard TestCards.isValidNumber(number) else {
            return .failure(Problem(field: "card_number", apsMessage: "016", explanation: "card_number must be 12 to 19 digits passing the Luhn check"))
        }
        guard let brand = CardBrand.of(number), brand.numberLengths.contains(number.utf8.count) else {
            return .failure(Problem(field: "card_number", apsMessage: "016",
                                    explanation: "card_number is not a Visa, Mastercard, Amex, Mada or Meeza number of the right length"))
        }
        let expiry = body["expiry_date"]?.stringValue ?? "3005"
        switch CardEntry.expiryProblem(expiry, at: now) {
        case .expired?: return .failure(Problem(field: "expiry_date", apsMessage: "012", explanation: "the card expired before the sandbox's current month"))
        case _?: return .failure(Problem(field: "expiry_date", apsMessage: "100", explanation: "expiry_date must be YYMM with a month 01 to 12"))
        case nil: break
        }
        if let code = body["card_security_code"]?.stringValue,
           code.utf8.count != brand.securityCodeLength || !code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return .failure(Problem(field: "card_security_code", apsMessage: "002",
                                    explanation: "card_security_code must be \(brand.securityCodeLength) digits for \(brand.rawValue)"))
        }
        let details = PaymentDetails(maskedCardNumber: TestCards.masked(number), paymentOption: brand.rawValue, expiryDate: expiry,
                                     cardHolderName: body["card_holder_name"]?.stringValue)
        return .success(CardEntry.Checked(brand: brand, details: details, number: number))
    }
}
